import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventStore, fold } from '@harbour/event-store';
import {
  CLOCK,
  type Clock,
  OutboxDispatcher,
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
 * Idempotency-Key, retried with exponential backoff up to WEBHOOK_MAX_ATTEMPTS. The claim loop
 * (SKIP LOCKED, the `webhook-delivery` job every second) is libs/kernel's OutboxDispatcher.
 */
@Injectable()
export class WebhookDispatcher extends OutboxDispatcher<OutboxRow> {
  constructor(
    @InjectDataSource() db: DataSource,
    private readonly store: EventStore,
    private readonly registry: WebhookRegistry,
    @Inject(CLOCK) clock: Clock,
    jobs: PeriodicJobs,
  ) {
    super(db, clock, jobs, {
      job: 'webhook-delivery',
      table: 'referral_webhook_outbox',
      key: 'delivery_id',
      columns: 'o.delivery_id, o.agency_id, o.event_id, o.event_type, o.stream_id, o.stream_version::text, o.attempts',
    });
  }

  protected async attempt(row: OutboxRow): Promise<void> {
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
