import type request from 'supertest';
import { DataSource } from 'typeorm';
import { EventStore } from '@harbour/event-store';
import type { FixedClock } from '@harbour/kernel';
import { OfferExpirySweeper } from '@harbour/offers';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';
import { INTAKE, MARKER } from '../referrals/fixtures.js';

/** Synthetic intake content: the marker and the name must never reach anything a partner sees. */
const NEEDS_MARKER = `needs bus fare to court ${MARKER}`;
const SECTIONS = {
  identity: INTAKE.identity,
  needs: {
    needs: [
      { category: 'transportation', urgency: 'high', notes: NEEDS_MARKER },
      { category: 'food', urgency: 'medium' },
    ],
  },
  preferences: { language: 'es', interpreter: false },
};
const DAY_MS = 86_400_000;

describe('in-kind offers over HTTP: publish, request, answer, hand over; no survivor data for partners; last unit; exclusions; reports', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let net: TestNetwork;
  let clock: FixedClock;
  const ids: Record<string, string> = {};
  const auth = (userId: string) => net.auth(userId);
  const as = async (method: 'get' | 'post', path: string, userId: string, body?: object) => {
    const req = http[method](path).set('Authorization', await auth(userId));
    return body ? req.send(body) : req;
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { HARBOUR_REPORT_REGIONS: JSON.stringify({ toronto: ['on-toronto'] }) } });
    clock = t.clock as FixedClock;
    net = await buildNetwork(t, { name: 'Synthetic Care Network', sector: 'victim-services' });
    http = net.http;
    ids.care = net.secretariat;
    ids.shelter = await net.apply('Synthetic Shelter', 'shelter');
    await net.admit(ids.shelter);
    await net.staff(ids.shelter, 'shelter-admin', ['agency-admin']);
    // Two associates (no case access at all): a corporate transit partner and a community food bank.
    for (const [key, name, sector] of [
      ['bus', 'Synthetic Transit Co', 'corporate'],
      ['food', 'Synthetic Food Bank', 'other'],
    ]) {
      ids[key] = (
        await as('post', '/v1/agencies', 'admin', {
          name,
          sector,
          regions: ['on-toronto'],
          contact: { name: 'C', email: 'c@example.org' },
          requestedTier: 'associate',
        })
      ).body.agencyId;
      await net.endorse(ids[key], ['admin', 'shelter-admin']);
    }
    await net.staff(ids.bus, 'bea', ['agency-admin']);
    await net.staff(ids.food, 'fran', ['agency-admin']);
    await net.staff(ids.care, 'ana', ['caseworker']);
    await net.staff(ids.care, 'ann', ['analyst']);
    await net.staff(ids.shelter, 'tom', ['caseworker']);
  });
  afterAll(() => t.close());

  const survivor = async () => {
    const opened = await as('post', '/v1/intakes', 'ana');
    expect(opened.status).toBe(201);
    const id = opened.body.survivorId as string;
    for (const [section, content] of Object.entries(SECTIONS))
      await http
        .put(`/v1/intakes/${id}/sections/${section}`)
        .set('Authorization', await auth('ana'))
        .send({ content })
        .expect(200);
    return id;
  };
  const offer = (over: Record<string, unknown> = {}) => ({
    kind: 'transit',
    title: 'Monthly bus passes (synthetic)',
    capacity: { quantity: 3 },
    regions: ['on-toronto'],
    conditions: { languages: ['es', 'en'] },
    handover: 'delivery-to-agency',
    validFrom: '2026-11-01T00:00:00Z',
    validUntil: '2027-04-30T00:00:00Z',
    ...over,
  });
  const publish = async (by: string, over: Record<string, unknown> = {}) => {
    const res = await as('post', '/v1/offers', by, offer(over));
    expect(res.status).toBe(201);
    return res.body.offerId as string;
  };
  const ask = async (survivorId: string, body: Record<string, unknown>, by = 'ana') =>
    as('post', `/v1/intakes/${survivorId}/offer-requests`, by, { region: 'on-toronto', ...body });
  const stream = async (id: string) => (await t.app.get(EventStore).readStream(id)).map((e) => e.type);
  /** Nothing of the survivor: id, name, needs notes; nor (outside an offer's own terms) the need it was for, or the worker. */
  const noSurvivorData = (payload: unknown, survivorId: string, offerTerms = false) => {
    const text = JSON.stringify(payload);
    for (const secret of [
      survivorId,
      MARKER,
      'Maria',
      'Synthetic-Santos',
      ...(offerTerms ? [] : ['transportation']),
      '"ana"',
    ])
      expect(text).not.toContain(secret);
  };

  it('publish → request → approve → fulfil → confirm received; the partner sees only quantity, region, timing and handover', async () => {
    const s = await survivor();
    const offerId = await publish('bea');
    // Everyone in the network sees the open offer and what is left.
    await eventually(async () =>
      expect((await as('get', '/v1/offers?kind=transit', 'tom')).body.items).toContainEqual(
        expect.objectContaining({ offerId, agencyId: ids.bus, sector: 'corporate', remaining: 3, status: 'open' }),
      ),
    );

    const requested = await ask(s, { offerId, need: 'transportation', quantity: 2, neededBy: '2026-11-20' });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ offerId, status: 'requested' });
    const { requestId } = requested.body;
    // Checking the need read the survivor's needs through the gate: an access event, care team basis.
    const trail = (await t.app.get(EventStore).readStream(`access-${s}`)).map((e) => e.data as Record<string, any>);
    expect(trail.at(-1)).toMatchObject({
      route: 'POST /v1/intakes/:survivorId/offer-requests',
      outcome: 'permitted',
      sectionsReturned: ['needs'],
    });

    // The partner's inbox: notice level, exactly these fields, and nothing of the survivor.
    const inbox = await eventually(async () => {
      const res = await as('get', '/v1/offers/mine/requests', 'bea');
      expect(res.body.items).toHaveLength(1);
      return res;
    });
    expect(Object.keys(inbox.body.items[0]).sort()).toEqual(
      [
        'answeredAt',
        'closedAt',
        'confirmedAt',
        'declineReason',
        'fulfilledAt',
        'handover',
        'handoverTo',
        'kind',
        'neededBy',
        'offerId',
        'quantity',
        'region',
        'requestId',
        'requestedAt',
        'requestingAgency',
        'respondBy',
        'status',
      ].sort(),
    );
    expect(inbox.body.items[0]).toMatchObject({
      requestId,
      quantity: 2,
      region: 'on-toronto',
      neededBy: '2026-11-20',
      handover: 'delivery-to-agency',
      handoverTo: 'agency',
      requestingAgency: { agencyId: ids.care, name: 'Synthetic Care Network' },
      status: 'requested',
    });
    noSurvivorData(inbox.body, s);

    // Each side does its own steps only.
    expect((await as('post', `/v1/offers/${offerId}/requests/${requestId}/approval`, 'ana')).body.code).toBe(
      'not-offering-agency',
    );
    for (const step of ['approval', 'fulfilment'])
      expect((await as('post', `/v1/offers/${offerId}/requests/${requestId}/${step}`, 'bea')).status).toBe(200);
    expect((await as('post', `/v1/offers/${offerId}/requests/${requestId}/receipt`, 'bea')).status).toBe(403);
    const receipt = await as('post', `/v1/offers/${offerId}/requests/${requestId}/receipt`, 'ana');
    expect(receipt.body).toMatchObject({ requestId, status: 'confirmed' });
    expect(await stream(`offer-${offerId}`)).toEqual([
      'OfferPublished',
      'OfferRequested',
      'OfferRequestApproved',
      'OfferRequestFulfilled',
      'OfferReceiptConfirmed',
    ]);
    // A step twice is a conflict, not a second event.
    expect((await as('post', `/v1/offers/${offerId}/requests/${requestId}/fulfilment`, 'bea')).body).toMatchObject({
      status: 409,
      code: 'offer-request-transition-not-allowed',
    });

    // The care team's own view names the need and the partner; the partner's totals do not.
    await eventually(async () =>
      expect((await as('get', `/v1/intakes/${s}/offer-requests`, 'ana')).body.items).toEqual([
        expect.objectContaining({
          requestId,
          need: 'transportation',
          status: 'confirmed',
          offeringAgency: { agencyId: ids.bus, name: 'Synthetic Transit Co' },
        }),
      ]),
    );
    const totals = await as('get', '/v1/offers/mine/totals?from=2026-11&to=2026-11', 'bea');
    expect(totals.body.total).toMatchObject({
      offers: 1,
      requests: 1,
      unitsRequested: 2,
      unitsGiven: 2,
      unitsConfirmed: 2,
    });
    expect(totals.body.items).toEqual([expect.objectContaining({ month: '2026-11', kind: 'transit' })]);
    noSurvivorData(totals.body, s);
    // Nor does anything else the partner reaches: its offers list and the offer itself.
    noSurvivorData((await as('get', '/v1/offers/mine/published', 'bea')).body, s, true);
    noSurvivorData((await as('get', `/v1/offers/${offerId}`, 'bea')).body, s, true);
    // And a partner cannot read the survivor's list (no case access at all).
    expect((await as('get', `/v1/intakes/${s}/offer-requests`, 'bea')).status).toBe(403);

    // Amending: never below the two units already given; then withdrawn, the offer takes no more requests.
    const below = await as('post', `/v1/offers/${offerId}/amendment`, 'bea', offer({ capacity: { quantity: 1 } }));
    expect(below.body).toMatchObject({ status: 400, code: 'invalid-offer' });
    expect(below.body.errors).toEqual([expect.objectContaining({ field: 'capacity.quantity' })]);
    expect((await as('post', `/v1/offers/${offerId}/amendment`, 'fran', offer())).body.code).toBe(
      'not-offering-agency',
    );
    const amended = await as('post', `/v1/offers/${offerId}/amendment`, 'bea', offer({ capacity: { quantity: 5 } }));
    expect(amended.body).toMatchObject({ offerId, status: 'published', remaining: 3 });
    const withdrawn = await as('post', `/v1/offers/${offerId}/withdrawal`, 'bea');
    expect(withdrawn.body).toMatchObject({ offerId, status: 'withdrawn' });
    expect((await ask(s, { offerId, need: 'transportation' })).body).toMatchObject({
      status: 409,
      code: 'offer-withdrawn',
    });
    await eventually(async () => {
      expect(
        (await as('get', '/v1/offers', 'tom')).body.items.map((o: { offerId: string }) => o.offerId),
      ).not.toContain(offerId);
      expect((await as('get', `/v1/offers/${offerId}`, 'tom')).body).toMatchObject({
        status: 'withdrawn',
        capacity: { quantity: 5 },
      });
    });
  });

  it('many parallel requests against the last unit: exactly one gets it, the others are refused, and it never goes negative', async () => {
    const s = await survivor();
    const offerId = await publish('fran', {
      kind: 'groceries',
      title: 'Grocery card (synthetic)',
      capacity: { quantity: 1 },
    });
    const answers = await Promise.all(Array.from({ length: 12 }, async () => ask(s, { offerId, need: 'food' })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(Array(11).fill('offer-exhausted'));
    expect((await stream(`offer-${offerId}`)).filter((x) => x === 'OfferRequested')).toHaveLength(1);
    await eventually(async () => expect((await as('get', `/v1/offers/${offerId}`, 'fran')).body.remaining).toBe(0));

    // Declined: the unit goes back, and the next request gets it.
    const winner = answers.find((a) => a.status === 201)!.body.requestId as string;
    const declined = await as('post', `/v1/offers/${offerId}/requests/${winner}/decline`, 'fran', {
      reason: 'no-capacity',
    });
    expect(declined.body).toMatchObject({ status: 'declined' });
    expect((await ask(s, { offerId, need: 'food' })).status).toBe(201);
    expect((await ask(s, { offerId, need: 'food' })).body.code).toBe('offer-exhausted');
  });

  it('suggestions fit needs, region and language, and the survivor’s exclusions: "never corporate" removes every corporate offer', async () => {
    const open = await survivor();
    const never = await survivor();
    await http
      .post(`/v1/intakes/${never}/exclusions`)
      .set('Authorization', await auth('ana'))
      .send({ target: { kind: 'sector', sector: 'corporate' }, method: 'verbal', language: 'es' })
      .expect(201);
    const transit = await publish('bea', { title: 'Transit tickets (synthetic)', conditions: { minAge: 18 } });
    const groceries = await publish('fran', {
      kind: 'groceries',
      title: 'Food hampers (synthetic)',
      capacity: { quantity: 5 },
    });
    const french = await publish('fran', {
      kind: 'groceries',
      title: 'Épicerie (synthetic)',
      conditions: { languages: ['fr'] },
    });
    const elsewhere = await publish('fran', {
      kind: 'groceries',
      title: 'Elsewhere (synthetic)',
      regions: ['bc-vancouver'],
    });
    const suggested = async (s: string) => {
      const res = await as('get', `/v1/intakes/${s}/offer-suggestions?region=on-toronto`, 'ana');
      expect(res.status).toBe(200);
      return res.body as { openNeeds: string[]; offers: Array<{ offerId: string; conditionsToCheck: string[] }> };
    };
    await eventually(async () => expect((await suggested(open)).offers.map((o) => o.offerId)).toContain(groceries));
    const forOpen = await suggested(open);
    expect(forOpen.openNeeds).toEqual(['transportation', 'food']);
    const ofOpen = forOpen.offers.map((o) => o.offerId);
    expect(ofOpen).toEqual(expect.arrayContaining([transit, groceries]));
    expect(ofOpen).not.toContain(french); // the survivor speaks Spanish
    expect(ofOpen).not.toContain(elsewhere); // not handed over in Toronto
    expect(forOpen.offers.find((o) => o.offerId === transit)!.conditionsToCheck).toEqual(['age']);

    const ofNever = (await suggested(never)).offers.map((o) => o.offerId);
    expect(ofNever).toContain(groceries);
    expect(ofNever.filter((id) => [transit].includes(id))).toEqual([]);
    expect(
      (await suggested(never)).offers.every((o) => (o as unknown as { sector: string }).sector !== 'corporate'),
    ).toBe(true);
    // Suggesting read the needs: audited like any survivor-data read.
    const trail = (await t.app.get(EventStore).readStream(`access-${never}`)).map((e) => e.data as Record<string, any>);
    expect(trail.at(-1)).toMatchObject({
      route: 'GET /v1/intakes/:survivorId/offer-suggestions',
      outcome: 'permitted',
    });

    // Nor can a worker request the excluded partner's offer for them: refused and recorded.
    const refused = await ask(never, { offerId: transit, need: 'transportation' });
    expect(refused.body).toMatchObject({ status: 403, code: 'offer-excluded' });
    const after = (await t.app.get(EventStore).readStream(`access-${never}`)).map((e) => e.data as Record<string, any>);
    expect(after.at(-1)).toMatchObject({ outcome: 'denied', route: 'POST /v1/intakes/:survivorId/offer-requests' });
    // And a worker off the care team is told nothing about the record.
    expect((await ask(open, { offerId: groceries, need: 'food' }, 'tom')).body.code).toBe('intake-not-found');
  });

  it('validation errors name the field; so do the rules an offer or a request breaks', async () => {
    const bad = await as('post', '/v1/offers', 'bea', {
      kind: 'yacht',
      title: '',
      capacity: { quantity: 0 },
      regions: ['Not A Region'],
      handover: 'drone',
      validFrom: 'soon',
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['kind', 'title', 'capacity.quantity', 'regions', 'handover', 'validFrom', 'validUntil']),
    );
    const window = await as('post', '/v1/offers', 'bea', offer({ validUntil: '2026-10-01T00:00:00Z' }));
    expect(window.body).toMatchObject({ status: 400, code: 'invalid-offer' });
    expect(window.body.errors).toContainEqual(expect.objectContaining({ field: 'validUntil' }));

    const s = await survivor();
    const offerId = await publish('bea');
    const region = await ask(s, { offerId, need: 'transportation', region: 'bc-vancouver' });
    expect(region.body).toMatchObject({ status: 400, code: 'invalid-offer-request' });
    expect(region.body.errors).toEqual([expect.objectContaining({ field: 'region' })]);
    const shape = await ask(s, { offerId: 'nope', need: 'spaceship', quantity: -1, handoverTo: 'neighbour' });
    expect((shape.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([
      'handoverTo',
      'need',
      'offerId',
      'quantity',
    ]);
    expect((await ask(s, { offerId, need: 'legal' })).body.code).toBe('invalid-offer-request'); // transit answers no legal need
    // An Idempotency-Key repeat answers as the first did; the same key for another request is refused.
    const keyed = async (body: Record<string, unknown>) =>
      http
        .post(`/v1/intakes/${s}/offer-requests`)
        .set('Authorization', await auth('ana'))
        .set('Idempotency-Key', 'offer-request-key-1')
        .send({ offerId, region: 'on-toronto', ...body });
    const first = await keyed({ need: 'transportation' });
    expect(first.status).toBe(201);
    expect((await keyed({ need: 'transportation' })).body).toEqual(first.body);
    expect((await keyed({ need: 'transportation', quantity: 2 })).body).toMatchObject({
      status: 400,
      code: 'idempotency-key-reused',
    });
    expect((await stream(`offer-${offerId}`)).filter((x) => x === 'OfferRequested')).toHaveLength(1);
    const totals = await as('get', '/v1/offers/mine/totals?from=2026-12&to=2026-11', 'bea');
    expect(totals.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
  });

  it('an unanswered request expires after the response days (the sweep), and its units go back', async () => {
    const s = await survivor();
    const offerId = await publish('fran', {
      kind: 'groceries',
      title: 'Pantry box (synthetic)',
      capacity: { quantity: 1 },
      responseDays: 3,
    });
    const { requestId } = (await ask(s, { offerId, need: 'food' })).body;
    await eventually(async () => expect((await as('get', `/v1/offers/${offerId}`, 'fran')).body.remaining).toBe(0));
    const sweeper = t.app.get(OfferExpirySweeper);
    clock.advance(3 * DAY_MS + 1000);
    try {
      await eventually(async () => {
        await sweeper.sweep();
        expect(await stream(`offer-${offerId}`)).toContain('OfferRequestExpired');
      });
    } finally {
      clock.advance(-(3 * DAY_MS + 1000));
    }
    await eventually(async () =>
      expect((await as('get', '/v1/offers/mine/requests?status=expired', 'fran')).body.items).toContainEqual(
        expect.objectContaining({ requestId, status: 'expired' }),
      ),
    );
    expect((await as('get', `/v1/offers/${offerId}`, 'fran')).body.remaining).toBe(1);
  });

  it('reports: offers by kind with disclosure control (small counts withheld); request facts hold no ids', async () => {
    for (let i = 0; i < 5; i++) await publish('bea', { title: `Passes batch ${i} (synthetic)` });
    const report = await eventually(async () => {
      const res = await as('get', '/v1/reports/offers?measure=published&rows=kind&from=2026-11&to=2026-11', 'ann');
      expect(res.status).toBe(200);
      const transit = res.body.slices[0].cells.find((c: { row: string }) => c.row === 'transit');
      expect(transit.count === null || transit.count >= 5).toBe(true);
      expect(res.body.slices[0].total.count ?? 99).toBeGreaterThanOrEqual(13); // every offer of this file
      return res;
    });
    const cells = report.body.slices[0].cells as Array<{ row: string; count: number | null; suppressed?: true }>;
    // Groceries (a handful of offers, under k = 5) is withheld; no published count is under k but above 0.
    expect(cells.find((c) => c.row === 'groceries')).toMatchObject({ count: null, suppressed: true });
    expect(cells.every((c) => c.count === null || c.count === 0 || c.count >= 5)).toBe(true);
    expect(report.body.k).toBe(5);

    // The request facts behind `offer-requests` keep months, kinds, regions, sectors and flags only.
    const rows = await t.app.get(DataSource).query('SELECT * FROM reports_offer_request_facts');
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]).sort()).toEqual([
      'approved',
      'declined',
      'expired',
      'fact_key',
      'given',
      'kind',
      'month',
      'received',
      'region',
      'sector',
      'subject_key',
      'withdrawn',
    ]);
    expect(rows.map((r: { region: string }) => r.region)).toContain('toronto');
    const requests = await as(
      'get',
      '/v1/reports/offer-requests?measure=requested&rows=kind&from=2026-11&to=2026-11',
      'ann',
    );
    expect(requests.status).toBe(200);
    // Nobody so far consented to statistics: nothing is counted.
    expect(
      requests.body.slices[0].cells.every((c: { count: number | null }) => c.count === null || c.count === 0),
    ).toBe(true);
    // One survivor who permits statistics, five requests: exactly those five are counted.
    const counted = await survivor();
    await http
      .post(`/v1/intakes/${counted}/consents`)
      .set('Authorization', await auth('ana'))
      .send({
        recipient: { kind: 'agency', agencyId: ids.shelter },
        sections: ['needs'],
        purposes: ['statistics'],
        method: 'verbal',
        language: 'es',
      })
      .expect(201);
    const pantry = await publish('fran', {
      kind: 'groceries',
      title: 'Weekly pantry (synthetic)',
      capacity: { quantity: 10 },
    });
    for (let i = 0; i < 5; i++) expect((await ask(counted, { offerId: pantry, need: 'food' })).status).toBe(201);
    await eventually(async () => {
      const res = await as(
        'get',
        '/v1/reports/offer-requests?measure=requested&rows=kind&from=2026-11&to=2026-11',
        'ann',
      );
      // Of the ten requests this month, only the five of the survivor who permits statistics count;
      // the one non-zero kind is withheld too (published beside the total it would pin every other kind at 0).
      expect(res.body.slices[0].cells.find((c: { row: string }) => c.row === 'groceries')).toEqual({
        row: 'groceries',
        count: null,
        suppressed: true,
      });
      expect(res.body.slices[0].total).toEqual({ count: 5 });
    });
  });
});
