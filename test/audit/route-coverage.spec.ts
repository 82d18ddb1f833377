import { EventStore } from '@harbour/event-store';
import { startTestApp, type TestApp } from '../support/context.js';
import { routeTable as routesOf } from '../support/routes.js';
import { eventually } from '../support/store-context.js';
import { type Network as ReferralNetwork, setUpNetwork } from '../referrals/fixtures.js';
import { type Network, startNetwork } from './network-fixture.js';

const routeTable = (n: Network) => routesOf(n.t);

/**
 * How to call each route that exposes something about survivors, and whose trail it must leave
 * an event in. A new exposing route fails the test until it is added here (and so is exercised).
 */
/** The audit network (`n`, survivor `s`) and a referrals network (`r`, survivor `rs` with an accepted referral `rid`). */
interface Ctx {
  n: Network;
  s: string;
  r: ReferralNetwork;
  rApp: TestApp;
  rs: string;
  rid: string;
  /** An impact story of `rs` drafted by the care agency (made on first use). */
  storyId?: string;
}
/** Calls the route; answers the store and survivor whose access trail must show it. */
type Answer = { status: number; headers: Record<string, string> };
type Recipe = (c: Ctx) => Promise<{ res: Answer; app: TestApp; survivorId: string }>;
const as = async (n: { http: Network['http']; auth: Network['auth'] }, userId: string, path: string) =>
  n.http.get(path).set('Authorization', await n.auth(userId));
const onAudit =
  (call: (n: Network, s: string) => Promise<Answer>): Recipe =>
  async (c) => ({ res: await call(c.n, c.s), app: c.n.t, survivorId: c.s });
const onReferrals =
  (call: (c: Ctx) => Promise<Answer>): Recipe =>
  async (c) => ({ res: await call(c), app: c.rApp, survivorId: c.rs });
/** The survivor's consent for an impact story by the care agency, and a draft of one (once). */
const storyOf = async (c: Ctx): Promise<string> => {
  if (c.storyId) return c.storyId;
  await c.r.consent(c.rs, {
    recipient: { kind: 'agency', agencyId: c.r.ids.care },
    sections: ['story'],
    purposes: ['impact-story'],
  });
  const res = await c.r.http
    .post(`/v1/intakes/${c.rs}/impact-stories`)
    .set('Authorization', await c.r.auth('ana'))
    .send({ text: 'A story with nothing of the record in it.' })
    .expect(201);
  return (c.storyId = res.body.storyId as string);
};
const RECIPES: Record<string, { event: 'SurvivorDataAccessed' | 'AccessLogViewed'; call: Recipe }> = {
  'GET /v1/intakes/:survivorId': {
    event: 'SurvivorDataAccessed',
    call: onAudit((n, s) => as(n, 'ana-worker', `/v1/intakes/${s}?purpose=care-coordination`)),
  },
  'GET /v1/audit/access-events': {
    event: 'AccessLogViewed',
    call: onAudit((n, s) => as(n, 'pat-privacy', `/v1/audit/access-events?survivorId=${s}`)),
  },
  'GET /v1/audit/access-events/fhir': {
    event: 'AccessLogViewed',
    call: onAudit((n, s) => as(n, 'pat-privacy', `/v1/audit/access-events/fhir?survivorId=${s}`)),
  },
  'GET /v1/audit/survivors/:survivorId/disclosures': {
    event: 'AccessLogViewed',
    call: onAudit((n, s) => as(n, 'ana-worker', `/v1/audit/survivors/${s}/disclosures`)),
  },
  'GET /v1/audit/break-glass': {
    event: 'AccessLogViewed',
    call: onAudit((n) => as(n, 'lia-privacy', '/v1/audit/break-glass?status=all')),
  },
  'GET /v1/privacy/retention/due': {
    event: 'AccessLogViewed',
    call: onAudit((n) => as(n, 'pat-privacy', '/v1/privacy/retention/due?at=2100-01-01T00:00:00.000Z')),
  },
  'GET /v1/audit/flags': {
    event: 'AccessLogViewed',
    call: onAudit((n) => as(n, 'lia-privacy', '/v1/audit/flags?status=all')),
  },
  'GET /v1/intakes/:survivorId/duplicate-check': {
    event: 'SurvivorDataAccessed',
    call: onAudit((n, s) => as(n, 'ana-worker', `/v1/intakes/${s}/duplicate-check`)),
  },
  'GET /v1/intakes/:survivorId/share-codes': {
    event: 'SurvivorDataAccessed',
    call: onAudit((n, s) => as(n, 'ana-worker', `/v1/intakes/${s}/share-codes`)),
  },
  // The issuing agency's privacy officer sees where its codes were used: a fresh survivor's code, used at legal aid.
  'GET /v1/audit/share-codes': {
    event: 'AccessLogViewed',
    call: async (c) => {
      const survivorId = await c.n.intake('ana-worker');
      const issued = await c.n.http
        .post(`/v1/intakes/${survivorId}/share-codes`)
        .set('Authorization', await c.n.auth('ana-worker'))
        .send({ language: 'en' })
        .expect(201);
      await c.n.http
        .post('/v1/share-codes/redemption')
        .set('Authorization', await c.n.auth('lee-legal'))
        .send({ code: issued.body.code })
        .expect(200);
      return {
        res: await eventually(async () => {
          const res = await as(c.n, 'pat-privacy', '/v1/audit/share-codes');
          expect(res.body.items.map((i: { survivorId: string }) => i.survivorId)).toContain(survivorId);
          return res;
        }),
        app: c.n.t,
        survivorId,
      };
    },
  },
  // Making a referral reads the intake (for the notice): a fresh survivor each call.
  'POST /v1/referrals': {
    event: 'SurvivorDataAccessed',
    call: async (c) => {
      const { survivorId } = await c.r.survivor();
      return { res: await c.r.refer(survivorId), app: c.rApp, survivorId };
    },
  },
  'GET /v1/referrals/inbox': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'tess', '/v1/referrals/inbox')),
  },
  'GET /v1/referrals/outbox': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'ana', '/v1/referrals/outbox')),
  },
  'GET /v1/referrals/:referralId': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'tess', `/v1/referrals/${c.rid}`)),
  },
  'GET /v1/intakes/:survivorId/referrals': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'ana', `/v1/intakes/${c.rs}/referrals`)),
  },
  'GET /v1/caseload': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'ana', '/v1/caseload?pageSize=100')),
  },
  'GET /v1/intakes/:survivorId/copy': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'ana', `/v1/intakes/${c.rs}/copy`)),
  },
  'GET /v1/intakes/:survivorId/do-not-contact': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'ana', `/v1/intakes/${c.rs}/do-not-contact`)),
  },
  'POST /v1/intakes/:survivorId/impact-stories': {
    event: 'SurvivorDataAccessed',
    call: onReferrals(async (c) => {
      await storyOf(c);
      return c.r.http
        .post(`/v1/intakes/${c.rs}/impact-stories`)
        .set('Authorization', await c.r.auth('ana'))
        .send({ text: 'Another story.' });
    }),
  },
  'GET /v1/intakes/:survivorId/impact-stories/:storyId': {
    event: 'SurvivorDataAccessed',
    call: onReferrals(async (c) => as(c.r, 'ana', `/v1/intakes/${c.rs}/impact-stories/${await storyOf(c)}`)),
  },
  'PUT /v1/intakes/:survivorId/impact-stories/:storyId': {
    event: 'SurvivorDataAccessed',
    call: onReferrals(async (c) =>
      c.r.http
        .put(`/v1/intakes/${c.rs}/impact-stories/${await storyOf(c)}`)
        .set('Authorization', await c.r.auth('ana'))
        .send({ text: 'A story, revised.' }),
    ),
  },
  'POST /v1/intakes/:survivorId/impact-stories/:storyId/export': {
    event: 'SurvivorDataAccessed',
    call: onReferrals(async (c) =>
      c.r.http
        .post(`/v1/intakes/${c.rs}/impact-stories/${await storyOf(c)}/export`)
        .set('Authorization', await c.r.auth('ana')),
    ),
  },
  'GET /v1/intakes/:survivorId/referral-suggestions': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'ana', `/v1/intakes/${c.rs}/referral-suggestions`)),
  },
  'GET /v1/intakes/:survivorId/offer-requests': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'ana', `/v1/intakes/${c.rs}/offer-requests`)),
  },
  'GET /v1/intakes/:survivorId/offer-suggestions': {
    event: 'SurvivorDataAccessed',
    call: onReferrals((c) => as(c.r, 'ana', `/v1/intakes/${c.rs}/offer-suggestions`)),
  },
};

describe('route coverage: every route says what it exposes, and exposing routes leave access events', () => {
  let n: Network;
  let survivor: string;
  let ctx: Ctx;
  beforeAll(async () => {
    // A retention period for the needs section, so the retention dry run has something to list.
    n = await startNetwork({ env: { HARBOUR_RETENTION: 'needs=1' } });
    survivor = await n.intake('ana-worker');
    const rApp = await startTestApp();
    const r = await setUpNetwork(rApp);
    const { survivorId: rs } = await r.survivor();
    const rid = await r.acceptedReferral(rs, 'tess');
    ctx = { n, s: survivor, r, rApp, rs, rid };
    // Something for the break-glass queue and the flag list to show: an emergency access to the survivor.
    await n.http
      .post(`/v1/audit/survivors/${survivor}/break-glass`)
      .set('Authorization', await n.auth('leo-super'))
      .send({ justification: 'Survivor missing since last night; need the safety plan to brief the outreach team.' })
      .expect(201);
  });
  afterAll(async () => {
    await n.t.close();
    await ctx?.rApp.close();
  });

  it('classifies every route of the application (survivor-data, access-log or none)', () => {
    const routes = routeTable(n);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => r.exposure === undefined).map((r) => r.key)).toEqual([]);
    expect(
      routes.filter((r) => !['survivor-data', 'access-log', 'none'].includes(r.exposure!)).map((r) => r.key),
    ).toEqual([]);
  });

  it('knows how to call every exposing route, and nothing else', () => {
    const exposing = routeTable(n)
      .filter((r) => r.exposure !== 'none')
      .map((r) => r.key);
    expect(exposing).toEqual(Object.keys(RECIPES).sort());
    for (const r of routeTable(n).filter((r) => r.exposure !== 'none')) {
      expect({ route: r.key, event: RECIPES[r.key].event }).toEqual({
        route: r.key,
        event: r.exposure === 'survivor-data' ? 'SurvivorDataAccessed' : 'AccessLogViewed',
      });
    }
  });

  it.each(Object.entries(RECIPES))('%s leaves an access event for the survivor it exposed', async (route, recipe) => {
    // List routes show what the read model holds: wait until it holds what the setup wrote.
    await eventually(async () => {
      const { res, app, survivorId } = await recipe.call(ctx);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
      // This very request (by its request id) left an event of the expected kind, naming the route.
      const requestId = res.headers['x-request-id'];
      const trail = await app.app.get(EventStore).readStream(`access-${survivorId}`);
      expect(
        trail.filter(
          (e) =>
            e.type === recipe.event &&
            (e.data as { route: string; requestId: string }).route === route &&
            (e.data as { requestId: string }).requestId === requestId,
        ),
      ).toHaveLength(1);
    });
  });
});
