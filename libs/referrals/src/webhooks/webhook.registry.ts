import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock, NotFound } from '@harbour/kernel';
import { MasterKeys } from '@harbour/privacy';
import { openSecret, type SealedSecret, sealSecret } from './secret-box.js';
import { ReferralErrors } from '../errors.js';

export interface WebhookView {
  agencyId: string;
  url: string;
  registeredAt: string;
  registeredBy: string;
}

export interface DeliveryView {
  deliveryId: string;
  eventId: string;
  eventType: string;
  referralId: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  attemptLog: Array<{
    attempt: number;
    at: string;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
  }>;
}

interface WebhookRow {
  agency_id: string;
  url: string;
  secret: unknown;
  registered_at: Date;
  registered_by: string;
}

interface DeliveryRow {
  delivery_id: string;
  event_id: string;
  event_type: string;
  stream_id: string;
  status: DeliveryView['status'];
  attempts: number;
  created_at: Date;
  next_attempt_at: Date;
  delivered_at: Date | null;
  attempt_log: DeliveryView['attemptLog'];
}

/**
 * Each agency's one webhook. Configuration, not a domain fact: the secret must stay out of the
 * immutable log, so registrations live in a table; the secret is sealed (AES-256-GCM under a
 * key derived from the master key) and never returned.
 */
@Injectable()
export class WebhookRegistry {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keys: MasterKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async register(agencyId: string, url: string, secret: string, by: string): Promise<WebhookView> {
    const sealed = sealSecret(this.keys, agencyId, secret);
    const at = this.clock.now();
    await this.db.query(
      `INSERT INTO referral_webhooks (agency_id, url, secret, registered_by, registered_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (agency_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, registered_by = EXCLUDED.registered_by, registered_at = EXCLUDED.registered_at`,
      [agencyId, url, JSON.stringify(sealed), by, at],
    );
    return { agencyId, url, registeredAt: at.toISOString(), registeredBy: by };
  }

  async get(agencyId: string): Promise<WebhookView> {
    const [row] = await this.db.query<WebhookRow[]>(
      'SELECT agency_id, url, registered_at, registered_by FROM referral_webhooks WHERE agency_id = $1',
      [agencyId],
    );
    if (!row) throw new NotFound('Webhook', ReferralErrors.webhookNotFound);
    return {
      agencyId: row.agency_id,
      url: row.url,
      registeredAt: new Date(row.registered_at).toISOString(),
      registeredBy: row.registered_by,
    };
  }

  /** Pending deliveries to a removed webhook are cancelled, not sent anywhere else. */
  async remove(agencyId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      // TypeORM answers a DELETE … RETURNING with [rows, count].
      const res = await m.query<[unknown[], number] | []>(
        'DELETE FROM referral_webhooks WHERE agency_id = $1 RETURNING agency_id',
        [agencyId],
      );
      if (res[0]?.length === 0 || res.length === 0) throw new NotFound('Webhook', ReferralErrors.webhookNotFound);
      await m.query(
        "UPDATE referral_webhook_outbox SET status = 'cancelled' WHERE agency_id = $1 AND status = 'pending'",
        [agencyId],
      );
    });
  }

  /**
   * After a master-key rotation (`harbour keys rotate-master`): every secret sealed under
   * another master key is opened and sealed again under the current one, one row at a time
   * (a registration changed meanwhile is left to its new seal). Secrets no configured key opens
   * are left as they were and their agencies named.
   */
  async resealAll(): Promise<{ resealed: number; unreadableAgencyIds: string[] }> {
    const rows = await this.db.query<Array<{ agency_id: string; secret: SealedSecret }>>(
      "SELECT agency_id, secret FROM referral_webhooks WHERE secret->>'mk' IS DISTINCT FROM $1 ORDER BY agency_id",
      [this.keys.current.id],
    );
    const report = { resealed: 0, unreadableAgencyIds: [] as string[] };
    for (const row of rows) {
      let secret: string;
      try {
        secret = openSecret(this.keys, row.agency_id, row.secret);
      } catch {
        report.unreadableAgencyIds.push(row.agency_id);
        continue;
      }
      const [, count] = await this.db.query<[unknown[], number]>(
        'UPDATE referral_webhooks SET secret = $1 WHERE agency_id = $2 AND secret = $3::jsonb',
        [JSON.stringify(sealSecret(this.keys, row.agency_id, secret)), row.agency_id, JSON.stringify(row.secret)],
      );
      report.resealed += count;
    }
    return report;
  }

  /** URL and secret for signing a delivery (null: no webhook any more). */
  async target(agencyId: string): Promise<{ url: string; secret: string } | null> {
    const [row] = await this.db.query<WebhookRow[]>('SELECT url, secret FROM referral_webhooks WHERE agency_id = $1', [
      agencyId,
    ]);
    return row ? { url: row.url, secret: openSecret(this.keys, agencyId, row.secret as SealedSecret) } : null;
  }

  async deliveries(
    agencyId: string,
    page: number,
    pageSize: number,
    status?: string,
  ): Promise<{ items: DeliveryView[]; page: number; pageSize: number; total: number }> {
    const params: unknown[] = [agencyId];
    let where = 'agency_id = $1';
    if (status) {
      params.push(status);
      where += ' AND status = $2';
    }
    const [{ total }] = await this.db.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM referral_webhook_outbox WHERE ${where}`,
      params,
    );
    const rows = await this.db.query<DeliveryRow[]>(
      `SELECT o.*, coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.attempt)
         FROM referral_webhook_attempts a WHERE a.delivery_id = o.delivery_id), '[]') AS attempt_log
       FROM referral_webhook_outbox o WHERE ${where} ORDER BY o.created_at DESC, o.global_position DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    const items: DeliveryView[] = rows.map((r) => ({
      deliveryId: r.delivery_id,
      eventId: r.event_id,
      eventType: r.event_type,
      referralId: String(r.stream_id).slice('referral-'.length),
      status: r.status,
      attempts: r.attempts,
      createdAt: new Date(r.created_at).toISOString(),
      nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at).toISOString() : null,
      deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
      attemptLog: r.attempt_log.map((a) => ({
        ...a,
        at: new Date(a.at).toISOString(),
      })),
    }));
    return { items, page, pageSize, total };
  }
}
