import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { REFERRAL_EVENT_TYPES, type ReferralEvent } from './referral.events.js';

/** `referral_list`: every referral's current state, for inboxes, outboxes, history and the expiry sweep. */
@Injectable()
export class ReferralListProjection implements Projection, OnModuleInit {
  readonly name = 'referral-list';
  readonly eventTypes = [...REFERRAL_EVENT_TYPES, 'RecordErased'];

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    if (stored.type === 'RecordErased') {
      // The survivor's record was erased: the copies of the referral's note and notice go too.
      await m.query(
        `UPDATE referral_list SET note = '', notice = jsonb_build_object('needs', notice->'needs', 'urgency', notice->'urgency',
           'language', NULL, 'region', NULL, 'ageBand', NULL) WHERE survivor_id = $1`,
        [stored.streamId.slice('intake-'.length)],
      );
      return;
    }
    const event = stored as unknown as ReferralEvent;
    const id = stored.streamId.slice('referral-'.length);
    const set = (sql: string, values: unknown[] = []) =>
      m.query(`UPDATE referral_list SET ${sql ? `${sql}, ` : ''}updated_at = $2, version = $3 WHERE referral_id = $1`, [
        id,
        stored.recordedAt,
        stored.streamVersion,
        ...values,
      ]);
    switch (event.type) {
      case 'ReferralRequested': {
        const d = event.data;
        await m.query(
          `INSERT INTO referral_list (referral_id, survivor_id, from_agency_id, to_agency_id, to_sector, state, needs, urgency, notice, note,
             consent_id, consent_version, respond_by, requested_at, updated_at, version)
           VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) ON CONFLICT (referral_id) DO NOTHING`,
          [
            id,
            d.survivorId,
            d.fromAgencyId,
            d.toAgencyId,
            d.toSector,
            d.needs,
            d.urgency,
            JSON.stringify(d.notice),
            d.note,
            d.consentId,
            d.consentVersion,
            d.respondBy,
            stored.recordedAt,
            stored.streamVersion,
          ],
        );
        return;
      }
      case 'ReferralAcknowledged':
        await set("state = 'acknowledged'");
        return;
      case 'ReferralAccepted':
        await set("state = 'accepted', assigned_caseworker_id = $4", [event.data.assignedCaseworkerId]);
        return;
      case 'ReferralDeclined':
        await set("state = 'declined', decline_reason = $4", [event.data.reason]);
        return;
      case 'IntroductionScheduled':
        await set("state = 'introduction-scheduled', introduction = $4", [
          JSON.stringify({ at: event.data.at, mode: event.data.mode, attendees: event.data.attendees }),
        ]);
        return;
      case 'HandoffConfirmed':
        await set('');
        return;
      case 'HandoffCompleted':
        await set("state = 'handoff-completed'");
        return;
      case 'ReferralClosed':
        await set("state = 'closed', outcome = $4", [event.data.outcome]);
        return;
      case 'ReferralWithdrawn':
        await set("state = 'withdrawn'");
        return;
      case 'ReferralExpired':
        await set("state = 'expired'");
        return;
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM referral_list');
  }
}
