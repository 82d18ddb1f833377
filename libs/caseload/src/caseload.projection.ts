import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';

const survivorOf = (streamId: string) => (streamId.startsWith('intake-') ? streamId.slice('intake-'.length) : null);

/**
 * The care teams, for the caseload: the opener and every worker assigned by name, and each agency
 * on the team. A record erased as a whole leaves every caseload at once.
 */
@Injectable()
export class CaseloadProjection implements Projection, OnModuleInit {
  readonly name = 'caseload';
  readonly eventTypes = ['IntakeOpened', 'CareTeamMemberAssigned', 'RecordErased'];

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(event: StoredEvent, m: EntityManager): Promise<void> {
    const survivorId = survivorOf(event.streamId);
    if (!survivorId) return;
    if (event.type === 'RecordErased') {
      await m.query('DELETE FROM caseload_members WHERE survivor_id = $1', [survivorId]);
      await m.query('DELETE FROM caseload_agencies WHERE survivor_id = $1', [survivorId]);
      return;
    }
    const d = event.data as { agencyId: string; openedBy?: string; userId?: string };
    const userId = event.type === 'IntakeOpened' ? d.openedBy : d.userId;
    if (!userId) return;
    await m.query(
      `INSERT INTO caseload_members (survivor_id, user_id, agency_id, joined_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (survivor_id, user_id) DO NOTHING`,
      [survivorId, userId, d.agencyId, event.recordedAt],
    );
    await m.query(
      `INSERT INTO caseload_agencies (survivor_id, agency_id, joined_at) VALUES ($1, $2, $3)
       ON CONFLICT (survivor_id, agency_id) DO NOTHING`,
      [survivorId, d.agencyId, event.recordedAt],
    );
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM caseload_members');
    await m.query('DELETE FROM caseload_agencies');
  }
}
