import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import type { AgencyEvent } from './agency.events.js';

/**
 * `network_agencies` (who is a member, in which standing) and `network_notifications` (what
 * each agency is told about removal motions). Governance decisions read the streams; lists read this.
 */
@Injectable()
export class AgenciesProjection implements Projection, OnModuleInit {
  readonly name = 'network-agencies';

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  get eventTypes(): string[] {
    return [
      'AgencyApplied',
      'AgencyEndorsed',
      'AgencyAdmitted',
      'AgencySuspended',
      'AgencyReinstated',
      'AgencyRemoved',
      'RemovalMotionTabled',
      'AgencyNotifiedOfRemovalMotion',
      'RemovalMotionCarried',
      'RemovalMotionFailed',
    ];
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    const event = stored as unknown as AgencyEvent;
    const agencyId = stored.streamId.slice('agency-'.length);
    const at = stored.recordedAt;
    const set = (sql: string, params: unknown[] = []) =>
      m.query(`UPDATE network_agencies SET ${sql}, updated_at = $2 WHERE agency_id = $1`, [agencyId, at, ...params]);
    switch (event.type) {
      case 'AgencyApplied': {
        const d = event.data;
        await m.query(
          `INSERT INTO network_agencies (agency_id, name, sector, regions, requested_tier, status, applied_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 'applicant', $6, $6)`,
          [agencyId, d.name, d.sector, d.regions, d.requestedTier, at],
        );
        return;
      }
      case 'AgencyEndorsed':
        await set('endorsements = endorsements + 1');
        return;
      case 'AgencyAdmitted':
        await set("status = 'active', tier = $3, admitted_via = $4", [event.data.tier, event.data.via]);
        return;
      case 'AgencySuspended':
        await set("status = 'suspended'");
        return;
      case 'AgencyReinstated':
        await set("status = 'active'");
        return;
      case 'AgencyRemoved':
        await set("status = 'removed'");
        return;
      case 'AgencyNotifiedOfRemovalMotion':
        await this.notify(m, stored, [agencyId], 'removal-motion-against-you', agencyId, event.data.motionId, {});
        return;
      case 'RemovalMotionTabled': {
        const d = event.data;
        const details = { votingOpensAt: d.votingOpensAt, votingClosesAt: d.votingClosesAt, tabledBy: d.tabledBy };
        await m.query('INSERT INTO network_motions (motion_id, agency_id, voting_closes_at) VALUES ($1, $2, $3)', [
          d.motionId,
          agencyId,
          d.votingClosesAt,
        ]);
        await this.notify(m, stored, d.eligibleVoters, 'removal-motion-vote-called', agencyId, d.motionId, details);
        return;
      }
      case 'RemovalMotionCarried':
      case 'RemovalMotionFailed': {
        const voters: Array<{ ids: string[] }> = await m.query(
          `SELECT array_agg(DISTINCT agency_id::text) AS ids FROM network_notifications WHERE motion_id = $1`,
          [event.data.motionId],
        );
        const outcome = event.type === 'RemovalMotionCarried' ? 'carried' : 'failed';
        await m.query('UPDATE network_motions SET outcome = $2 WHERE motion_id = $1', [event.data.motionId, outcome]);
        const { votesFor, votesAgainst, eligible } = event.data;
        await this.notify(
          m,
          stored,
          voters[0]?.ids ?? [agencyId],
          `removal-motion-${outcome}`,
          agencyId,
          event.data.motionId,
          { votesFor, votesAgainst, eligible },
        );
        return;
      }
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM network_motions');
    await m.query('DELETE FROM network_notifications');
    await m.query('DELETE FROM network_agencies');
  }

  /** One notification per recipient; ids derive from the event so a replay writes the same rows. */
  private async notify(
    m: EntityManager,
    stored: StoredEvent,
    recipients: string[],
    kind: string,
    subject: string,
    motionId: string,
    details: object,
  ): Promise<void> {
    await m.query(
      `INSERT INTO network_notifications (notification_id, agency_id, kind, subject_agency_id, motion_id, details, created_at)
       SELECT md5($1 || r)::uuid, r::uuid, $2, $3, $4, $5, $6 FROM unnest($7::text[]) AS r`,
      [stored.eventId, kind, subject, motionId, JSON.stringify(details), stored.recordedAt, recipients],
    );
  }
}
