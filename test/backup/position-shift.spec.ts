import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type AppendResult, PostgresEventStore } from '@harbour/event-store';
import { systemActor, systemClock } from '@harbour/kernel';
import { harbour } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/store-context.js';

/**
 * A restore onto a server whose transaction ids are far behind the exporting server's: the
 * source database is made to look old (its positions a million transactions ahead), and events
 * appended after the import must still sort after every restored one and be seen by readers.
 */
describe('harbour log import onto a younger server: positions stay in order', () => {
  const databases: TestDatabase[] = [];
  const pools: pg.Pool[] = [];
  let dir: string;
  const env = {
    HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
    HARBOUR_NOTARY_KEY: generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'der' })
      .toString('base64'),
  };
  const open = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    expect((await harbour(['migrate'], { ...env, DATABASE_URL: database.url })).code).toBe(0);
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pools.push(pool);
    return { database, pool, store: new PostgresEventStore(pool, systemClock) };
  };
  const append = (store: PostgresEventStore, stream: string, n: number) =>
    store.append(stream, 'any', [{ type: 'SyntheticThingHappened', data: { n } }], { actor: systemActor('test') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harbour-shift-'));
  });
  afterAll(async () => {
    for (const pool of pools) await pool.end();
    for (const database of databases) await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('new appends after the restore get higher positions than the archive, and every reader sees both', async () => {
    const source = await open();
    await source.pool.query('UPDATE harbour_position_shift SET shift = 1000000');
    for (let n = 0; n < 5; n++) await append(source.store, `synthetic-${n % 2}`, n);
    const file = join(dir, 'old-server.ndjson');
    expect((await harbour(['log', 'export', file], { ...env, DATABASE_URL: source.database.url })).code).toBe(0);
    const archived = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.kind === 'event')
      .map((e) => BigInt(e.globalPosition));
    const last = archived.reduce((a, b) => (a > b ? a : b));

    const target = await open();
    const { rows: before } = await target.pool.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x');
    expect(BigInt(before[0].x) << 20n < last).toBe(true); // without a shift, new positions would sort first
    const run = await harbour(['log', 'import', file], { ...env, DATABASE_URL: target.database.url });
    expect({ code: run.code, err: run.stderr }).toEqual({ code: 0, err: '' });
    expect(BigInt(JSON.parse(run.stdout).positionShift) > 0n).toBe(true);

    const [appended] = ((await append(target.store, 'synthetic-0', 99)) as AppendResult).events;
    expect(appended.globalPosition > last).toBe(true);
    // Readers hold back positions while older transactions on the server are still open (other
    // test files share it), so the new event shows once they end. Compared as text: jest cannot
    // pass a bigint in a failure message between its workers.
    await eventually(async () => {
      const { events } = await target.store.readAll(0n, { limit: 100 });
      expect(events.map((e) => String(e.globalPosition))).toEqual([...archived, appended.globalPosition].map(String));
    });
    const verify = await harbour(['verify'], { ...env, DATABASE_URL: target.database.url });
    expect({ code: verify.code, err: verify.stderr }).toEqual({ code: 0, err: '' });
  }, 180_000);
});
