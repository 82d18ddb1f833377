import type request from 'supertest';
import { PG_POOL } from '@harbour/database';
import { EventStore } from '@harbour/event-store';
import { FixedClock } from '@harbour/kernel';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';

const MARKER = 'ZZ-SYNTHETIC-MARKER-7731';

/** A realistic synthetic value for every section, each carrying the marker somewhere. */
const sections: Record<string, Record<string, unknown>> = {
  identity: { preferredName: `Ana ${MARKER}`, ageBand: '25-34', nationality: 'PH' },
  contact: {
    phone: '+1 416 555 0100',
    safeToContact: { phone: true, text: true, email: false, voicemail: false },
    safeTimes: `mornings ${MARKER}`,
  },
  safety: {
    riskLevel: 'high',
    risks: [{ kind: 'trafficker-contact', notes: `seen near work ${MARKER}` }],
    lastReviewed: '2026-10-30',
  },
  immigration: { status: 'temporary-resident', deadlines: [{ what: `permit renewal ${MARKER}`, date: '2027-01-15' }] },
  health: { conditions: `asthma ${MARKER}`, mentalHealthSupport: true },
  legal: { matters: [{ kind: 'labour', role: 'victim', status: `claim filed ${MARKER}` }] },
  housing: { situation: 'shelter', notes: `bed until month end ${MARKER}` },
  income: { sources: [{ kind: 'none' }], debts: `recruitment fee ${MARKER}` },
  dependants: { dependants: [{ relationship: 'child', ageBand: '5-11', livesWithSurvivor: false, atRisk: true }] },
  story: { narrative: `Recruited for hotel work abroad. ${MARKER}`, toldOn: '2026-10-28', language: 'tl' },
  needs: {
    needs: [
      { category: 'housing', urgency: 'high', notes: `before winter ${MARKER}` },
      { category: 'legal', urgency: 'medium' },
    ],
  },
  preferences: {
    language: 'tl',
    interpreter: true,
    interpreterLanguage: 'tl',
    workerGender: 'women',
    culturalSupports: [`community group ${MARKER}`],
  },
};

describe('the survivor record: intake, consent and audited reads', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let net: TestNetwork;
  const ids: Record<string, string> = {};
  let survivor: string;

  const auth = (userId: string) => net.auth(userId);
  const accessEvents = async () =>
    (await t.app.get(EventStore).readStream(`access-${survivor}`)).map((e) => e.data as Record<string, any>);
  const read = async (userId: string, query: string, status: number) =>
    http
      .get(`/v1/intakes/${survivor}?${query}`)
      .set('Authorization', await auth(userId))
      .expect(status);

  beforeAll(async () => {
    t = await startTestApp();
    net = await buildNetwork(t);
    http = net.http;
    const staff = net.staff;
    ids.shelter = await net.apply('Synthetic Shelter', 'shelter');
    await net.admit(ids.shelter);
    ids.legal = await net.apply('Synthetic Legal Aid', 'legal');
    ids.health = await net.apply('Synthetic Clinic', 'health');
    await staff(ids.shelter, 'shelter-admin', ['agency-admin']);
    for (const id of [ids.legal, ids.health]) await net.endorse(id, ['admin', 'shelter-admin']);
    await staff(ids.shelter, 'ana-worker', ['caseworker']);
    await staff(ids.shelter, 'sam-super', ['supervisor']);
    await staff(ids.shelter, 'other-worker', ['caseworker']);
    await staff(ids.legal, 'lee-legal', ['caseworker']);
    await staff(ids.health, 'hana-health', ['caseworker']);
    await staff(ids.shelter, 'pat-privacy', ['privacy-officer']);
  });
  afterAll(() => t.close());

  it('opens an intake and fills every section, refusing bad content by field and naming what changed', async () => {
    const opened = await http
      .post('/v1/intakes')
      .set('Authorization', await auth('ana-worker'))
      .expect(201);
    survivor = opened.body.survivorId;
    let version = opened.body.version;
    for (const [section, content] of Object.entries(sections)) {
      const res = await http
        .put(`/v1/intakes/${survivor}/sections/${section}`)
        .set('Authorization', await auth('ana-worker'))
        .set('If-Match', `"${version}"`)
        .send({ content })
        .expect(200);
      version = res.body.version;
      expect(res.body.changedFields.length).toBeGreaterThan(0);
    }
    const bad = await http
      .put(`/v1/intakes/${survivor}/sections/safety`)
      .set('Authorization', await auth('ana-worker'))
      .send({ content: { riskLevel: 'apocalyptic', risks: [], lastReviewed: '2026-10-30', extra: MARKER } })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['content.riskLevel']),
    );
    expect(JSON.stringify(bad.body)).not.toContain(MARKER);
    const stale = await http
      .put(`/v1/intakes/${survivor}/sections/housing`)
      .set('Authorization', await auth('ana-worker'))
      .set('If-Match', '"1"')
      .send({ content: { situation: 'stable' } })
      .expect(409);
    expect(stale.body).toMatchObject({ code: 'concurrency-conflict', currentVersion: version });
    const changed = await http
      .put(`/v1/intakes/${survivor}/sections/housing`)
      .set('Authorization', await auth('ana-worker'))
      .send({ content: { situation: 'temporary', notes: `bed until month end ${MARKER}` } })
      .expect(200);
    expect(changed.body.changedFields).toEqual(['situation']);
  });

  it('lets exactly one of two concurrent updates with the same If-Match win', async () => {
    const current = await read('ana-worker', 'purpose=care-coordination&sections=housing', 200);
    const version = current.body.version;
    const put = async (situation: string) =>
      http
        .put(`/v1/intakes/${survivor}/sections/housing`)
        .set('Authorization', await auth('ana-worker'))
        .set('If-Match', `"${version}"`)
        .send({ content: { situation } });
    const results = await Promise.all([put('unsafe'), put('homeless')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body).toMatchObject({
      code: 'concurrency-conflict',
      currentVersion: version + 1,
    });
    await http
      .put(`/v1/intakes/${survivor}/sections/housing`)
      .set('Authorization', await auth('ana-worker'))
      .send({ content: { situation: 'temporary', notes: `bed until month end ${MARKER}` } })
      .expect(200);
  });

  it('lets the care team read everything for care coordination, and records the read', async () => {
    const before = (await accessEvents()).length;
    const res = await read('ana-worker', 'purpose=care-coordination', 200);
    expect(Object.keys(res.body.sections).sort()).toEqual(Object.keys(sections).sort());
    expect(res.body.sections.needs.needs[0].category).toBe('housing');
    expect(res.body.withheld).toEqual([]);
    const events = await accessEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      outcome: 'permitted',
      purpose: 'care-coordination',
      actor: { userId: 'ana-worker' },
    });
    expect(JSON.stringify(events.at(-1))).not.toContain(MARKER);
  });

  it('denies by default and records the denial; an unassigned colleague is not the care team', async () => {
    // Colleagues of the care team's agency are told why; an agency with no relation to the record
    // gets the answer an unknown id gets (no existence oracle). Each refusal is recorded all the same.
    for (const [who, status, code] of [
      ['lee-legal', 404, 'intake-not-found'],
      ['other-worker', 403, 'access-denied'],
      ['pat-privacy', 403, 'access-denied'],
    ] as const) {
      const before = (await accessEvents()).length;
      const res = await read(who, 'purpose=referral', status);
      expect(res.body.code).toBe(code);
      expect(JSON.stringify(res.body)).not.toContain(MARKER);
      const events = await accessEvents();
      expect(events).toHaveLength(before + 1);
      expect(events.at(-1)).toMatchObject({ outcome: 'denied', sectionsReturned: [], actor: { userId: who } });
    }
    // A supervisor answers for the agency's caseload; then assigns the colleague.
    await read('sam-super', 'purpose=safety-planning', 200);
    await http
      .post(`/v1/intakes/${survivor}/care-team`)
      .set('Authorization', await auth('sam-super'))
      .send({ userId: 'other-worker' })
      .expect(200);
    await read('other-worker', 'purpose=care-coordination&sections=needs', 200);
  });

  it('shares only consented sections, for the consented purpose, until revoked — on the very next read', async () => {
    const consent = await http
      .post(`/v1/intakes/${survivor}/consents`)
      .set('Authorization', await auth('ana-worker'))
      .send({
        recipient: { kind: 'agency', agencyId: ids.legal },
        sections: ['needs', 'preferences', 'legal'],
        purposes: ['referral'],
        method: 'verbal',
        language: 'tl',
      })
      .expect(201);
    expect(consent.body).toMatchObject({ consentVersion: 1 });
    const res = await read('lee-legal', 'purpose=referral', 200);
    expect(Object.keys(res.body.sections).sort()).toEqual(['legal', 'needs', 'preferences']);
    expect(res.body.withheld).toEqual(
      expect.arrayContaining([{ section: 'identity', reason: 'section-not-consented' }]),
    );
    expect(JSON.stringify(res.body)).not.toContain(`Ana ${MARKER}`);
    expect(res.body.basis[0]).toMatchObject({
      decision: 'permit',
      basis: { kind: 'consent', consentId: consent.body.consentId, version: 1 },
    });
    // Another purpose is not implied.
    // (Legal aid is not on the care team: a refusal answers as for an unknown id; the reason is in the access log.)
    expect((await read('lee-legal', 'purpose=investigation', 404)).body.code).toBe('intake-not-found');
    expect(
      (await accessEvents())
        .at(-1)!
        .sectionsWithheld.every((w: { reason: string }) => w.reason === 'purpose-not-permitted'),
    ).toBe(true);
    // Same sector, other agency: nothing.
    await read('hana-health', 'purpose=referral', 404);

    await http
      .post(`/v1/intakes/${survivor}/consents/${consent.body.consentId}/revocation`)
      .set('Authorization', await auth('ana-worker'))
      .send({ method: 'verbal' })
      .expect(200);
    await read('lee-legal', 'purpose=referral', 404);
    const revoked = (await accessEvents()).at(-1)!;
    expect(revoked).toMatchObject({ outcome: 'denied', actor: { userId: 'lee-legal' } });
    expect(revoked.sectionsWithheld.find((w: { section: string }) => w.section === 'needs').reason).toBe(
      'consent-revoked',
    );
  });

  it('lets an exclusion override every permit', async () => {
    await http
      .post(`/v1/intakes/${survivor}/consents`)
      .set('Authorization', await auth('ana-worker'))
      .send({
        recipient: { kind: 'sector', sector: 'health' },
        sections: ['health'],
        purposes: ['care-coordination'],
        method: 'written',
        language: 'tl',
      })
      .expect(201);
    await read('hana-health', 'purpose=care-coordination&sections=health', 200);
    await http
      .post(`/v1/intakes/${survivor}/exclusions`)
      .set('Authorization', await auth('ana-worker'))
      .send({ target: { kind: 'agency', agencyId: ids.health }, method: 'verbal', language: 'tl' })
      .expect(201);
    await read('hana-health', 'purpose=care-coordination&sections=health', 404);
    expect((await accessEvents()).at(-1)).toMatchObject({
      outcome: 'denied',
      actor: { userId: 'hana-health' },
      sectionsWithheld: [{ section: 'health', reason: 'excluded-agency' }],
    });
  });

  it('reads the intake as it stood at an earlier instant', async () => {
    const clock = t.clock as FixedClock;
    clock.advance(60_000);
    const between = clock.now().toISOString();
    clock.advance(60_000);
    await http
      .put(`/v1/intakes/${survivor}/sections/housing`)
      .set('Authorization', await auth('ana-worker'))
      .send({ content: { situation: 'stable' } })
      .expect(200);
    const now = await read('ana-worker', 'purpose=care-coordination&sections=housing', 200);
    expect(now.body.sections.housing.situation).toBe('stable');
    const then = await read(
      'ana-worker',
      `purpose=care-coordination&sections=housing&asOf=${encodeURIComponent(between)}`,
      200,
    );
    expect(then.body.sections.housing.situation).toBe('temporary');
    expect(then.body.asOf).toBe(between);
  });

  it('reads a long history as of any instant, from snapshots that hold no plaintext', async () => {
    const clock = t.clock as FixedClock;
    const times: string[] = [];
    for (let i = 1; i <= 120; i++) {
      clock.advance(60_000);
      await http
        .put(`/v1/intakes/${survivor}/sections/housing`)
        .set('Authorization', await auth('ana-worker'))
        .send({ content: { situation: 'shelter', notes: `night ${i} ${MARKER}` } })
        .expect(200);
      times[i] = clock.now().toISOString();
    }
    await eventually(async () => {
      const { rows } = await t.app
        .get(PG_POOL)
        .query(`SELECT count(*)::int AS n FROM harbour_snapshots WHERE stream_id = $1`, [`intake-${survivor}`]);
      expect(rows[0].n).toBeGreaterThanOrEqual(2);
    });
    for (const i of [1, 49, 50, 51, 99, 100, 120]) {
      const then = await read(
        'ana-worker',
        `purpose=care-coordination&sections=housing&asOf=${encodeURIComponent(times[i])}`,
        200,
      );
      expect(then.body.sections.housing.notes).toBe(`night ${i} ${MARKER}`);
    }
  });

  it('never stores a section in plaintext, in any table', async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      );
      expect(rows.length).toBeGreaterThan(5);
      for (const { table_name } of rows) {
        const hit = await client.query(`SELECT count(*)::int AS n FROM "${table_name}" t WHERE t::text LIKE $1`, [
          `%${MARKER}%`,
        ]);
        expect({ table: table_name, hits: hit.rows[0].n }).toEqual({ table: table_name, hits: 0 });
      }
    } finally {
      await client.end();
    }
  });

  it('refuses the read when its access event cannot be recorded (fail closed)', async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      await client.query(`CREATE FUNCTION refuse_access_events() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.stream_id LIKE 'access-%' THEN RAISE EXCEPTION 'audit storage unavailable'; END IF; RETURN NEW; END $$`);
      await client.query(
        'CREATE TRIGGER refuse_access_events BEFORE INSERT ON harbour_events FOR EACH ROW EXECUTE FUNCTION refuse_access_events()',
      );
      const res = await read('ana-worker', 'purpose=care-coordination', 503);
      expect(res.body.code).toBe('access-not-recorded');
      expect(JSON.stringify(res.body)).not.toContain(MARKER);
    } finally {
      await client.query('DROP TRIGGER IF EXISTS refuse_access_events ON harbour_events');
      await client.end();
    }
    await read('ana-worker', 'purpose=care-coordination&sections=needs', 200);
  });

  it('records a de-identified anonymous notice, and refuses free text', async () => {
    await http
      .post('/v1/anonymous-notices')
      .set('Authorization', await auth('ana-worker'))
      .send({ needs: ['shelter', 'legal'], region: 'on-toronto', ageBand: '18-24', month: '2026-10' })
      .expect(201);
    const bad = await http
      .post('/v1/anonymous-notices')
      .set('Authorization', await auth('ana-worker'))
      .send({ needs: ['shelter'], region: 'on-toronto', ageBand: '18-24', month: '2026-10', notes: MARKER })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['notes']);
  });
});
