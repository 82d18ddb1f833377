import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Harbour's outgoing webhooks, shared by every context that delivers to an agency's webhook
 * (referrals, notifications): the signature and one signed POST. HMAC-SHA256 from node:crypto.
 */

/** `Harbour-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` */
export function sign(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** The receiver's check (also used by our tests): constant-time compare, and a freshness bound. */
export function verify(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isSafeInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface SignedDelivery {
  url: string;
  secret: string;
  /** The delivery id: sent as Idempotency-Key and Harbour-Delivery, the same on every retry. */
  deliveryId: string;
  /** Harbour-Event header. */
  eventType: string;
  body: string;
  /** The signing instant. */
  at: Date;
}

/** The attempt's outcome: an HTTP status, or `timeout` / `network-error` (never a message). */
export interface DeliveryOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** One signed POST (10 s timeout, redirects not followed); 2xx is delivered, anything else is a failure to retry. */
export async function postSigned(d: SignedDelivery): Promise<DeliveryOutcome> {
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(d.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Harbour-Webhooks/1',
        'Idempotency-Key': d.deliveryId,
        'Harbour-Delivery': d.deliveryId,
        'Harbour-Event': d.eventType,
        'Harbour-Signature': sign(d.secret, Math.floor(d.at.getTime() / 1000), d.body),
      },
      body: d.body,
    });
    statusCode = response.status;
    await response.body?.cancel().catch(() => undefined);
  } catch (e) {
    error = (e as Error).name === 'TimeoutError' ? 'timeout' : 'network-error';
  }
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  return { ok, statusCode, error: ok ? null : (error ?? `http-${statusCode}`), durationMs: Date.now() - started };
}

/** 30 s, 1 min, 2 min, … capped at 6 h. */
export const webhookBackoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
export const WEBHOOK_ATTEMPTS = 10;
