import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { KeyRing } from '@harbour/privacy';
import { INTAKE_EVENT_TYPES, intakeStream } from '../record/intake.decider.js';

/** Events that are not activity: the erasure and retention facts themselves. */
const NOT_ACTIVITY = new Set([
  'ErasureRequested',
  'ErasureApproved',
  'ErasureRefused',
  'SectionErased',
  'RecordErased',
  'SectionRetentionExpired',
]);

/**
 * Carries erasures out in the read side and keeps `intake_retention`. RecordErased destroys the
 * survivor's data key (again: the command handler already did; this covers a crash in between
 * and a rebuild) and drops the intake's snapshots; SectionErased drops the snapshots too (they
 * hold the section's old ciphertext). A record is active when any event other than an erasure
 * or retention fact is appended to its intake stream: a section written, a worker assigned, a
 * referral linked, joined or ended.
 */
@Injectable()
export class ErasureProjection implements Projection, OnModuleInit {
  readonly name = 'intake-erasure';
  readonly eventTypes = INTAKE_EVENT_TYPES;

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly keys: KeyRing,
  ) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(event: StoredEvent, m: EntityManager): Promise<void> {
    const survivorId = event.streamId.slice('intake-'.length);
    const d = event.data as { section?: string; agencyId?: string };
    switch (event.type) {
      case 'IntakeOpened':
        await m.query(
          `INSERT INTO intake_retention (survivor_id, care_team_agency_ids, last_active_at) VALUES ($1, ARRAY[$2], $3)
           ON CONFLICT (survivor_id) DO NOTHING`,
          [survivorId, d.agencyId, event.recordedAt],
        );
        return;
      case 'IntakeSectionUpdated':
        await m.query(
          `UPDATE intake_retention SET sections = array_append(array_remove(sections, $2), $2),
             erased_sections = array_remove(erased_sections, $2) WHERE survivor_id = $1`,
          [survivorId, d.section],
        );
        break;
      case 'CareTeamMemberAssigned':
        await m.query(
          `UPDATE intake_retention SET care_team_agency_ids = array_append(array_remove(care_team_agency_ids, $2), $2)
            WHERE survivor_id = $1`,
          [survivorId, d.agencyId],
        );
        break;
      case 'SectionErased':
        await m.query(
          `UPDATE intake_retention SET sections = array_remove(sections, $2),
             erased_sections = array_append(array_remove(erased_sections, $2), $2) WHERE survivor_id = $1`,
          [survivorId, d.section],
        );
        await m.query('DELETE FROM harbour_snapshots WHERE stream_id = $1', [intakeStream(survivorId)]);
        return;
      case 'RecordErased':
        await this.keys.destroy(survivorId);
        await m.query(
          `UPDATE intake_retention SET erased = true, erased_sections = sections || erased_sections, sections = '{}'
            WHERE survivor_id = $1`,
          [survivorId],
        );
        await m.query('DELETE FROM harbour_snapshots WHERE stream_id = $1', [intakeStream(survivorId)]);
        return;
    }
    if (!NOT_ACTIVITY.has(event.type))
      await m.query(
        'UPDATE intake_retention SET last_active_at = GREATEST(last_active_at, $2) WHERE survivor_id = $1',
        [survivorId, event.recordedAt],
      );
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM intake_retention');
  }
}
