import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { ReferralExpirySweeper, verify, WebhookDispatcher } from '@harbour/referrals';
import { startTestApp, type TestApp } from '../support/context.js';
import { IDENTIFYING, MARKER, type Network, setUpNetwork } from './fixtures.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver: answers each request with the next queued status (then 200). */
async function receiver(): Promise<{ url: string; received: Received[]; statuses: number[]; server: Server }> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/harbour`,
    received,
    statuses,
    server,
  };
}

describe('referral webhooks', () => {
  let t: TestApp;
  let n: Network;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let dispatcher: WebhookDispatcher;
  const SECRET = 'synthetic-webhook-secret-0123456789abcdef';

  beforeAll(async () => {
    t = await startTestApp();
    n = await setUpNetwork(t);
    hook = await receiver();
    dispatcher = t.app.get(WebhookDispatcher);
    await dispatcher.stop(); // the test drives deliveries itself
    // The tests move the clock by days: a background sweep would expire their referrals and
    // queue deliveries they do not expect (each answered from the receiver's status list).
    await t.app.get(ReferralExpirySweeper).stop();
  });
  afterAll(async () => {
    await new Promise((r) => hook.server.close(r));
    await t.close();
  });

  it('the agency admin registers a webhook; the secret is never returned and is not stored in clear', async () => {
    const put = await n.http
      .put('/v1/webhooks/referrals')
      .set('Authorization', await n.auth('shelter-admin'))
      .send({ url: hook.url, secret: SECRET })
      .expect(200);
    expect(put.body).toEqual({
      agencyId: n.ids.shelter,
      url: hook.url,
      registeredAt: expect.any(String),
      registeredBy: 'shelter-admin',
    });
    const get = await n.http
      .get('/v1/webhooks/referrals')
      .set('Authorization', await n.auth('shelter-admin'))
      .expect(200);
    expect(JSON.stringify(get.body)).not.toContain(SECRET);
    const rows = await t.app.get(DataSource).query('SELECT * FROM referral_webhooks');
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    // Caseworkers do not manage webhooks; a plain-http URL to another host is refused by field.
    await n.http
      .put('/v1/webhooks/referrals')
      .set('Authorization', await n.auth('tom'))
      .send({ url: hook.url, secret: SECRET })
      .expect(403);
    const bad = await n.http
      .put('/v1/webhooks/referrals')
      .set('Authorization', await n.auth('shelter-admin'))
      .send({ url: 'http://example.org/hook', secret: 'short' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['secret', 'url']);
  });

  it('delivers state changes signed, retries after a 500 with backoff and the same idempotency key, never with survivor data', async () => {
    const { survivorId } = await n.survivor();
    hook.statuses.push(500);
    const referral = await n.refer(survivorId);
    expect(referral.status).toBe(201);
    const referralId = referral.body.referralId;
    // The outbox row was written with the event, in the same transaction.
    const [{ count }] = await t.app
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM referral_webhook_outbox WHERE stream_id = $1', [
        `referral-${referralId}`,
      ]);
    expect(count).toBe(1);

    expect(await dispatcher.deliverDue()).toBe(1);
    expect(hook.received).toHaveLength(1);
    let deliveries = await n.http
      .get('/v1/webhooks/referrals/deliveries')
      .set('Authorization', await n.auth('shelter-admin'))
      .expect(200);
    // Pages are bounded (page=1e308 was a 500; found by the fuzz suite).
    const farPage = await n.http
      .get('/v1/webhooks/referrals/deliveries?page=1e308')
      .set('Authorization', await n.auth('shelter-admin'))
      .expect(400);
    expect(farPage.body.errors.map((e: { field: string }) => e.field)).toEqual(['page']);
    expect(deliveries.body.items[0]).toMatchObject({
      referralId,
      eventType: 'ReferralRequested',
      status: 'pending',
      attempts: 1,
      attemptLog: [{ attempt: 1, statusCode: 500, error: 'http-500' }],
    });

    // Not due yet: backoff (30 s after the first failure).
    expect(await dispatcher.deliverDue()).toBe(0);
    n.clock.advance(31_000);
    expect(await dispatcher.deliverDue()).toBe(1);
    expect(hook.received).toHaveLength(2);
    deliveries = await n.http
      .get('/v1/webhooks/referrals/deliveries?status=delivered')
      .set('Authorization', await n.auth('shelter-admin'))
      .expect(200);
    expect(deliveries.body.items[0]).toMatchObject({
      referralId,
      status: 'delivered',
      attempts: 2,
      attemptLog: [{ statusCode: 500 }, { statusCode: 200, error: null }],
    });

    const [first, second] = hook.received;
    expect(first.headers['idempotency-key']).toBe(second.headers['idempotency-key']);
    expect(first.body).toBe(second.body);
    for (const r of hook.received) {
      expect(
        verify(SECRET, String(r.headers['harbour-signature']), r.body, Math.floor(n.clock.now().getTime() / 1000)),
      ).toBe(true);
      expect(
        verify(
          'another-secret-another-secret-xx',
          String(r.headers['harbour-signature']),
          r.body,
          Math.floor(n.clock.now().getTime() / 1000),
        ),
      ).toBe(false);
      expect(
        verify(
          SECRET,
          String(r.headers['harbour-signature']),
          r.body.replace('high', 'low'),
          Math.floor(n.clock.now().getTime() / 1000),
        ),
      ).toBe(false);
    }
    const payload = JSON.parse(second.body);
    expect(payload).toEqual({
      deliveryId: second.headers['idempotency-key'],
      eventId: expect.any(String),
      eventType: 'ReferralRequested',
      referralId,
      state: 'requested',
      version: 0,
      occurredAt: expect.any(String),
      fromAgencyId: n.ids.care,
      toAgencyId: n.ids.shelter,
      notice: { needs: ['shelter'], urgency: 'high', language: 'tl', region: 'on-toronto', ageBand: '25-34' },
    });
    expect(second.body).not.toContain(survivorId);
    // Ids are random hex: one may hold "1994" by chance, so the values are looked for around them.
    const withoutIds = second.body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>');
    for (const value of [...Object.values(IDENTIFYING), MARKER, 'bed needed this week', '1994'])
      expect(withoutIds).not.toContain(value);
  });

  it('every later state change is delivered too, in stream order by version', async () => {
    const { survivorId } = await n.survivor();
    const referralId = await n.acceptedReferral(survivorId, 'tess');
    hook.received.length = 0;
    await dispatcher.deliverDue();
    const mine = hook.received.map((r) => JSON.parse(r.body)).filter((p) => p.referralId === referralId);
    expect(mine.map((p) => [p.version, p.eventType, p.state])).toEqual([
      [0, 'ReferralRequested', 'requested'],
      [1, 'ReferralAcknowledged', 'acknowledged'],
      [2, 'ReferralAccepted', 'accepted'],
    ]);
    // The referring agency has no webhook: nothing is queued for it.
    const rows = await t.app.get(DataSource).query('SELECT DISTINCT agency_id FROM referral_webhook_outbox');
    expect(rows).toEqual([{ agency_id: n.ids.shelter }]);
  });

  it('gives up after the last attempt and shows it as failed; removing the webhook cancels what is pending', async () => {
    const { survivorId } = await n.survivor();
    hook.statuses.push(...Array(10).fill(503));
    const referralId = (await n.refer(survivorId)).body.referralId;
    for (let i = 0; i < 10; i++) {
      await dispatcher.deliverDue();
      n.clock.advance(7 * 3_600_000);
    }
    const failed = await n.http
      .get('/v1/webhooks/referrals/deliveries?status=failed')
      .set('Authorization', await n.auth('shelter-admin'))
      .expect(200);
    expect(failed.body.items.find((d: { referralId: string }) => d.referralId === referralId)).toMatchObject({
      status: 'failed',
      attempts: 10,
    });

    hook.statuses.push(500);
    await n.act(referralId, 'acknowledgement', 'tom');
    await dispatcher.deliverDue();
    await n.http
      .delete('/v1/webhooks/referrals')
      .set('Authorization', await n.auth('shelter-admin'))
      .expect(204);
    const cancelled = await n.http
      .get('/v1/webhooks/referrals/deliveries?status=cancelled')
      .set('Authorization', await n.auth('shelter-admin'))
      .expect(200);
    expect(cancelled.body.total).toBe(1);
    await n.http
      .get('/v1/webhooks/referrals')
      .set('Authorization', await n.auth('shelter-admin'))
      .expect(404);
  });
});
