import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  CLOCK,
  type Clock,
  OutboxDispatcher,
  PeriodicJobs,
  postSigned,
  WEBHOOK_ATTEMPTS,
  webhookBackoffMs,
} from '@harbour/kernel';
import { WebhookRegistry } from '@harbour/referrals';

/** What an agency's webhook receives for a notification: ids, types, dates and codes — nothing else. */
export interface NotificationPayload {
  deliveryId: string;
  notificationId: string;
  type: string;
  audience: 'agency' | 'survivor';
  agencyId: string;
  occurredAt: string;
  subject: Record<string, string | number>;
}

interface Row {
  notification_id: string;
  agency_id: string;
  type: string;
  audience: 'agency' | 'survivor';
  occurred_at: Date;
  subject: Record<string, string | number>;
  attempts: number;
}

/**
 * The `notification-delivery` job: sends pending notifications to the agency's webhook (the one
 * registered with PUT /v1/webhooks/referrals: one per agency), signed and retried exactly as
 * referral webhooks are (libs/kernel `postSigned` and `OutboxDispatcher`: the same claim loop,
 * backoff and attempt limit). An agency without a webhook keeps the in-app list only (`no-webhook`);
 * survivor-facing rows withheld by do-not-contact are never claimed.
 */
@Injectable()
export class NotificationDispatcher extends OutboxDispatcher<Row> {
  constructor(
    @InjectDataSource() db: DataSource,
    private readonly webhooks: WebhookRegistry,
    @Inject(CLOCK) clock: Clock,
    jobs: PeriodicJobs,
  ) {
    super(db, clock, jobs, {
      job: 'notification-delivery',
      table: 'notifications',
      key: 'notification_id',
      columns: 'o.notification_id, o.agency_id, o.type, o.audience, o.occurred_at, o.subject, o.attempts',
    });
  }

  protected async attempt(row: Row): Promise<void> {
    const target = await this.webhooks.target(row.agency_id);
    if (!target) {
      await this.db.query(
        "UPDATE notifications SET status = 'no-webhook', locked_until = NULL WHERE notification_id = $1 AND status = 'pending'",
        [row.notification_id],
      );
      return;
    }
    const payload: NotificationPayload = {
      deliveryId: row.notification_id,
      notificationId: row.notification_id,
      type: row.type,
      audience: row.audience,
      agencyId: row.agency_id,
      occurredAt: new Date(row.occurred_at).toISOString(),
      subject: row.subject,
    };
    const at = this.clock.now();
    const outcome = await postSigned({
      url: target.url,
      secret: target.secret,
      deliveryId: row.notification_id,
      eventType: row.type,
      body: JSON.stringify(payload),
      at,
    });
    const attempts = row.attempts + 1;
    // `AND status = 'pending'`: do-not-contact set meanwhile keeps a withheld row withheld.
    if (outcome.ok)
      await this.db.query(
        `UPDATE notifications SET status = 'delivered', attempts = $2, delivered_at = $3, locked_until = NULL, last_error = NULL
          WHERE notification_id = $1 AND status = 'pending'`,
        [row.notification_id, attempts, at],
      );
    else
      await this.db.query(
        `UPDATE notifications SET status = $2, attempts = $3, next_attempt_at = $4, locked_until = NULL, last_error = $5
          WHERE notification_id = $1 AND status = 'pending'`,
        [
          row.notification_id,
          attempts >= WEBHOOK_ATTEMPTS ? 'failed' : 'pending',
          attempts,
          new Date(at.getTime() + webhookBackoffMs(attempts)),
          outcome.error,
        ],
      );
  }
}
