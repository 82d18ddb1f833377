import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { PostgresEventStore } from '@harbour/event-store';
import { FixedClock } from '@harbour/kernel';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testActor } from '../support/store-context.js';
import { CLI, harbour as runCli } from '../support/cli.js';
import { migrations } from '@harbour/contexts';

const MASTER_KEY = randomBytes(32).toString('base64');
const harbour = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { HARBOUR_MASTER_KEY: MASTER_KEY, ...env });

describe('operator CLI (built, against a real database)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const run = (...args: string[]) => harbour(args, { DATABASE_URL: database.url });

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm test does)`);
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('migrate creates the event log and exits 0', async () => {
    const result = await run('migrate');
    expect(result).toMatchObject({ code: 0 });
    // Every context's migrations, oldest first (TypeORM orders them by the timestamp in the name).
    const expected = migrations
      .map((m) => new m().name)
      .sort((a, b) => Number(a.match(/\d+$/)![0]) - Number(b.match(/\d+$/)![0]));
    expect(expected[0]).toBe('EventStore1732300000000');
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, applied: expected });
    const { rows } = await pool.query("SELECT to_regclass('harbour_events')::text AS t");
    expect(rows[0].t).toBe('harbour_events');
  });

  it('verify reports a healthy log with exit 0', async () => {
    const store = new PostgresEventStore(pool, new FixedClock(new Date('2026-11-02T09:00:00Z')));
    const event = (n: number) => ({ type: 'TallyIncremented', data: { by: n } });
    await store.append('tally-a', 'no-stream', [event(1), event(2), event(3)], { actor: testActor });
    await store.append('tally-b', 'no-stream', [event(4)], { actor: testActor });
    const result = await run('verify');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      eventsChecked: 4,
      streamsChecked: 2,
      firstBad: null,
      findings: [],
    });
  });

  it('verify exits 2 and names the tampered event', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let position: string;
    try {
      const { rows } = await client.query(
        "SELECT global_position::text AS p FROM harbour_events WHERE stream_id = 'tally-a' AND stream_version = 1",
      );
      position = rows[0].p;
      // What only a database owner can do: switch off the append-only trigger for this session.
      await client.query('SET session_replication_role = replica');
      await client.query(`UPDATE harbour_events SET data = '{"x":1}' WHERE global_position = $1`, [position]);
    } finally {
      await client.end();
    }
    const result = await run('verify');
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({
      problem: 'content-altered',
      globalPosition: position,
      streamId: 'tally-a',
      streamVersion: 1,
    });
    expect(report.findings).toHaveLength(1);
    expect(result.stderr).toContain(`global position ${position}`);
    expect(result.stderr).toMatch(/stream tally-a, version 1\): content-altered/);
  });

  it('projections status prints JSON; rebuilding an unknown projection exits 1', async () => {
    const status = await run('projections', 'status');
    expect(status.code).toBe(0);
    const names = JSON.parse(status.stdout).map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['directory-services', 'network-agencies', 'network-staff']));
    const rebuilt = await run('projections', 'rebuild', 'network-agencies');
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ name: 'network-agencies', lag: 0 });
    const rebuild = await run('projections', 'rebuild', 'nope');
    expect(rebuild.code).toBe(1);
    expect(rebuild.stderr).toMatch(/Unknown projection "nope"/);
  });

  it('a bad configuration exits 1 naming the variable', async () => {
    const result = await harbour(['verify'], { DATABASE_URL: database.url, HARBOUR_PG_PORT: 'abc' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration: .*HARBOUR_PG_PORT/);
    expect(result.stdout).toBe('');
  });
});
