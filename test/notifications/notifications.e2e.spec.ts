import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ProjectionRunner } from '@harbour/event-store';
import { FixedClock } from '@harbour/kernel';
import { ConsentReminders, NotificationDispatcher } from '@harbour/notifications';
import { ReferralExpirySweeper, verify, WebhookDispatcher } from '@harbour/referrals';
import { startTestApp, type TestApp } from '../support/context.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/store-context.js';
import { IDENTIFYING, MARKER, type Network, setUpNetwork } from '../referrals/fixtures.js';
import { receiver } from './fixtures.js';

const DAY = 86_400_000;
const CARE_SECRET = 'synthetic-care-webhook-secret-0123456789';
const SHELTER_SECRET = 'synthetic-shelter-webhook-secret-012345';
/** The same keys across the restart: the second process must read what the first wrote. */
const ENV = {
  HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
  HARBOUR_NOTARY_KEY: generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'der' })
    .toString('base64'),
};

/** None of the synthetic record's values (names, contacts, dates, narrative, notes) may appear in what leaves. */
function expectNoRecordValues(text: string) {
  // Ids are random hex: one may hold "1994" by chance, so the values are looked for around them.
  const withoutIds = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>');
  for (const value of [MARKER, ...Object.values(IDENTIFYING), 'Toronto', '1994', 'Maria', 'Secret Lane'])
    expect(withoutIds).not.toContain(value);
}

describe('notifications over HTTP: consent reminders, access ended, do-not-contact, id-only delivery, restart', () => {
  let db: TestDatabase;
  let t: TestApp;
  let n: Network;
  let clock: FixedClock;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let reminders: ConsentReminders;
  let dispatcher: NotificationDispatcher;
  let open = true;

  const events = async (type: string) =>
    (
      await t.app
        .get(DataSource)
        .query<Array<{ data: Record<string, unknown> }>>(
          'SELECT data FROM harbour_events WHERE type = $1 ORDER BY global_position',
          [type],
        )
    ).map((r) => r.data);
  const list = async (user: string, query = '') => {
    const res = await n.http
      .get(`/v1/notifications${query}`)
      .set('Authorization', await n.auth(user))
      .expect(200);
    return res.body as { items: Array<Record<string, any>>; total: number; unread: number };
  };
  /** Waits until the notifications projection has caught up with the log. */
  const settled = () =>
    eventually(async () => {
      const status = await t.app.get(ProjectionRunner).status();
      expect(status.find((p) => p.name === 'notifications')?.lag).toBe(0);
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({ databaseUrl: db.url, env: ENV });
    clock = t.clock as FixedClock;
    n = await setUpNetwork(t);
    hook = await receiver();
    reminders = t.app.get(ConsentReminders);
    dispatcher = t.app.get(NotificationDispatcher);
    // The test drives the jobs itself (it moves the clock by days).
    await Promise.all([
      reminders.stop(),
      dispatcher.stop(),
      t.app.get(WebhookDispatcher).stop(),
      t.app.get(ReferralExpirySweeper).stop(),
    ]);
    for (const [admin, path, secret] of [
      ['admin', '/care', CARE_SECRET],
      ['shelter-admin', '/shelter', SHELTER_SECRET],
    ])
      await n.http
        .put('/v1/webhooks/referrals')
        .set('Authorization', await n.auth(admin))
        .send({ url: `${hook.base}${path}`, secret })
        .expect(200);
  });
  afterAll(async () => {
    if (open) await t.app.close();
    hook.server.closeAllConnections();
    await new Promise((r) => hook.server.close(r));
    await db.drop();
  });

  let reminded: { survivorId: string; consentId: string };

  it('reminds the care team once, 14 days before a consent ends, and delivers it signed with ids only', async () => {
    reminded = await n.survivor({ validUntil: new Date(clock.now().getTime() + 20 * DAY).toISOString() });
    await settled();
    expect(await reminders.sweep()).toBe(0); // 20 days left: not yet
    clock.advance(7 * DAY); // 13 days left
    expect(await reminders.sweep()).toBe(1);
    expect(await reminders.sweep()).toBe(0); // once per consent per window, even before the projection caught up
    await settled();
    expect(await reminders.sweep()).toBe(0);

    const care = await list('ana');
    const due = care.items.find((i) => i.type === 'consent.review-due' && i.subject.consentId === reminded.consentId);
    expect(due).toMatchObject({
      audience: 'agency',
      subject: {
        survivorId: reminded.survivorId,
        consentId: reminded.consentId,
        consentVersion: 1,
        validUntil: expect.any(String),
      },
      doNotContact: false,
      delivery: 'pending',
      readAt: null,
    });
    // The shelter the consent names is not on the care team: no reminder for it.
    expect((await list('tom')).items.filter((i) => i.type === 'consent.review-due')).toHaveLength(0);

    await dispatcher.deliverDue(50);
    const toCare = hook.received.filter((r) => r.path === '/care');
    expect(toCare.map((r) => JSON.parse(r.body).type).sort()).toEqual([
      'consent.review-due',
      'consent.review-invitation',
    ]);
    for (const r of toCare) {
      expect(
        verify(CARE_SECRET, String(r.headers['harbour-signature']), r.body, Math.floor(clock.now().getTime() / 1000)),
      ).toBe(true);
      expect(r.headers['idempotency-key']).toBe(JSON.parse(r.body).deliveryId);
      expectNoRecordValues(r.body);
      expect(Object.keys(JSON.parse(r.body)).sort()).toEqual(
        ['agencyId', 'audience', 'deliveryId', 'notificationId', 'occurredAt', 'subject', 'type'].sort(),
      );
    }
    const invitation = JSON.parse(toCare.find((r) => JSON.parse(r.body).type === 'consent.review-invitation')!.body);
    expect(invitation.audience).toBe('survivor');
    expect((await list('ana')).items.find((i) => i.notificationId === due!.notificationId)!.delivery).toBe('delivered');
    // Nothing of the record in the stored rows or the watch events either.
    expectNoRecordValues(JSON.stringify(await t.app.get(DataSource).query('SELECT * FROM notifications')));
    expectNoRecordValues(JSON.stringify(await events('ConsentReviewReminderRecorded')));
  });

  it('a revocation and an expiry notify every agency whose access ended (never with the survivor id)', async () => {
    const revoked = await n.survivor();
    const referralId = await n.acceptedReferral(revoked.survivorId, 'tess');
    await n.http
      .post(`/v1/intakes/${revoked.survivorId}/consents/${revoked.consentId}/revocation`)
      .set('Authorization', await n.auth('ana'))
      .send({ method: 'verbal' })
      .expect(200);
    const expiring = await n.survivor({
      recipient: { kind: 'sector', sector: 'legal' },
      validUntil: new Date(clock.now().getTime() + DAY).toISOString(),
    });
    await settled();
    await reminders.sweep();
    clock.advance(2 * DAY);
    await reminders.sweep();
    await settled();

    const ended = await events('ConsentAccessEndedRecorded');
    expect(ended.find((e) => e.consentId === revoked.consentId)).toMatchObject({
      reason: 'revoked',
      agencyIds: [n.ids.shelter],
    });
    expect(ended.find((e) => e.consentId === expiring.consentId)).toMatchObject({
      reason: 'expired',
      agencyIds: [n.ids.legal],
    });
    expect(referralId).toEqual(expect.any(String));

    const shelter = (await list('tom')).items.filter((i) => i.type === 'consent.access-ended');
    expect(shelter.map((i) => i.subject)).toEqual([
      { consentId: revoked.consentId, consentVersion: 1, reason: 'revoked', endedAt: expect.any(String) },
    ]);
    expect(shelter[0].doNotContact).toBeNull();
    const legal = (await list('lee')).items.filter((i) => i.type === 'consent.access-ended');
    expect(legal.map((i) => i.subject.reason)).toEqual(['expired']);

    await dispatcher.deliverDue(50);
    const toShelter = hook.received.filter((r) => r.path === '/shelter');
    expect(toShelter).toHaveLength(1);
    const body = JSON.parse(toShelter[0].body);
    expect(body).toMatchObject({ type: 'consent.access-ended', agencyId: n.ids.shelter });
    expect(toShelter[0].body).not.toContain(revoked.survivorId);
    expectNoRecordValues(toShelter[0].body);
    expect(
      verify(
        SHELTER_SECRET,
        String(toShelter[0].headers['harbour-signature']),
        toShelter[0].body,
        Math.floor(clock.now().getTime() / 1000),
      ),
    ).toBe(true);
    // Legal aid registered no webhook: the in-app list is its only channel.
    expect(legal[0].delivery).toBe('pending');
    expect((await list('lee')).items.find((i) => i.type === 'consent.access-ended')!.delivery).toBe('no-webhook');
  });

  it('do-not-contact (care team, a reason code) withholds what is meant for the survivor and shows on the care team’s notifications', async () => {
    const s = await n.survivor({ validUntil: new Date(clock.now().getTime() + 10 * DAY).toISOString() });
    const url = `/v1/intakes/${s.survivorId}/do-not-contact`;
    const bad = await n.http
      .put(url)
      .set('Authorization', await n.auth('ana'))
      .send({ reasonCode: 'she told me on Friday' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['reasonCode']);
    await n.http
      .put(url)
      .set('Authorization', await n.auth('tom'))
      .send({ reasonCode: 'safety-risk' })
      .expect(404); // off the care team, with no accepted referral: the record is not shown to exist
    const set = await n.http
      .put(url)
      .set('Authorization', await n.auth('ana'))
      .send({ reasonCode: 'safety-risk' })
      .expect(200);
    expect(set.body).toMatchObject({ survivorId: s.survivorId, doNotContact: true, reasonCode: 'safety-risk' });
    await n.http
      .put(url)
      .set('Authorization', await n.auth('ana'))
      .send({ reasonCode: 'other' })
      .expect(409);
    const read = await n.http
      .get(url)
      .set('Authorization', await n.auth('ana'))
      .expect(200);
    expect(read.body).toMatchObject({ doNotContact: true, reasonCode: 'safety-risk' });
    // Reading the switch is an access event of the survivor's record.
    expect(
      (await n.accessEvents(s.survivorId)).some((e) => e.route === 'GET /v1/intakes/:survivorId/do-not-contact'),
    ).toBe(true);
    await settled();

    const before = hook.received.length;
    expect(await reminders.sweep()).toBe(1);
    await settled();
    const mine = (await list('ana')).items.filter((i) => i.subject.survivorId === s.survivorId);
    expect(mine.map((i) => [i.type, i.delivery, i.doNotContact]).sort()).toEqual([
      ['consent.review-due', 'pending', true],
      ['consent.review-invitation', 'withheld', true],
    ]);
    await dispatcher.deliverDue(50);
    const sent = hook.received.slice(before).map((r) => JSON.parse(r.body));
    // The care team is still reminded; the survivor-facing invitation never leaves.
    expect(sent.map((b) => b.type)).toEqual(['consent.review-due']);

    const cleared = await n.http
      .delete(url)
      .set('Authorization', await n.auth('ana'))
      .expect(200);
    expect(cleared.body).toMatchObject({ doNotContact: false, reasonCode: null });
    await n.http
      .delete(url)
      .set('Authorization', await n.auth('ana'))
      .expect(409);
    await settled();
    expect(
      (await list('ana')).items.find((i) => i.type === 'consent.review-due' && i.subject.survivorId === s.survivorId)!
        .doNotContact,
    ).toBe(false);
    // Withheld stays withheld: clearing the switch does not send what was held back while it was set.
    await dispatcher.deliverDue(50);
    expect(hook.received.slice(before).map((r) => JSON.parse(r.body).type)).toEqual(['consent.review-due']);
  });

  it('staff mark their agency’s notifications read; another agency’s are not found; the list pages', async () => {
    const all = await list('ana');
    expect(all.unread).toBe(all.total);
    const first = all.items[0];
    const read = await n.http
      .post(`/v1/notifications/${first.notificationId}/read`)
      .set('Authorization', await n.auth('ana'))
      .expect(200);
    expect(read.body).toEqual({ notificationId: first.notificationId, readAt: expect.any(String), readBy: 'ana' });
    const unread = await list('ana', '?unread=true');
    expect(unread.items.map((i) => i.notificationId)).not.toContain(first.notificationId);
    expect(unread.total).toBe(all.total - 1);
    expect((await list('ana', '?pageSize=1&page=2')).items).toHaveLength(1);
    await n.http
      .post(`/v1/notifications/${first.notificationId}/read`)
      .set('Authorization', await n.auth('tom'))
      .expect(404);
  });

  it('after a restart, the job finds nothing to remind again and nothing is delivered twice', async () => {
    const remindersBefore = (await events('ConsentReviewReminderRecorded')).length;
    const endsBefore = (await events('ConsentAccessEndedRecorded')).length;
    const deliveredBefore = hook.received.length;
    const at = clock.now();
    await t.app.close(); // the process ends; the database stays
    t = await startTestApp({ databaseUrl: db.url, env: ENV, clock: new FixedClock(at) });
    reminders = t.app.get(ConsentReminders);
    dispatcher = t.app.get(NotificationDispatcher);
    await Promise.all([reminders.stop(), dispatcher.stop(), t.app.get(WebhookDispatcher).stop()]);
    await settled();
    expect(await reminders.sweep()).toBe(0);
    await dispatcher.deliverDue(50);
    expect((await events('ConsentReviewReminderRecorded')).length).toBe(remindersBefore);
    expect((await events('ConsentAccessEndedRecorded')).length).toBe(endsBefore);
    expect(hook.received.length).toBe(deliveredBefore);
    await t.app.close();
    open = false;
  });
});
