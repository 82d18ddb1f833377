import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { DevKeys } from '@harbour/auth';
import { ProjectionRunner } from '@harbour/event-store';
import { harbour } from '../support/cli.js';
import { startTestApp, type TestApp } from '../support/context.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/store-context.js';
import { IDENTIFYING, type Network, setUpNetwork } from '../referrals/fixtures.js';

/**
 * Tables that are not read models rebuilt from the log, and why they may differ after a restore:
 * the log itself and the stream heads are compared as the archive (harbour verify), and the rest
 * is configuration or working state that the archive does not carry.
 */
const NOT_READ_MODELS: Record<string, string> = {
  migrations: 'schema history, written by each database’s own migrations',
  harbour_events: 'the log itself: loaded as is and verified',
  harbour_streams: 'stream heads: loaded as is and verified',
  harbour_checkpoints: 'projection positions: where each rebuild stopped, not data',
  harbour_idempotency: 'stored command answers: not facts, not exported',
  harbour_position_shift: 'how far the restored positions run ahead of the new server',
  privacy_data_keys: 'never in the archive: restored from the key table’s own backup (erasures replayed destroy again)',
  referral_webhooks: 'webhook configuration (secrets sealed under the master key), not in the log',
  referral_webhook_outbox: 'deliveries queued by a trigger on appends, not a projection',
  referral_webhook_attempts: 'delivery attempts',
};

/**
 * Columns of random pseudonyms the report projections make on first sight (never derived from an
 * id, so they cannot be linked back): a rebuild makes new ones. Rows are compared without them,
 * and the number of distinct pseudonyms per table must match.
 */
const PSEUDONYMS = ['subject_key', 'fact_key'];

describe('harbour log export / import: a verifiable restore of the whole log', () => {
  let t: TestApp;
  let n: Network;
  let dir: string;
  let archive: string;
  let kept: string;
  let erased: string;
  /** The key table as a nightly backup held it: taken before the second survivor's erasure. */
  let keyBackup: Array<Record<string, unknown>>;
  const fresh: TestDatabase[] = [];
  const env = (database: { url: string }) => ({
    DATABASE_URL: database.url,
    HARBOUR_MASTER_KEY: t.config.HARBOUR_MASTER_KEY!,
    HARBOUR_NOTARY_KEY: t.config.HARBOUR_NOTARY_KEY!,
  });
  const freshDatabase = async () => {
    const database = await createTestDatabase();
    fresh.push(database);
    return database;
  };
  const query = async <T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harbour-archive-'));
    archive = join(dir, 'log.ndjson');
    t = await startTestApp();
    n = await setUpNetwork(t);
    await n.staff(n.ids.care, 'pia', ['privacy-officer']);
    // A survivor referred to the shelter, accepted, and read there under their consent.
    ({ survivorId: kept } = await n.survivor());
    const referral = await n.acceptedReferral(kept, 'tess');
    await n.http
      .get(`/v1/intakes/${kept}?purpose=referral`)
      .set('Authorization', await n.auth('tess'))
      .expect(200);
    await n.http
      .get(`/v1/referrals/${referral}`)
      .set('Authorization', await n.auth('ana'))
      .expect(200);
    // A survivor whose whole record was erased at their request, after the key table's last backup.
    ({ survivorId: erased } = await n.survivor());
    keyBackup = await query(t.database.url, 'SELECT * FROM privacy_data_keys');
    const asked = await n.http
      .post(`/v1/intakes/${erased}/erasure-requests`)
      .set('Authorization', await n.auth('ana'))
      .send({ scope: 'record', obtainedHow: 'written' })
      .expect(201);
    await n.http
      .post(`/v1/intakes/${erased}/erasure-requests/${asked.body.requestId}/decision`)
      .set('Authorization', await n.auth('pia'))
      .send({ decision: 'approve', reason: 'request-verified' })
      .expect(200);
    await eventually(async () => {
      const status = await t.app.get(ProjectionRunner).status();
      expect(status.filter((s) => s.lag > 0)).toEqual([]);
    }, 30_000);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    for (const database of fresh) await database.drop();
    await rm(dir, { recursive: true, force: true });
  }, 180_000);

  it('exports the whole log as NDJSON: a header with the notary key, events with their chain, streams, an end line', async () => {
    const run = await harbour(['log', 'export', archive], env(t.database));
    expect({ code: run.code, err: run.stderr }).toEqual({ code: 0, err: '' });
    const report = JSON.parse(run.stdout);
    const lines = (await readFile(archive, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const [header] = lines;
    expect(header).toMatchObject({ kind: 'header', format: 'harbour-log-archive', version: 1 });
    const own = JSON.parse((await harbour(['notary', 'public-key'], env(t.database))).stdout);
    expect(header.notaryKeys).toContainEqual({
      keyId: own.keyId,
      algorithm: 'Ed25519',
      publicKeyPem: own.publicKeyPem,
    });
    const events = lines.filter((l) => l.kind === 'event');
    const [{ n: stored }] = await query<{ n: number }>(t.database.url, 'SELECT count(*)::int AS n FROM harbour_events');
    expect(events.length).toBe(stored);
    expect(report).toMatchObject({ events: stored, sealedCheckpoint: expect.any(Number) });
    expect(events.at(-1)).toMatchObject({ streamId: 'notary-checkpoints', type: 'IntegrityCheckpointSigned' });
    expect(events[0]).toEqual(
      expect.objectContaining({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: '0'.repeat(64) }),
    );
    expect(lines.at(-1)).toEqual({ kind: 'end', events: events.length, streams: report.streams });
    // No data keys, and no survivor plaintext: the intake travels as ciphertext only.
    const text = await readFile(archive, 'utf8');
    expect(text).not.toContain(IDENTIFYING.legalName);
    expect(text).not.toMatch(/wrapped_key|privacy_data_keys/);
  }, 180_000);

  const restoreKeys = async (url: string) => {
    for (const k of keyBackup)
      await query(
        url,
        `INSERT INTO privacy_data_keys (survivor_id, key_id, wrapped_key, master_key_id, created_at, rewrapped_at, destroyed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [k.survivor_id, k.key_id, k.wrapped_key, k.master_key_id, k.created_at, k.rewrapped_at, k.destroyed_at],
      );
  };
  /** The restored database behind a running API with the same keys, and a token for ana. */
  const restoredApi = async (url: string) => {
    const restored = await startTestApp({ databaseUrl: url, env: env({ url }) });
    const [ana] = await query<{ agency_id: string; roles: string[] }>(
      url,
      "SELECT agency_id, roles FROM network_staff WHERE user_id = 'ana'",
    );
    const token = `Bearer ${await restored.app
      .get(DevKeys)
      .mintDevToken({ userId: 'ana', agencyId: ana.agency_id, roles: ana.roles })}`;
    const read = (survivorId: string, status: number) =>
      request(restored.app.getHttpServer())
        .get(`/v1/intakes/${survivorId}?purpose=care-coordination`)
        .set('Authorization', token)
        .expect(status);
    return { restored, read };
  };
  const destroyed = async (url: string, survivorId: string) =>
    (
      await query<{ destroyed: boolean }>(
        url,
        'SELECT destroyed_at IS NOT NULL AS destroyed FROM privacy_data_keys WHERE survivor_id = $1',
        [survivorId],
      )
    )[0]?.destroyed;

  it('restores into a fresh database with its key table: verify passes, every read model equals the original, the erased survivor stays erased', async () => {
    const target = await freshDatabase();
    expect((await harbour(['migrate'], env(target))).code).toBe(0);
    await restoreKeys(target.url); // the key table from its own (older) backup: the erased survivor's key is still live in it
    expect(await destroyed(target.url, erased)).toBe(false);
    const run = await harbour(['log', 'import', archive], env(target));
    expect({ code: run.code, err: run.stderr }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ verified: { ok: true }, projectionsFailed: [] });
    // Replaying the erasure destroyed the key the backup still held.
    expect(await destroyed(target.url, erased)).toBe(true);
    const verify = await harbour(['verify'], env(target));
    expect({ code: verify.code, err: verify.stderr }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checkpoints: { ok: true } });

    const tables = await query<{ name: string }>(
      t.database.url,
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    const compared: string[] = [];
    for (const { name } of tables) {
      if (NOT_READ_MODELS[name]) continue;
      const rows = (url: string) =>
        query<{ row: string }>(url, `SELECT (to_jsonb(t) - $1::text[])::text AS row FROM "${name}" t ORDER BY 1`, [
          PSEUDONYMS,
        ]).then((r) => r.map((x) => x.row));
      const [original, restored] = [await rows(t.database.url), await rows(target.url)];
      expect({ table: name, rows: restored }).toEqual({ table: name, rows: original });
      const columns = await query<{ column: string }>(
        t.database.url,
        'SELECT column_name AS column FROM information_schema.columns WHERE table_name = $1 AND column_name = ANY($2)',
        [name, PSEUDONYMS],
      );
      for (const { column } of columns) {
        const distinct = (url: string) =>
          query<{ n: number }>(url, `SELECT count(DISTINCT "${column}")::int AS n FROM "${name}"`).then((r) => r[0].n);
        expect({ table: name, column, n: await distinct(target.url) }).toEqual({
          table: name,
          column,
          n: await distinct(t.database.url),
        });
      }
      if (original.length) compared.push(name);
    }
    expect(compared).toEqual(
      expect.arrayContaining([
        'audit_access',
        'audit_care_teams',
        'intake_retention',
        'referral_list',
        'reports_consent_facts',
      ]),
    );
    expect(compared.length).toBeGreaterThan(10);

    const { restored, read } = await restoredApi(target.url);
    try {
      expect((await read(erased, 410)).body.code).toBe('record-erased');
      expect((await read(kept, 200)).body.sections.identity.legalName).toBe(IDENTIFYING.legalName);
    } finally {
      await restored.close();
    }
  }, 180_000);

  it('restores from the archive alone: the log verifies, read models needing plaintext are named, the erased survivor stays erased', async () => {
    const target = await freshDatabase();
    const run = await harbour(['log', 'import', archive], env(target));
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ verified: { ok: true } });
    // The read models that open survivor plaintext: need facts, outcome facts (goals, needs resolved), match encodings.
    expect(report.projectionsFailed.map((p: { projection: string }) => p.projection).sort()).toEqual([
      'match-encodings',
      'reports-needs',
      'reports-outcomes',
    ]);
    for (const failed of report.projectionsFailed)
      expect(failed).toMatchObject({ error: expect.objectContaining({ code: 'decryption-failed' }) });
    expect(run.stderr).toContain('restore privacy_data_keys from its own backup');
    expect((await harbour(['verify'], env(target))).code).toBe(0);
    expect(await destroyed(target.url, erased)).toBe(true);
    const { restored, read } = await restoredApi(target.url);
    try {
      expect((await read(erased, 410)).body.code).toBe('record-erased');
    } finally {
      await restored.close();
    }
  }, 180_000);

  it('refuses an archive with one byte changed in one event, naming that event, and loads nothing', async () => {
    const lines = (await readFile(archive, 'utf8')).split('\n');
    const at = lines.findIndex((l) => l.includes('"kind":"event"') && l.includes('Synthetic Legal Aid'));
    expect(at).toBeGreaterThan(0);
    const victim = JSON.parse(lines[at]);
    lines[at] = lines[at].replace('Synthetic Legal Aid', 'Synthetic Legal Aie');
    const tampered = join(dir, 'tampered.ndjson');
    await writeFile(tampered, lines.join('\n'));
    const target = await freshDatabase();
    const run = await harbour(['log', 'import', tampered], env(target));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`global position ${victim.globalPosition}`);
    expect(run.stderr).toContain(`event ${victim.eventId}`);
    expect(run.stderr).toContain('content-altered');
    expect(run.stderr).not.toContain('Synthetic Legal Ai');
    const [counts] = await query<{ events: number; streams: number; shift: string; models: number }>(
      target.url,
      `SELECT (SELECT count(*)::int FROM harbour_events) AS events, (SELECT count(*)::int FROM harbour_streams) AS streams,
              (SELECT shift::text FROM harbour_position_shift) AS shift, (SELECT count(*)::int FROM referral_list) AS models`,
    );
    expect(counts).toEqual({ events: 0, streams: 0, shift: '0', models: 0 });
  }, 180_000);

  it('refuses a cut-off archive and an import into a database that already has a log', async () => {
    const lines = (await readFile(archive, 'utf8')).trimEnd().split('\n');
    const cut = join(dir, 'cut.ndjson');
    await writeFile(cut, `${lines.slice(0, -1).join('\n')}\n`);
    const target = await freshDatabase();
    const truncated = await harbour(['log', 'import', cut], env(target));
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/truncated.*cut off/);

    const [before] = await query<{ n: number }>(t.database.url, 'SELECT count(*)::int AS n FROM harbour_events');
    const busy = await harbour(['log', 'import', archive], env(t.database));
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('already holds events');
    const [after] = await query<{ n: number }>(t.database.url, 'SELECT count(*)::int AS n FROM harbour_events');
    expect(after.n).toBeGreaterThanOrEqual(before.n); // nothing loaded (the running notary may have sealed meanwhile)
    expect(after.n - before.n).toBeLessThan(3);
  }, 180_000);
});
