import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type request from 'supertest';
import { PG_POOL } from '@harbour/database';
import { EventStore } from '@harbour/event-store';
import { ErasureStatus } from '@harbour/intake';
import { harbour } from '../support/cli.js';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';

const MARKER = 'QX-ERASE-MARKER-5120';

/** Synthetic content for every section, each carrying the marker. */
const sections: Record<string, Record<string, unknown>> = {
  identity: { preferredName: `Mara ${MARKER}`, ageBand: '25-34', nationality: 'PH' },
  contact: {
    phone: '+1 416 555 0199',
    safeToContact: { phone: true, text: true, email: false, voicemail: false },
    safeTimes: `evenings ${MARKER}`,
  },
  safety: {
    riskLevel: 'high',
    risks: [{ kind: 'trafficker-contact', notes: `seen near home ${MARKER}` }],
    lastReviewed: '2026-10-30',
  },
  immigration: { status: 'temporary-resident', deadlines: [{ what: `renewal ${MARKER}`, date: '2027-01-15' }] },
  health: { conditions: `migraine ${MARKER}`, mentalHealthSupport: true },
  legal: { matters: [{ kind: 'labour', role: 'victim', status: `claim ${MARKER}` }] },
  housing: { situation: 'shelter', notes: `room 4 ${MARKER}` },
  income: { sources: [{ kind: 'none' }], debts: `fee ${MARKER}` },
  dependants: { dependants: [{ relationship: 'child', ageBand: '5-11', livesWithSurvivor: false, atRisk: true }] },
  story: { narrative: `Recruited for farm work. ${MARKER}`, toldOn: '2026-10-28', language: 'tl' },
  needs: { needs: [{ category: 'housing', urgency: 'high', notes: `before winter ${MARKER}` }] },
  preferences: {
    language: 'tl',
    interpreter: true,
    interpreterLanguage: 'tl',
    workerGender: 'women',
    culturalSupports: [`group ${MARKER}`],
  },
};

/** Every file under a folder (the server runs as another OS user; we read as root in tests). */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

describe('erasure over HTTP: request, decision, 410 record-erased, nothing left in plaintext', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let net: TestNetwork;
  let survivor: string;
  const auth = (userId: string) => net.auth(userId);
  const accessEvents = async () =>
    (await t.app.get(EventStore).readStream(`access-${survivor}`)).map(
      (e) => e.data as { route: string; outcome: string; sectionsWithheld: Array<{ reason: string }> },
    );

  beforeAll(async () => {
    t = await startTestApp();
    net = await buildNetwork(t);
    http = net.http;
    const shelter = await net.apply('Synthetic Shelter', 'shelter');
    await net.admit(shelter);
    const legal = await net.apply('Synthetic Legal Aid', 'legal');
    await net.staff(shelter, 'shelter-admin', ['agency-admin']);
    await net.endorse(legal, ['admin', 'shelter-admin']);
    await net.staff(shelter, 'ana-worker', ['caseworker']);
    await net.staff(shelter, 'pat-privacy', ['privacy-officer']);
    await net.staff(legal, 'lee-legal', ['caseworker']);
    await net.staff(legal, 'olu-privacy', ['privacy-officer']);
    const opened = await http
      .post('/v1/intakes')
      .set('Authorization', await auth('ana-worker'))
      .expect(201);
    survivor = opened.body.survivorId;
    for (const [section, content] of Object.entries(sections))
      await http
        .put(`/v1/intakes/${survivor}/sections/${section}`)
        .set('Authorization', await auth('ana-worker'))
        .send({ content })
        .expect(200);
  });
  afterAll(() => t.close());

  const read = async (userId: string, query: string, status: number) =>
    http
      .get(`/v1/intakes/${survivor}?${query}`)
      .set('Authorization', await auth(userId))
      .expect(status);
  const requestErasure = async (body: Record<string, unknown>, status = 201) =>
    http
      .post(`/v1/intakes/${survivor}/erasure-requests`)
      .set('Authorization', await auth('ana-worker'))
      .send(body)
      .expect(status);
  const decide = async (userId: string, requestId: string, body: Record<string, unknown>, status = 200) =>
    http
      .post(`/v1/intakes/${survivor}/erasure-requests/${requestId}/decision`)
      .set('Authorization', await auth(userId))
      .send(body)
      .expect(status);

  it('validates requests and decisions by field', async () => {
    const bad = await requestErasure({ scope: 'sections', sections: ['diary'], obtainedHow: 'written' }, 400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('sections');
    const noHow = await requestErasure({ scope: 'record' }, 400);
    expect(noHow.body.errors.map((e: { field: string }) => e.field)).toContain('obtainedHow');
  });

  it('a refused request erases nothing; only officers of a care-team agency decide', async () => {
    const { body } = await requestErasure({ scope: 'sections', sections: ['health'], obtainedHow: 'verbal' });
    expect(body).toMatchObject({ id: body.requestId, survivorId: survivor });
    const worker = await decide('ana-worker', body.requestId, { decision: 'approve', reason: 'request-verified' }, 403);
    expect(worker.body.code).toBe('missing-role');
    // An officer of an agency with no relation to the record is told nothing (the same 404 as for no record).
    const outsider = await decide(
      'olu-privacy',
      body.requestId,
      { decision: 'approve', reason: 'request-verified' },
      404,
    );
    expect(outsider.body.code).toBe('intake-not-found');
    const mismatch = await decide('pat-privacy', body.requestId, { decision: 'approve', reason: 'legal-hold' }, 400);
    expect(mismatch.body.errors[0].field).toBe('reason');
    await decide('pat-privacy', body.requestId, { decision: 'refuse', reason: 'identity-not-verified' });
    const again = await decide('pat-privacy', body.requestId, { decision: 'refuse', reason: 'legal-hold' }, 409);
    expect(again.body.code).toBe('erasure-already-decided');
    const still = await read('ana-worker', 'purpose=care-coordination&sections=health', 200);
    expect(JSON.stringify(still.body.sections.health)).toContain(MARKER);
  });

  it('an approved section erasure supersedes the section: reads withhold it, alone it answers 410', async () => {
    const { body } = await requestErasure({ scope: 'sections', sections: ['story', 'needs'], obtainedHow: 'written' });
    const approved = await decide('pat-privacy', body.requestId, { decision: 'approve', reason: 'request-verified' });
    expect(approved.body.erased).toEqual(['story', 'needs']);
    const all = await read('ana-worker', 'purpose=care-coordination', 200);
    expect(all.body.sections.story).toBeUndefined();
    expect(all.body.withheld).toEqual(
      expect.arrayContaining([
        { section: 'story', reason: 'section-erased' },
        { section: 'needs', reason: 'section-erased' },
      ]),
    );
    expect(JSON.stringify(all.body.sections.identity)).toContain(MARKER);
    const gone = await read('ana-worker', 'purpose=care-coordination&sections=story', 410);
    expect(gone.body.code).toBe('record-erased');
    expect(JSON.stringify(gone.body)).not.toContain(MARKER);
    // Reading as of before the erasure does not bring it back.
    const past = await read('ana-worker', `purpose=care-coordination&asOf=${new Date().toISOString()}`, 200);
    expect(past.body.sections.story).toBeUndefined();
    expect(await t.app.get(ErasureStatus).of(survivor)).toEqual({
      exists: true,
      erased: false,
      erasedSections: ['story', 'needs'],
    });
    const pool = t.app.get<pg.Pool>(PG_POOL);
    await eventually(async () => {
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM reports_need_facts');
      expect(rows[0].n).toBe(0);
    });
  });

  it('an approved whole-record erasure destroys the key; every read is 410 and an access event', async () => {
    const { body } = await requestErasure({ scope: 'record', obtainedHow: 'written' });
    const approved = await decide('pat-privacy', body.requestId, { decision: 'approve', reason: 'request-verified' });
    expect(approved.body.erased).toBe('record');
    const before = (await accessEvents()).length;
    const gone = await read('ana-worker', 'purpose=care-coordination', 410);
    expect(gone.body.code).toBe('record-erased');
    const events = await accessEvents();
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({ route: 'GET /v1/intakes/:survivorId', outcome: 'denied' });
    expect(new Set(events.at(-1)!.sectionsWithheld.map((w) => w.reason))).toEqual(new Set(['record-erased']));
    // Unrelated callers get the same 404 as for an id that names nothing (no existence oracle).
    const unrelated = await read('lee-legal', 'purpose=referral', 404);
    const random = await http
      .get(`/v1/intakes/00000000-0000-4000-8000-000000000000?purpose=referral`)
      .set('Authorization', await auth('lee-legal'))
      .expect(404);
    expect(unrelated.body.code).toBe(random.body.code);
    const write = await http
      .put(`/v1/intakes/${survivor}/sections/housing`)
      .set('Authorization', await auth('ana-worker'))
      .send({ content: { situation: 'stable' } })
      .expect(410);
    expect(write.body.code).toBe('record-erased');
    const pool = t.app.get<pg.Pool>(PG_POOL);
    const key = await pool.query('SELECT destroyed_at FROM privacy_data_keys WHERE survivor_id = $1', [survivor]);
    expect(key.rows[0].destroyed_at).not.toBeNull();
    await eventually(async () => {
      const snapshots = await pool.query('SELECT count(*)::int AS n FROM harbour_snapshots WHERE stream_id = $1', [
        `intake-${survivor}`,
      ]);
      expect(snapshots.rows[0].n).toBe(0);
      const retention = await pool.query('SELECT erased FROM intake_retention WHERE survivor_id = $1', [survivor]);
      expect(retention.rows[0].erased).toBe(true);
    });
    expect((await t.app.get(ErasureStatus).of(survivor)).erased).toBe(true);
  });

  it('after VACUUM no table and no file of the database holds a marker; harbour verify still passes', async () => {
    const pool = t.app.get<pg.Pool>(PG_POOL);
    await pool.query('VACUUM');
    const tables = await pool.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE'`,
    );
    expect(tables.rows.length).toBeGreaterThan(20);
    let dumped = 0;
    for (const { schema, name } of tables.rows) {
      const rows = await pool.query(`SELECT t::text AS row FROM "${schema}"."${name}" t`).catch(() => ({ rows: [] }));
      for (const { row } of rows.rows as Array<{ row: string }>) {
        dumped += row.length;
        expect({ table: `${schema}.${name}`, marker: row.includes(MARKER) }).toEqual({
          table: `${schema}.${name}`,
          marker: false,
        });
      }
    }
    expect(dumped).toBeGreaterThan(10_000);
    await pool.query('CHECKPOINT');
    const where = await pool.query<{ dir: string; oid: string }>(
      "SELECT current_setting('data_directory') AS dir, oid::text FROM pg_database WHERE datname = current_database()",
    );
    const folder = join(where.rows[0].dir, 'base', where.rows[0].oid);
    const marker = Buffer.from(MARKER);
    let scanned = 0;
    for (const file of [...(await filesUnder(folder)), ...(await filesUnder(join(where.rows[0].dir, 'pg_wal')))]) {
      if (!(await stat(file)).isFile()) continue;
      const bytes = await readFile(file);
      scanned += bytes.length;
      expect({ file, found: bytes.includes(marker) }).toEqual({ file, found: false });
    }
    expect(scanned).toBeGreaterThan(1_000_000);
    const verify = await harbour(['verify'], {
      DATABASE_URL: t.database.url,
      HARBOUR_MASTER_KEY: t.config.HARBOUR_MASTER_KEY!,
      HARBOUR_NOTARY_KEY: t.config.HARBOUR_NOTARY_KEY!,
    });
    expect({ code: verify.code, err: verify.stderr }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, firstBad: null });
  });
});
