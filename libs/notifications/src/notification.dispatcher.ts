import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  CLOCK,
  type Clock,
  type PeriodicJob,
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

/** A claimed batch must finish within this before another dispatcher may retake it. */
const CLAIM_MS = 150_000;

/**
 * The `notification-delivery` job: sends pending notifications to the agency's webhook (the one
 * registered with PUT /v1/webhooks/referrals: one per agency), signed and retried exactly as
 * referral webhooks are (libs/kernel `postSigned`, the same backoff and attempt limit). Rows are
 * claimed with SKIP LOCKED. An agency without a webhook keeps the in-app list only (`no-webhook`);
 * survivor-facing rows withheld by do-not-contact are never claimed.
 */
@Injectable()
export class NotificationDispatcher {
  private readonly job: PeriodicJob<number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly webhooks: WebhookRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    jobs: PeriodicJobs,
  ) {
    this.job = jobs.define({
      name: 'notification-delivery',
      firstRunAfterMs: 1_000,
      everyMs: 1_000,
      run: () => this.run(10),
    });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Attempt every delivery due now (never beside a scheduled run); returns how many were attempted. */
  deliverDue(limit = 10): Promise<number> {
    return this.job.exclusive(() => this.run(limit));
  }

  private async run(limit: number): Promise<number> {
    const now = this.clock.now();
    const [rows] = await this.db.query<[Row[], number]>(
      `UPDATE notifications n SET locked_until = $2
         WHERE notification_id IN (SELECT notification_id FROM notifications
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
           ORDER BY next_attempt_at, global_position LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING n.notification_id, n.agency_id, n.type, n.audience, n.occurred_at, n.subject, n.attempts`,
      [now, new Date(now.getTime() + CLAIM_MS), limit],
    );
    for (const row of rows) await this.attempt(row);
    return rows.length;
  }

  private async attempt(row: Row): Promise<void> {
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
