import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventStore, fold } from '@harbour/event-store';
import {
  CLOCK,
  type Clock,
  type PeriodicJob,
  PeriodicJobs,
  postSigned,
  WEBHOOK_ATTEMPTS,
  webhookBackoffMs,
} from '@harbour/kernel';
import { type Referral, referralDecider } from '../referral.decider.js';
import type { ReferralEvent, ReferralNotice } from '../referral.events.js';
import { WebhookRegistry } from './webhook.registry.js';

/** What a webhook receives: ids, the state and the notice — never survivor data. */
export interface WebhookPayload {
  deliveryId: string;
  eventId: string;
  eventType: string;
  referralId: string;
  state: Referral['status'];
  /** The referral's stream version after this event (order deliveries by it). */
  version: number;
  occurredAt: string;
  fromAgencyId: string;
  toAgencyId: string;
  notice: ReferralNotice;
}

export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_ATTEMPTS;
/** 30 s, 1 min, 2 min, … capped at 6 h (shared with every webhook: libs/kernel). */
export const backoffMs = webhookBackoffMs;
/** A claimed batch must finish within this (10 rows × the timeout, plus slack) before another dispatcher may retake it. */
const CLAIM_MS = 150_000;

interface OutboxRow {
  delivery_id: string;
  agency_id: string;
  event_id: string;
  event_type: string;
  stream_id: string;
  stream_version: string;
  attempts: number;
}

/**
 * Delivers the webhook outbox: at least once, signed (HMAC-SHA256), with the delivery id as
 * Idempotency-Key, retried with exponential backoff up to WEBHOOK_MAX_ATTEMPTS. Rows are
 * claimed with SKIP LOCKED, so several processes can dispatch without sending a row twice at once.
 * The `webhook-delivery` job looks every second where projections run.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly job: PeriodicJob<number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: EventStore,
    private readonly registry: WebhookRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    jobs: PeriodicJobs,
  ) {
    this.job = jobs.define({
      name: 'webhook-delivery',
      firstRunAfterMs: 1_000,
      everyMs: 1_000,
      run: () => this.run(10),
    });
  }

  /** Stop the background loop (tests drive deliveries themselves); resolves once a run in flight has finished. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Attempt every delivery that is due now (never beside a scheduled run); returns how many were attempted. */
  deliverDue(limit = 10): Promise<number> {
    return this.job.exclusive(() => this.run(limit));
  }

  private async run(limit: number): Promise<number> {
    const now = this.clock.now();
    const [rows] = await this.db.query<[OutboxRow[], number]>(
      `UPDATE referral_webhook_outbox o SET locked_until = $2
         WHERE delivery_id IN (SELECT delivery_id FROM referral_webhook_outbox
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
           ORDER BY next_attempt_at, global_position LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING o.delivery_id, o.agency_id, o.event_id, o.event_type, o.stream_id, o.stream_version::text, o.attempts`,
      [now, new Date(now.getTime() + CLAIM_MS), limit],
    );
    for (const row of rows) await this.attempt(row);
    return rows.length;
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const target = await this.registry.target(row.agency_id);
    if (!target) {
      await this.db.query(
        "UPDATE referral_webhook_outbox SET status = 'cancelled', locked_until = NULL WHERE delivery_id = $1",
        [row.delivery_id],
      );
      return;
    }
    const body = JSON.stringify(await this.payload(row));
    const at = this.clock.now();
    const { ok, statusCode, error, durationMs } = await postSigned({
      url: target.url,
      secret: target.secret,
      deliveryId: row.delivery_id,
      eventType: row.event_type,
      body,
      at,
    });
    const attempts = row.attempts + 1;
    await this.db.transaction(async (m) => {
      await m.query(
        'INSERT INTO referral_webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)',
        [row.delivery_id, attempts, at, statusCode, error, durationMs],
      );
      if (ok) {
        await m.query(
          "UPDATE referral_webhook_outbox SET status = 'delivered', attempts = $2, delivered_at = $3, locked_until = NULL WHERE delivery_id = $1",
          [row.delivery_id, attempts, at],
        );
      } else {
        const status = attempts >= WEBHOOK_MAX_ATTEMPTS ? 'failed' : 'pending';
        await m.query(
          'UPDATE referral_webhook_outbox SET status = $2, attempts = $3, next_attempt_at = $4, locked_until = NULL WHERE delivery_id = $1',
          [row.delivery_id, status, attempts, new Date(at.getTime() + backoffMs(attempts))],
        );
      }
    });
  }

  /** Built from the log (the referral folded up to this event), so every retry sends the same body. */
  private async payload(row: OutboxRow): Promise<WebhookPayload> {
    const upTo = Number(row.stream_version);
    const stored = await this.store.readStream(row.stream_id, 0, upTo + 1);
    const state = fold(
      referralDecider,
      stored.map((e) => ({ type: e.type, data: e.data }) as ReferralEvent),
    ) as Referral;
    const event = stored[stored.length - 1];
    return {
      deliveryId: row.delivery_id,
      eventId: row.event_id,
      eventType: row.event_type,
      referralId: state.referralId,
      state: state.status,
      version: upTo,
      occurredAt: event.recordedAt.toISOString(),
      fromAgencyId: state.fromAgencyId,
      toAgencyId: state.toAgencyId,
      notice: state.notice,
    };
  }
}
