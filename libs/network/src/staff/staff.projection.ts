import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { CASE_ROLES, type StaffEvent } from './staff.decider.js';

/** What the role-grants list records: the case roles, and agency-admin (the role that grants them). */
const LISTED: readonly string[] = [...CASE_ROLES, 'agency-admin'];
const listedGranted = (before: readonly string[], after: readonly string[]) =>
  after.filter((r) => LISTED.includes(r) && !before.includes(r));

/**
 * `network_staff`: staff lists for agency admins (sign-in checks read the streams, not this); and
 * `network_role_grants`: every grant of a case role or of agency-admin, with who granted it, for the agency's privacy
 * officers (kept here because a grant is judged against the roles held just before it).
 */
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
        await this.granted(stored, m, d.agencyId, d.userId, listedGranted([], d.roles));
        return;
      }
      case 'StaffRolesChanged': {
        const [before] = await m.query<Array<{ agency_id: string; roles: string[] }>>(
          'SELECT agency_id, roles FROM network_staff WHERE user_id = $1',
          [userId],
        );
        await m.query('UPDATE network_staff SET roles = $2, updated_at = $3 WHERE user_id = $1', [
          userId,
          event.data.roles,
          stored.recordedAt,
        ]);
        if (before)
          await this.granted(stored, m, before.agency_id, userId, listedGranted(before.roles, event.data.roles));
        return;
      }
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
    await m.query('DELETE FROM network_role_grants');
  }

  private async granted(
    stored: StoredEvent,
    m: EntityManager,
    agencyId: string,
    userId: string,
    roles: string[],
  ): Promise<void> {
    if (roles.length === 0) return;
    await m.query(
      `INSERT INTO network_role_grants (global_position, agency_id, user_id, roles, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (global_position) DO NOTHING`,
      [
        stored.globalPosition.toString(),
        agencyId,
        userId,
        roles,
        JSON.stringify({ userId: stored.actor.userId, agencyId: stored.actor.agencyId, role: stored.actor.role }),
        stored.recordedAt,
      ],
    );
  }
}
