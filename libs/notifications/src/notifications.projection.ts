import { createHash } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import type { ConsentEvent } from '@harbour/consent';
import { CONTACT_EVENT_TYPES, type ContactEvent } from './notification.events.js';
import { NotificationTypes, subjectOf } from './notification-types.js';

const CONSENT_TYPES = ['ConsentRecorded', 'ConsentAmended', 'ConsentRevoked'];

/** The same event, type and agency always make the same notification id: a rebuild never duplicates one. */
export function notificationId(eventId: string, type: string, agencyId: string): string {
  const h = createHash('sha256').update(`${eventId}|${type}|${agencyId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * `notifications` (one row per registered notification type and recipient agency),
 * `notification_consent_windows` and `notification_do_not_contact`, in one projection so the
 * do-not-contact switch is applied in log order: a survivor-facing notification recorded after
 * DoNotContactSet is stored `withheld` and never delivered. A rebuild keeps existing notifications
 * (their read marks and deliveries) and adds only missing ones.
 */
@Injectable()
export class NotificationsProjection implements Projection, OnModuleInit {
  readonly name = 'notifications';

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly types: NotificationTypes,
  ) {}

  get eventTypes(): readonly string[] {
    return [...CONSENT_TYPES, ...CONTACT_EVENT_TYPES, ...this.types.eventTypes];
  }

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    if (CONSENT_TYPES.includes(stored.type)) return this.consent(stored, m);
    if (CONTACT_EVENT_TYPES.includes(stored.type)) return this.contact(stored as unknown as ContactEvent, m);
    const data = stored.data as Record<string, unknown>;
    if (stored.type === 'ConsentReviewReminderRecorded')
      await m.query('UPDATE notification_consent_windows SET reminded_for = $2 WHERE consent_id = $1', [
        data.consentId,
        data.validUntil,
      ]);
    if (stored.type === 'ConsentAccessEndedRecorded')
      await m.query('UPDATE notification_consent_windows SET ended = true WHERE consent_id = $1', [data.consentId]);
    for (const type of this.types.forEvent(stored.type)) {
      const subject = subjectOf(type, data);
      if (!subject) continue; // not an id-only subject: never stored, never sent (fail closed)
      const survivorId = type.survivorId?.(data) ?? null;
      let status = 'pending';
      if (type.audience === 'survivor' && survivorId) {
        const [dnc] = await m.query<unknown[]>('SELECT 1 FROM notification_do_not_contact WHERE survivor_id = $1', [
          survivorId,
        ]);
        if (dnc) status = 'withheld';
      }
      for (const agencyId of new Set(type.recipients(data))) {
        await m.query(
          `INSERT INTO notifications (notification_id, agency_id, type, audience, event_id, event_type, global_position,
             survivor_id, subject, occurred_at, status, next_attempt_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10) ON CONFLICT (notification_id) DO NOTHING`,
          [
            notificationId(stored.eventId, type.type, agencyId),
            agencyId,
            type.type,
            type.audience,
            stored.eventId,
            stored.type,
            stored.globalPosition.toString(),
            survivorId,
            JSON.stringify(subject),
            stored.recordedAt,
            status,
          ],
        );
      }
    }
  }

  private async consent(stored: StoredEvent, m: EntityManager): Promise<void> {
    const event = stored as unknown as ConsentEvent;
    const survivorId = stored.streamId.slice('consent-'.length);
    switch (event.type) {
      case 'ConsentRecorded':
      case 'ConsentAmended': {
        const d = event.data;
        await m.query(
          `INSERT INTO notification_consent_windows (consent_id, survivor_id, version, valid_until, status)
           VALUES ($1, $2, $3, $4, 'in-force')
           ON CONFLICT (consent_id) DO UPDATE SET version = EXCLUDED.version, valid_until = EXCLUDED.valid_until`,
          [d.consentId, survivorId, d.version, d.validUntil],
        );
        return;
      }
      case 'ConsentRevoked':
        await m.query(
          "UPDATE notification_consent_windows SET status = 'revoked', revoked_at = $2 WHERE consent_id = $1",
          [event.data.consentId, event.data.revokedAt],
        );
        return;
      default:
        return;
    }
  }

  private async contact(event: ContactEvent, m: EntityManager): Promise<void> {
    if (event.type === 'DoNotContactSet') {
      const d = event.data;
      await m.query(
        `INSERT INTO notification_do_not_contact (survivor_id, reason_code, set_at, set_by_agency_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (survivor_id) DO UPDATE SET reason_code = EXCLUDED.reason_code, set_at = EXCLUDED.set_at,
           set_by_agency_id = EXCLUDED.set_by_agency_id`,
        [d.survivorId, d.reasonCode, d.setAt, d.setBy.agencyId],
      );
      // Anything still waiting that was meant for the survivor is held back too.
      await m.query(
        "UPDATE notifications SET status = 'withheld' WHERE survivor_id = $1 AND audience = 'survivor' AND status = 'pending'",
        [d.survivorId],
      );
    } else {
      await m.query('DELETE FROM notification_do_not_contact WHERE survivor_id = $1', [event.data.survivorId]);
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM notification_consent_windows');
    await m.query('DELETE FROM notification_do_not_contact');
  }
}
