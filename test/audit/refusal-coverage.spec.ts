import { randomUUID } from 'node:crypto';
import { DevKeys } from '@harbour/auth';
import { EventStore } from '@harbour/event-store';
import { FlagsService } from '@harbour/audit';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/context.js';
import { namesSubject, routeTable } from '../support/routes.js';
import { eventually } from '../support/store-context.js';
import { type Network, setUpNetwork } from '../referrals/fixtures.js';

/**
 * How to call each route that names a survivor (`:survivorId`) or a referral (`:referralId`) in
 * its path: a valid query and body, so that a refusal comes from the access checks and not from
 * input validation. A new such route fails this test until it is added here.
 */
const JUSTIFICATION = 'Survivor missing since last night; the outreach team needs the safety plan now.';
const CALLS: Record<string, { query?: string; body?: Record<string, unknown> }> = {
  'GET /v1/intakes/:survivorId': { query: 'purpose=care-coordination' },
  'PUT /v1/intakes/:survivorId/sections/:section': { body: { content: { situation: 'stable' } } },
  'POST /v1/intakes/:survivorId/care-team': { body: { userId: 'lee' } },
  'PUT /v1/intakes/:survivorId/check-ins/schedule': {
    body: { everyDays: 14, startsOn: '2026-12-01', agreed: 'verbal' },
  },
  'POST /v1/intakes/:survivorId/check-ins': { body: { heldOn: '2026-01-05', consentReflectsWishes: true } },
  'POST /v1/intakes/:survivorId/consents': {
    body: {
      recipient: { kind: 'sector', sector: 'legal' },
      sections: ['needs'],
      purposes: ['referral'],
      method: 'verbal',
      language: 'en',
    },
  },
  'POST /v1/intakes/:survivorId/consents/:consentId/amendments': {
    body: { sections: ['needs'], method: 'verbal', language: 'en' },
  },
  'POST /v1/intakes/:survivorId/consents/:consentId/revocation': { body: { method: 'verbal' } },
  'POST /v1/intakes/:survivorId/exclusions': {
    body: { target: { kind: 'sector', sector: 'corporate' }, method: 'verbal', language: 'en' },
  },
  'POST /v1/intakes/:survivorId/exclusions/:exclusionId/lifting': { body: { method: 'verbal' } },
  'POST /v1/intakes/:survivorId/erasure-requests': { body: { scope: 'record', obtainedHow: 'written' } },
  'POST /v1/intakes/:survivorId/erasure-requests/:requestId/decision': {
    body: { decision: 'approve', reason: 'request-verified' },
  },
  'GET /v1/intakes/:survivorId/referrals': {},
  'GET /v1/intakes/:survivorId/copy': {},
  'POST /v1/intakes/:survivorId/share-codes': { body: { language: 'en' } },
  'GET /v1/intakes/:survivorId/share-codes': {},
  'GET /v1/intakes/:survivorId/duplicate-check': {},
  'POST /v1/intakes/:survivorId/link': { body: { recordId: '6f9619ff-8b86-4d11-b42d-00c04fc964ff' } },
  'POST /v1/intakes/:survivorId/unlink': {},
  'POST /v1/intakes/:survivorId/share-codes/:codeId/revocation': {},
  'GET /v1/intakes/:survivorId/referral-suggestions': {},
  'POST /v1/intakes/:survivorId/offer-requests': {
    body: { offerId: '00000000-0000-4000-8000-000000000000', need: 'food', region: 'on-toronto' },
  },
  'GET /v1/intakes/:survivorId/offer-requests': {},
  'GET /v1/intakes/:survivorId/offer-suggestions': {},
  'GET /v1/intakes/:survivorId/do-not-contact': {},
  'DELETE /v1/intakes/:survivorId/do-not-contact': {},
  'PUT /v1/intakes/:survivorId/do-not-contact': { body: { reasonCode: 'safety-risk' } },
  'PUT /v1/intakes/:survivorId/impact-stories/:storyId': { body: { text: 'A synthetic story.' } },
  'POST /v1/intakes/:survivorId/impact-stories': { body: { text: 'A synthetic story.' } },
  'GET /v1/intakes/:survivorId/impact-stories/:storyId': {},
  'POST /v1/intakes/:survivorId/impact-stories/:storyId/export': {},
  'GET /v1/audit/survivors/:survivorId/disclosures': {},
  'POST /v1/audit/survivors/:survivorId/break-glass': { body: { justification: JUSTIFICATION } },
  'POST /v1/audit/survivors/:survivorId/break-glass/:grantId/closure': {},
  'POST /v1/audit/survivors/:survivorId/break-glass/:grantId/review': {
    body: { finding: 'justified', note: 'Checked against the case notes.' },
  },
  'GET /v1/referrals/:referralId': {},
  'POST /v1/referrals/:referralId/acknowledgement': {},
  'POST /v1/referrals/:referralId/acceptance': { body: {} },
  'POST /v1/referrals/:referralId/decline': { body: { reason: 'no-capacity' } },
  'POST /v1/referrals/:referralId/introduction': {
    body: { at: '2026-11-04T15:00:00Z', mode: 'video', attendees: ['ana'] },
  },
  'POST /v1/referrals/:referralId/handoff-confirmation': {},
  'POST /v1/referrals/:referralId/closure': { body: { outcome: 'engaged' } },
  'POST /v1/referrals/:referralId/withdrawal': {},
};

/** The answer without what differs per request (request id, instance). */
const shape = (res: { status: number; body: Record<string, unknown> }) => {
  const { requestId: _r, instance: _i, ...rest } = res.body;
  return { status: res.status, ...rest };
};

describe('refusals on survivor and referral routes: one answer for real and random ids, and every refusal is an access event', () => {
  let t: TestApp;
  let n: Network;
  let survivorId: string;
  let referralId: string;
  let dee: string;

  const call = async (route: string, ids: { survivor: string; referral: string }, authorization: string) => {
    const [method, template] = route.split(' ') as [string, string];
    const path = template
      .replace(':survivorId', ids.survivor)
      .replace(':referralId', ids.referral)
      .replace(':section', 'housing')
      .replace(/:(consentId|exclusionId|grantId|requestId|codeId|storyId)/g, () => randomUUID());
    const { query, body } = CALLS[route];
    const req = n.http[method.toLowerCase() as 'get' | 'post' | 'put'](`${path}${query ? `?${query}` : ''}`).set(
      'Authorization',
      authorization,
    );
    return body ? req.send(body) : req;
  };
  /** This request's access event in the survivor's trail (by request id). */
  const eventOf = async (requestId: string) =>
    (await t.app.get(EventStore).readStream(`access-${survivorId}`))
      .filter((e) => e.type === 'SurvivorDataAccessed' && (e.data as { requestId: string }).requestId === requestId)
      .map((e) => e.data as Record<string, any>);

  beforeAll(async () => {
    t = await startTestApp();
    n = await setUpNetwork(t);
    ({ survivorId } = await n.survivor());
    referralId = await n.acceptedReferral(survivorId, 'tess');
    // A legal-aid worker who is then deactivated, still holding a token.
    await n.http
      .post(`/v1/agencies/${n.ids.legal}/staff`)
      .set('Authorization', await n.auth('legal-admin'))
      .send({ userId: 'dee', displayName: 'Dee', email: 'dee@example.org', roles: ['caseworker'] })
      .expect(201);
    dee = `Bearer ${await t.app.get(DevKeys).mintDevToken({ userId: 'dee', agencyId: n.ids.legal, roles: ['caseworker'] })}`;
    await n.http
      .post('/v1/staff/dee/deactivation')
      .set('Authorization', await n.auth('legal-admin'))
      .send({ reason: 'Left the agency' })
      .expect(200);
  });
  afterAll(() => t.close());

  it('knows how to call every route that names a survivor or a referral, and nothing else', () => {
    expect(
      routeTable(t)
        .filter(namesSubject)
        .map((r) => r.key),
    ).toEqual(Object.keys(CALLS).sort());
  });

  it.each(Object.keys(CALLS))(
    '%s: a caller with no relation gets the same answer for the real id as for a random one, and the refusal is recorded',
    async (route) => {
      const lee = await n.auth('lee'); // legal aid: on no care team, no party to the referral
      const real = await call(route, { survivor: survivorId, referral: referralId }, lee);
      const random = await call(route, { survivor: randomUUID(), referral: randomUUID() }, lee);
      expect(real.status).toBeGreaterThanOrEqual(400);
      expect(shape(random)).toEqual(shape(real));
      const [event] = await eventOf(String(real.headers['x-request-id']));
      expect(event).toMatchObject({
        outcome: 'denied',
        actor: { userId: 'lee', agencyId: n.ids.legal },
        sectionsReturned: [],
        route,
      });
      expect(event.sectionsWithheld.length).toBeGreaterThan(0);
    },
  );

  it('POST /v1/referrals (the survivor in the body): a caller with no relation gets the same answer for the real id as for a random one, recorded', async () => {
    const real = await n.refer(survivorId, { toAgencyId: n.ids.shelter }, 'lee');
    const random = await n.refer(randomUUID(), { toAgencyId: n.ids.shelter }, 'lee');
    expect(shape(random)).toEqual(shape(real));
    expect(real.body).toMatchObject({ status: 404, code: 'intake-not-found' });
    const [event] = await eventOf(String(real.headers['x-request-id']));
    expect(event).toMatchObject({ outcome: 'denied', actor: { userId: 'lee' }, route: 'POST /v1/referrals' });
  });

  it.each(Object.keys(CALLS))(
    '%s: a deactivated staff member is refused, and the refusal is recorded',
    async (route) => {
      const res = await call(route, { survivor: survivorId, referral: referralId }, dee);
      expect(res.body).toMatchObject({ status: 403, code: 'staff-deactivated' });
      const [event] = await eventOf(String(res.headers['x-request-id']));
      expect(event).toMatchObject({ outcome: 'denied', actor: { userId: 'dee' }, route });
      expect(event.sectionsWithheld.every((w: { reason: string }) => w.reason === 'staff-deactivated')).toBe(true);
    },
  );

  it('fails closed: when a refusal cannot be recorded, the answer is 503 access-not-recorded', async () => {
    const db = t.app.get(DataSource);
    await db.query(`CREATE FUNCTION refuse_refusal_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.stream_id LIKE 'access-%' THEN RAISE EXCEPTION 'audit storage unavailable'; END IF; RETURN NEW; END $$`);
    await db.query(
      'CREATE TRIGGER refuse_refusal_events BEFORE INSERT ON harbour_events FOR EACH ROW EXECUTE FUNCTION refuse_refusal_events()',
    );
    try {
      expect(
        (await call('GET /v1/intakes/:survivorId', { survivor: survivorId, referral: referralId }, dee)).body,
      ).toMatchObject({ status: 503, code: 'access-not-recorded' });
      expect(
        (
          await call(
            'GET /v1/referrals/:referralId',
            { survivor: survivorId, referral: referralId },
            await n.auth('lee'),
          )
        ).body,
      ).toMatchObject({ status: 503, code: 'access-not-recorded' });
      expect(
        (
          await call(
            'PUT /v1/intakes/:survivorId/sections/:section',
            { survivor: survivorId, referral: referralId },
            await n.auth('lee'),
          )
        ).body,
      ).toMatchObject({ status: 503, code: 'access-not-recorded' });
    } finally {
      await db.query('DROP TRIGGER IF EXISTS refuse_refusal_events ON harbour_events');
      await db.query('DROP FUNCTION IF EXISTS refuse_refusal_events()');
    }
  });

  it('a suspended agency is refused on the referral routes, recorded; the repeated-denials flag sees the probing', async () => {
    await n.http
      .post(`/v1/agencies/${n.ids.shelter}/suspension`)
      .set('Authorization', await n.auth('admin'))
      .send({ reason: 'Audit of intake practice' })
      .expect(200);
    try {
      for (const path of [
        `/v1/referrals/${referralId}`,
        `/v1/intakes/${survivorId}/referrals`,
        `/v1/intakes/${survivorId}/referral-suggestions`,
      ]) {
        const res = await n.http.get(path).set('Authorization', await n.auth('tess'));
        expect(res.body).toMatchObject({ status: 403, code: 'no-case-access' });
        const [event] = await eventOf(String(res.headers['x-request-id']));
        expect(event).toMatchObject({ outcome: 'denied', actor: { userId: 'tess', agencyId: n.ids.shelter } });
        expect(event.sectionsWithheld.every((w: { reason: string }) => w.reason === 'no-case-access')).toBe(true);
      }
    } finally {
      await n.http
        .post(`/v1/agencies/${n.ids.shelter}/reinstatement`)
        .set('Authorization', await n.auth('admin'))
        .send({ reason: 'Audit complete' })
        .expect(200);
    }
    // lee was refused on every route above: far more than the daily threshold.
    await eventually(async () => {
      const flags = await t.app.get(FlagsService).page({ kind: 'network' }, 'open', undefined, 50);
      expect(flags.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ rule: 'repeated-denials', userId: 'lee' })]),
      );
    });
  });
});
