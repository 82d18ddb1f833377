import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import type { StaffEvent } from './staff.decider.js';

/** `network_staff`: staff lists for agency admins. Sign-in checks read the streams, not this. */
@Injectable()
export class StaffProjection implements Projection, OnModuleInit {
  readonly name = 'network-staff';
  readonly eventTypes = ['StaffMemberAdded', 'StaffRolesChanged', 'StaffMemberDeactivated', 'StaffMemberReactivated'];

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    const event = stored as unknown as StaffEvent & { recordedAt: Date };
    const userId = stored.streamId.slice('staff-'.length);
    switch (event.type) {
      case 'StaffMemberAdded': {
        const d = event.data;
        await m.query(
          `INSERT INTO network_staff (user_id, agency_id, display_name, email, roles, active, updated_at)
           VALUES ($1, $2, $3, $4, $5, true, $6)`,
          [d.userId, d.agencyId, d.displayName, d.email, d.roles, stored.recordedAt],
        );
        return;
      }
      case 'StaffRolesChanged':
        await m.query('UPDATE network_staff SET roles = $2, updated_at = $3 WHERE user_id = $1', [userId, event.data.roles, stored.recordedAt]);
        return;
      case 'StaffMemberDeactivated':
      case 'StaffMemberReactivated':
        await m.query('UPDATE network_staff SET active = $2, updated_at = $3 WHERE user_id = $1', [
          userId,
          event.type === 'StaffMemberReactivated',
          stored.recordedAt,
        ]);
        return;
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM network_staff');
  }
}
