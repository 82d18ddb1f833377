import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/context.js';
import { eventually } from '../support/store-context.js';
import { CONFIDENTIAL_STREET, IDENTIFYING, MARKER, type Network, setUpNetwork } from './fixtures.js';

describe('warm referrals over HTTP', () => {
  let t: TestApp;
  let n: Network;
  let survivorId: string;
  let consentId: string;

  const get = async (path: string, by: string, status = 200) =>
    n.http
      .get(path)
      .set('Authorization', await n.auth(by))
      .expect(status);
  const read = (survivor: string, by: string, purpose: string, status: number) =>
    get(`/v1/intakes/${survivor}?purpose=${purpose}`, by, status);

  beforeAll(async () => {
    t = await startTestApp();
    n = await setUpNetwork(t);
    ({ survivorId, consentId } = await n.survivor());
  });
  afterAll(() => t.close());

  describe('preconditions, each refused naming what is missing', () => {
    it('no consent covers the receiving agency for referral → 403 no-referral-consent', async () => {
      const res = await n.refer(survivorId, { toAgencyId: n.ids.legal, needs: ['legal'] });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'no-referral-consent', purpose: 'referral' });
      expect(res.body.detail).toMatch(/consent/);
    });

    it('the receiving agency has no service for any of the needs → 400 naming needs', async () => {
      await n.consent(survivorId, {
        recipient: { kind: 'agency', agencyId: n.ids.legal },
        sections: ['needs'],
        purposes: ['referral'],
      });
      const res = await n.refer(survivorId, { toAgencyId: n.ids.legal, needs: ['shelter', 'food'] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'no-service-for-needs', errors: [{ field: 'needs' }] });
    });

    it('the receiving agency is not an active core member → 400 naming toAgencyId', async () => {
      const res = await n.refer(survivorId, { toAgencyId: n.ids.applicant });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'receiving-agency-not-eligible', errors: [{ field: 'toAgencyId' }] });
    });

    it('an exclusion matches (even with a consent) → 403 referral-excluded', async () => {
      await n.consent(survivorId, {
        recipient: { kind: 'agency', agencyId: n.ids.police },
        sections: ['needs'],
        purposes: ['referral'],
      });
      await n.http
        .post(`/v1/intakes/${survivorId}/exclusions`)
        .set('Authorization', await n.auth('ana'))
        .send({ target: { kind: 'sector', sector: 'law-enforcement' }, method: 'verbal', language: 'tl' })
        .expect(201);
      const res = await n.refer(survivorId, { toAgencyId: n.ids.police, needs: ['safety-planning'] });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'referral-excluded', excluded: 'sector' });
    });

    it('an Idempotency-Key makes a repeated request answer as the first, without a second referral', async () => {
      const send = async () =>
        n.http
          .post('/v1/referrals')
          .set('Authorization', await n.auth('ana'))
          .set('Idempotency-Key', 'referral-key-0001')
          .send({ survivorId, toAgencyId: n.ids.shelter, needs: ['housing'], urgency: 'medium' });
      const first = await send();
      const again = await send();
      expect(first.status).toBe(201);
      expect(again.body).toEqual(first.body);
      const other = await n.http
        .post('/v1/referrals')
        .set('Authorization', await n.auth('ana'))
        .set('Idempotency-Key', 'referral-key-0001')
        .send({ survivorId, toAgencyId: n.ids.shelter, needs: ['shelter'], urgency: 'medium' });
      expect(other.body.code).toBe('idempotency-key-reused');
      await n.act(first.body.referralId, 'withdrawal', 'ana');
    });

    it('the requester is not on the care team → 404 as for an unknown survivor; bad input → 400 by field', async () => {
      expect((await n.refer(survivorId, {}, 'lee')).body).toMatchObject({ status: 404, code: 'intake-not-found' });
      expect((await n.refer(survivorId, {}, 'tom')).body).toMatchObject({ status: 404, code: 'intake-not-found' });
      const bad = await n.refer(survivorId, { urgency: 'whenever', needs: ['spaceship'], extra: 1 });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['urgency', 'needs', 'extra']),
      );
    });
  });

  describe('before acceptance the receiving agency sees only the notice', () => {
    let referralId: string;

    it('records the referral with its consent and deadline; the referrer read the intake through the audited path', async () => {
      const before = (await n.accessEvents(survivorId)).length;
      const res = await n.refer(survivorId);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ state: 'requested', version: 0 });
      referralId = res.body.referralId;
      const events = await n.accessEvents(survivorId);
      expect(events).toHaveLength(before + 1);
      expect(events.at(-1)).toMatchObject({
        purpose: 'referral',
        route: 'POST /v1/referrals',
        actor: { userId: 'ana' },
        sectionsReturned: ['identity', 'preferences'],
      });
      const mine = await get(`/v1/referrals/${referralId}`, 'ana');
      expect(mine.body).toMatchObject({
        survivorId,
        consentId,
        consentVersion: 1,
        state: 'requested',
        respondBy: '2026-11-03T09:00:00.000Z',
      });
    });

    it('inbox, detail (and later the webhook) carry no identifying value of the intake', async () => {
      const inbox = await eventually(async () => {
        const res = await get('/v1/referrals/inbox', 'tom');
        expect(res.body.items.map((i: { referralId: string }) => i.referralId)).toContain(referralId);
        return res;
      });
      const detail = await get(`/v1/referrals/${referralId}`, 'tom');
      const item = inbox.body.items.find((i: { referralId: string }) => i.referralId === referralId);
      expect(item.notice).toEqual({
        needs: ['shelter'],
        urgency: 'high',
        language: 'tl',
        region: 'on-toronto',
        ageBand: '25-34',
      });
      for (const serialized of [JSON.stringify(inbox.body), JSON.stringify(detail.body)]) {
        for (const value of [
          ...Object.values(IDENTIFYING),
          MARKER,
          survivorId,
          '1994',
          'Toronto',
          'bed needed this week',
        ]) {
          expect(serialized).not.toContain(value);
        }
      }
      expect(Object.keys(detail.body)).not.toContain('survivorId');
      expect(Object.keys(detail.body)).not.toContain('note');
    });

    it('the receiving agency cannot read the intake for referral before accepting, and the refusal is recorded', async () => {
      // Before acceptance the survivor's id is not the receiving agency's to know: answered as an unknown id.
      expect((await read(survivorId, 'tom', 'referral', 404)).body.code).toBe('intake-not-found');
      const refusal = (await n.accessEvents(survivorId)).at(-1)!;
      expect(refusal).toMatchObject({ outcome: 'denied', actor: { userId: 'tom' } });
      expect(refusal.sectionsWithheld.every((w: { reason: string }) => w.reason === 'referral-not-accepted')).toBe(
        true,
      );
    });

    it('an agency that is not a party does not see the referral at all', async () => {
      expect((await get(`/v1/referrals/${referralId}`, 'lee', 404)).body.code).toBe('referral-not-found');
    });

    it('walks every transition over HTTP; illegal ones are 409 with the current state', async () => {
      expect((await n.act(referralId, 'acceptance', 'tom')).body).toMatchObject({
        status: 409,
        code: 'illegal-transition',
        currentState: 'requested',
      });
      expect((await n.act(referralId, 'acknowledgement', 'ana')).body.code).toBe('not-the-receiving-agency');
      expect((await n.act(referralId, 'acknowledgement', 'tom')).body).toMatchObject({
        state: 'acknowledged',
        version: 1,
      });
      expect((await n.act(referralId, 'acceptance', 'tom', { assignedCaseworkerId: 'tess' })).body).toMatchObject({
        state: 'accepted',
      });
      expect((await n.act(referralId, 'decline', 'tom', { reason: 'no-capacity' })).body).toMatchObject({
        status: 409,
        currentState: 'accepted',
      });
      expect(
        (
          await n.act(referralId, 'introduction', 'ana', {
            at: '2026-11-04T15:00:00Z',
            mode: 'video',
            attendees: ['ana', 'tess'],
          })
        ).body.state,
      ).toBe('introduction-scheduled');
      expect(
        (await n.act(referralId, 'introduction', 'ana', { at: 'tomorrow', mode: 'fax', attendees: [] })).body.errors
          .map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['at', 'attendees', 'mode']);
      expect((await n.act(referralId, 'handoff-confirmation', 'ana')).body.state).toBe('introduction-scheduled');
      expect((await n.act(referralId, 'handoff-confirmation', 'ana')).body.code).toBe('handoff-already-confirmed');
      expect((await n.act(referralId, 'handoff-confirmation', 'tess')).body.state).toBe('handoff-completed');
      expect((await n.act(referralId, 'closure', 'tess', { outcome: 'engaged' })).body.state).toBe('closed');
      expect((await n.act(referralId, 'withdrawal', 'ana')).body).toMatchObject({
        status: 409,
        currentState: 'closed',
      });
    });

    it('after acceptance the assigned worker reads the consented sections only; a colleague does not', async () => {
      const res = await read(survivorId, 'tess', 'care-coordination', 200);
      expect(Object.keys(res.body.sections).sort()).toEqual(['housing', 'needs', 'preferences']);
      expect(res.body.withheld).toEqual(
        expect.arrayContaining([{ section: 'identity', reason: 'section-not-consented' }]),
      );
      expect(JSON.stringify(res.body)).not.toContain(IDENTIFYING.legalName);
      expect((await n.accessEvents(survivorId)).at(-1)).toMatchObject({
        outcome: 'partial',
        actor: { userId: 'tess' },
        basis: expect.arrayContaining([{ section: 'needs', kind: 'consent', consentId, version: 1 }]),
      });
      await read(survivorId, 'tom', 'care-coordination', 403);
      // The receiving side now sees the survivor id and the note, as an access event.
      const before = (await n.accessEvents(survivorId)).length;
      const detail = await get(`/v1/referrals/${referralId}`, 'tess');
      expect(detail.body).toMatchObject({ survivorId, note: 'bed needed this week' });
      expect(await n.accessEvents(survivorId)).toHaveLength(before + 1);
    });
  });

  it('accept and decline racing: exactly one wins, the other gets 409 with the winner state', async () => {
    const res = await n.refer(survivorId);
    const referralId = res.body.referralId;
    await n.act(referralId, 'acknowledgement', 'tom');
    const [a, d] = await Promise.all([
      n.act(referralId, 'acceptance', 'tom'),
      n.act(referralId, 'decline', 'tess', { reason: 'no-capacity' }),
    ]);
    expect([a.status, d.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : d;
    const winner = a.status === 200 ? a : d;
    expect(loser.body).toMatchObject({ code: 'illegal-transition', currentState: winner.body.state });
    expect((await get(`/v1/referrals/${referralId}`, 'ana')).body.state).toBe(winner.body.state);
  });

  it('an exclusion recorded after the request still bites at acceptance', async () => {
    const s = await n.survivor();
    const referralId = (await n.refer(s.survivorId)).body.referralId;
    await n.act(referralId, 'acknowledgement', 'tom');
    await n.http
      .post(`/v1/intakes/${s.survivorId}/exclusions`)
      .set('Authorization', await n.auth('ana'))
      .send({ target: { kind: 'staff', userId: 'tess' }, method: 'verbal', language: 'tl' })
      .expect(201);
    expect((await n.act(referralId, 'acceptance', 'tom', { assignedCaseworkerId: 'tess' })).body).toMatchObject({
      status: 403,
      code: 'referral-excluded',
      excluded: 'staff',
    });
    expect((await n.act(referralId, 'acceptance', 'tom', { assignedCaseworkerId: 'lee' })).body).toMatchObject({
      status: 400,
      code: 'assignee-not-eligible',
    });
    expect((await n.act(referralId, 'acceptance', 'tom')).body).toMatchObject({ state: 'accepted' });
    await read(s.survivorId, 'tom', 'referral', 200);
  });

  describe("the receiving agency's access ends on the next read", () => {
    it('when the referral is withdrawn', async () => {
      const s = await n.survivor();
      const referralId = await n.acceptedReferral(s.survivorId, 'tess');
      await read(s.survivorId, 'tess', 'referral', 200);
      expect((await n.act(referralId, 'withdrawal', 'ana')).body.state).toBe('withdrawn');
      const refused = await read(s.survivorId, 'tess', 'referral', 403);
      expect(refused.body.withheld.every((w: { reason: string }) => w.reason === 'referral-ended')).toBe(true);
      await read(s.survivorId, 'tess', 'care-coordination', 403);
      expect((await n.accessEvents(s.survivorId)).at(-1)).toMatchObject({
        outcome: 'denied',
        actor: { userId: 'tess' },
        sectionsReturned: [],
      });
    });

    it('when the bound consent is revoked', async () => {
      const s = await n.survivor();
      await n.acceptedReferral(s.survivorId, 'tess');
      await read(s.survivorId, 'tess', 'care-coordination', 200);
      await n.http
        .post(`/v1/intakes/${s.survivorId}/consents/${s.consentId}/revocation`)
        .set('Authorization', await n.auth('ana'))
        .send({ method: 'verbal' })
        .expect(200);
      const refused = await read(s.survivorId, 'tess', 'referral', 403);
      expect(refused.body.withheld.find((w: { section: string }) => w.section === 'needs').reason).toBe(
        'consent-revoked',
      );
      expect((await n.accessEvents(s.survivorId)).at(-1)).toMatchObject({
        outcome: 'denied',
        actor: { userId: 'tess' },
        sectionsWithheld: expect.arrayContaining([{ section: 'needs', reason: 'consent-revoked' }]),
      });
      // No new referral can rest on it either, and the refusal says why.
      expect((await n.refer(s.survivorId)).body).toMatchObject({
        status: 403,
        code: 'no-referral-consent',
        reason: 'consent-revoked',
      });
    });

    it('when the bound consent expires', async () => {
      const s = await n.survivor({ validUntil: new Date(n.clock.now().getTime() + 3_600_000).toISOString() });
      await n.acceptedReferral(s.survivorId, 'tess');
      await read(s.survivorId, 'tess', 'referral', 200);
      n.clock.advance(2 * 3_600_000);
      const refused = await read(s.survivorId, 'tess', 'referral', 403);
      expect(refused.body.withheld.find((w: { section: string }) => w.section === 'needs').reason).toBe(
        'consent-expired',
      );
      expect((await n.accessEvents(s.survivorId)).at(-1)).toMatchObject({
        outcome: 'denied',
        actor: { userId: 'tess' },
      });
    });
  });

  it('no table holds an identifying value of the intake in clear (notices, read model, outbox)', async () => {
    const db = t.app.get(DataSource);
    const tables: Array<{ table_name: string }> = await db.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    expect(tables.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['referral_list', 'referral_webhook_outbox']),
    );
    for (const { table_name } of tables) {
      for (const value of [MARKER, IDENTIFYING.phone, IDENTIFYING.email, IDENTIFYING.dateOfBirth]) {
        const [{ n: hits }] = await db.query(`SELECT count(*)::int AS n FROM "${table_name}" t WHERE t::text LIKE $1`, [
          `%${value}%`,
        ]);
        expect({ table: table_name, value, hits }).toEqual({ table: table_name, value, hits: 0 });
      }
    }
  });

  describe('queries', () => {
    it('inbox and outbox filter by state, urgency, need and date, paged; every survivor exposed is an access event', async () => {
      await eventually(async () => {
        const res = await get('/v1/referrals/outbox?pageSize=100', 'ana');
        expect(res.body.total).toBeGreaterThanOrEqual(5);
        expect(res.body.items.every((i: { state: string }) => i.state !== 'requested' || true)).toBe(true);
      });
      const closed = await get('/v1/referrals/inbox?state=closed', 'tom');
      expect(closed.body.items.map((i: { state: string }) => i.state)).toEqual(['closed']);
      expect((await get('/v1/referrals/inbox?urgency=low', 'tom')).body.total).toBe(0);
      expect((await get('/v1/referrals/inbox?need=legal', 'tom')).body.total).toBe(0);
      const all = (await get('/v1/referrals/inbox?need=shelter&pageSize=100', 'tom')).body.total;
      const page = await get('/v1/referrals/inbox?need=shelter&pageSize=2&page=2', 'tom');
      expect(page.body).toMatchObject({ page: 2, pageSize: 2, total: all });
      expect(page.body.items).toHaveLength(2);
      expect((await get('/v1/referrals/inbox?from=2030-01-01T00:00:00Z', 'tom')).body.total).toBe(0);
      expect((await get('/v1/referrals/inbox?to=2026-01-01T00:00:00Z', 'tom')).body.total).toBe(0);
      expect((await get('/v1/referrals/inbox?state=lost', 'tom', 400)).body.errors[0].field).toBe('state');
      // A page past the bound is refused naming it, and the last one answers (1e308 was a 500: OFFSET Infinity; found by the fuzz suite).
      for (const box of ['inbox', 'outbox'])
        for (const page of ['1e308', '10001', '1e20'])
          expect((await get(`/v1/referrals/${box}?page=${page}`, 'tom', 400)).body.errors[0].field).toBe('page');
      expect((await get('/v1/referrals/inbox?page=10000&pageSize=100', 'tom')).body).toMatchObject({
        page: 10000,
        items: [],
      });

      const before = (await n.accessEvents(survivorId)).length;
      const outbox = await get(`/v1/referrals/outbox?pageSize=100`, 'ana');
      expect(
        outbox.body.items.filter((i: { survivorId?: string }) => i.survivorId === survivorId).length,
      ).toBeGreaterThan(0);
      const events = await n.accessEvents(survivorId);
      expect(events.slice(before)).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({
        route: 'GET /v1/referrals/outbox',
        outcome: 'permitted',
        actor: { userId: 'ana' },
      });
    });

    it("a survivor's referral history is for the care team, through the decision point", async () => {
      const history = await get(`/v1/intakes/${survivorId}/referrals`, 'ana');
      expect(history.body.items.length).toBeGreaterThanOrEqual(2);
      expect(history.body.items[0]).toMatchObject({ survivorId, consentId });
      expect((await n.accessEvents(survivorId)).at(-1)).toMatchObject({
        route: 'GET /v1/intakes/:survivorId/referrals',
        actor: { userId: 'ana' },
      });
      // Legal aid has a consent for 'referral' (it may read the needs section), but it is not the care team.
      expect((await get(`/v1/intakes/${survivorId}/referrals`, 'lee', 404)).body.code).toBe('intake-not-found');
      expect((await n.accessEvents(survivorId)).at(-1)).toMatchObject({ outcome: 'denied', actor: { userId: 'lee' } });
    });

    it('fails closed: when access events cannot be recorded, outbox, history and new referrals are refused', async () => {
      const db = t.app.get(DataSource);
      await db.query(`CREATE FUNCTION refuse_access_events() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.stream_id LIKE 'access-%' THEN RAISE EXCEPTION 'audit storage unavailable'; END IF; RETURN NEW; END $$`);
      await db.query(
        'CREATE TRIGGER refuse_access_events BEFORE INSERT ON harbour_events FOR EACH ROW EXECUTE FUNCTION refuse_access_events()',
      );
      try {
        expect((await get('/v1/referrals/outbox', 'ana', 503)).body.code).toBe('access-not-recorded');
        expect((await get(`/v1/intakes/${survivorId}/referrals`, 'ana', 503)).body.code).toBe('access-not-recorded');
        expect((await get(`/v1/intakes/${survivorId}/referral-suggestions`, 'ana', 503)).body.code).toBe(
          'access-not-recorded',
        );
        expect((await n.refer(survivorId)).status).toBe(503);
      } finally {
        await db.query('DROP TRIGGER IF EXISTS refuse_access_events ON harbour_events');
        await db.query('DROP FUNCTION IF EXISTS refuse_access_events()');
      }
      await get('/v1/referrals/outbox', 'ana', 200);
    });

    it('suggests agencies for the open needs that consent covers, never an excluded one, never an address', async () => {
      const res = await get(`/v1/intakes/${survivorId}/referral-suggestions`, 'ana');
      expect(res.body.openNeeds).toEqual(['shelter', 'legal']);
      const agencies = res.body.agencies.map((a: { agencyId: string }) => a.agencyId).sort();
      // shelter and legal aid are covered by consents; the police service has a consent too but its sector is excluded.
      expect(agencies).toEqual([n.ids.shelter, n.ids.legal].sort());
      expect(JSON.stringify(res.body)).not.toContain(CONFIDENTIAL_STREET);
      expect(JSON.stringify(res.body)).not.toContain('address');
      // An agency exclusion removes legal aid too.
      await n.http
        .post(`/v1/intakes/${survivorId}/exclusions`)
        .set('Authorization', await n.auth('ana'))
        .send({ target: { kind: 'agency', agencyId: n.ids.legal }, method: 'verbal', language: 'tl' })
        .expect(201);
      const after = await get(`/v1/intakes/${survivorId}/referral-suggestions`, 'ana');
      expect(after.body.agencies.map((a: { agencyId: string }) => a.agencyId)).toEqual([n.ids.shelter]);
      await get(`/v1/intakes/${survivorId}/referral-suggestions`, 'lee', 404);
    });
  });
});
