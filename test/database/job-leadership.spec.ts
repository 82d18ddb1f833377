import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { AdvisoryJobLock, JOB_LOCK_NAMESPACE } from '@harbour/database';
import { cleanEnv, harbour } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The built API, exactly as `npm start` runs it; build first (npm test does).
const MAIN = fileURLToPath(new URL('../../dist/apps/api/src/main.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

/** Which process (by its pid, from the lock connection's application_name) holds each job's lock now. */
async function holders(pool: pg.Pool, jobs: string[]): Promise<Map<string, string[]>> {
  const { rows } = await pool.query<{ job: string; holder: string }>(
    `SELECT j.name AS job, a.application_name AS holder
       FROM unnest($2::text[]) AS j(name)
       JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.classid = $1
                      AND l.objid = (hashtext(j.name)::bigint & 4294967295)::text::oid
                      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       JOIN pg_stat_activity a ON a.pid = l.pid`,
    [JOB_LOCK_NAMESPACE, jobs],
  );
  const map = new Map<string, string[]>(jobs.map((job) => [job, []]));
  for (const row of rows) map.get(row.job)!.push(row.holder.replace('harbour-jobs:', ''));
  return map;
}

describe('background jobs on exactly one process among several (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('a job lock has one holder; release, a dead session or concurrent attempts hand it over cleanly', async () => {
    const here = new AdvisoryJobLock(database.url);
    const there = new AdvisoryJobLock(database.url);
    const lost: string[][] = [];
    here.onLost((jobs) => lost.push(jobs));
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      // Two attempts at once from one process take the session lock once (it would stack).
      expect(await Promise.all([here.tryAcquire('notary'), here.tryAcquire('notary')])).toEqual([true, true]);
      expect(await here.tryAcquire('notary')).toBe(true);
      expect(await there.tryAcquire('notary')).toBe(false);
      expect(await there.tryAcquire('webhook-delivery')).toBe(true);
      expect(await here.tryAcquire('webhook-delivery')).toBe(false);

      await here.release('notary'); // one release frees it: it was never taken twice
      expect(await there.tryAcquire('notary')).toBe(true);
      expect(await here.tryAcquire('notary')).toBe(false);
      expect(await here.tryAcquire('motion-closer')).toBe(true);

      // The session dies (as when a process is killed or a connection is cut): lost at once, and taken over.
      await pool.query(
        `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
          WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = (hashtext('motion-closer')::bigint & 4294967295)::text::oid`,
        [JOB_LOCK_NAMESPACE],
      );
      await eventually('the loss is noticed', 5_000, async () => (lost.length ? true : undefined));
      expect(lost).toEqual([['motion-closer']]);
      expect(here.holding()).toEqual([]);
      expect(await there.tryAcquire('motion-closer')).toBe(true);
      // The process whose session died reconnects and asks again, like any other.
      expect(await here.tryAcquire('motion-closer')).toBe(false);
      expect(await here.tryAcquire('break-glass-expiry')).toBe(true);
      expect(warned).toHaveBeenCalledWith(
        expect.objectContaining({ msg: expect.stringContaining('job locks lost'), jobs: ['motion-closer'] }),
      );
    } finally {
      warned.mockRestore();
      await here.onApplicationShutdown();
      await there.onApplicationShutdown();
    }
    expect([...(await holders(pool, ['notary', 'webhook-delivery', 'motion-closer'])).values()].flat()).toEqual([]);
  });

  describe('two built API processes on one database', () => {
    let dir: string;
    const apis: ChildProcess[] = [];
    const env = () => ({
      ...cleanEnv(),
      DATABASE_URL: database.url,
      HARBOUR_DATA_DIR: dir,
      HARBOUR_DEV_KEYS: 'true',
      HARBOUR_MASTER_KEY: masterKey,
      HARBOUR_NOTARY_KEY: notaryKey,
      HARBOUR_POLL_INTERVAL_MS: '50',
      LOG_LEVEL: 'warn',
    });
    const masterKey = randomBytes(32).toString('base64');
    const notaryKey = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'der' })
      .toString('base64');

    const start = async (port: number) => {
      const child = spawn(process.execPath, [MAIN], {
        env: { ...env(), PORT: String(port), HOST: '127.0.0.1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      apis.push(child);
      await eventually(`API on ${port} (${stderr.slice(-500)})`, 60_000, async () =>
        (await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined,
      );
      return child;
    };

    beforeAll(async () => {
      if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm test does)`);
      dir = await mkdtemp(join(tmpdir(), 'harbour-leaders-'));
      await chmod(dir, 0o755);
    });
    afterAll(async () => {
      for (const child of apis) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    });

    it('each job runs on one of them; kill -9 its leader and the other takes every job within 10 s, nothing applied twice or skipped', async () => {
      const port = 34_000 + Math.floor(Math.random() * 2_000);
      const first = await start(port);
      const cli = (...args: string[]) => harbour(args, env());
      const boot = await cli(
        ...['bootstrap', '--agency-name', 'Synthetic Secretariat', '--sector', 'other', '--regions', 'on-toronto'],
        ...['--contact-name', 'Sam', '--contact-email', 'sec@example.org', '--admin-name', 'Ada'],
        ...['--admin-email', 'ada@example.org', '--admin-user', 'ada'],
      );
      expect(boot.code).toBe(0);
      const token = await eventually('a token for the admin', 20_000, async () => {
        const minted = await cli('token', '--user', 'ada', '--ttl', '3600');
        return minted.code === 0 ? (JSON.parse(minted.stdout).access_token as string) : undefined;
      });
      const call = async (on: number, path: string, body?: unknown) => {
        const res = await fetch(`http://127.0.0.1:${on}${path}`, {
          method: body ? 'POST' : 'GET',
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const jobsOf = async (on: number) =>
        (await call(on, '/v1/operations/health')).body.info.jobs.jobs as Array<{
          name: string;
          lockHeld: boolean | null;
        }>;
      const jobs = (await jobsOf(port)).map((j) => j.name).sort();
      expect(jobs).toEqual(expect.arrayContaining(['notary', 'projections', 'webhook-delivery', 'motion-closer']));

      const second = await start(port + 1);
      const pids = { first: String(first.pid), second: String(second.pid) };
      // The first process took every job at its start; the second holds none and waits.
      const atStart = await eventually('every job held once', 15_000, async () => {
        const map = await holders(pool, jobs);
        return [...map.values()].every((h) => h.length === 1) ? map : undefined;
      });
      for (const job of jobs) expect([job, atStart.get(job)]).toEqual([job, [pids.first]]);
      expect((await jobsOf(port + 1)).every((j) => j.lockHeld !== true)).toBe(true);

      // Writes through both processes; the first one's projections apply them all.
      const apply = (on: number, n: number) =>
        call(on, '/v1/agencies', {
          name: `Synthetic Agency ${n}`,
          sector: 'housing',
          regions: ['on-toronto'],
          contact: { name: 'C', email: 'c@example.org' },
          requestedTier: 'core',
        });
      const applied: string[] = [];
      for (let n = 0; n < 10; n++) {
        const res = await apply(n % 2 ? port + 1 : port, n);
        expect(res.status).toBe(201);
        applied.push(res.body.agencyId);
      }

      first.kill('SIGKILL');
      const killedAt = Date.now();
      const after = await eventually('the second process holds every job', 15_000, async () => {
        const map = await holders(pool, jobs);
        return [...map.values()].every((h) => h.length === 1 && h[0] === pids.second) ? map : undefined;
      });
      const takeoverMs = Date.now() - killedAt;
      expect(after.size).toBe(jobs.length);
      expect(takeoverMs).toBeLessThan(10_000);
      console.log(`job leadership: every job taken over ${takeoverMs} ms after kill -9 of the leader`);

      for (let n = 10; n < 20; n++) {
        const res = await apply(port + 1, n);
        expect(res.status).toBe(201);
        applied.push(res.body.agencyId);
      }
      // Every event applied exactly once: each agency listed once, none missing; every projection runs here now.
      const listed = await eventually('the second process projected every application', 15_000, async () => {
        const { body } = await call(port + 1, '/v1/agencies?status=applicant');
        const ids = (body as Array<{ agencyId: string }>).map((a) => a.agencyId);
        return applied.every((id) => ids.includes(id)) ? ids : undefined;
      });
      expect(listed.filter((id) => applied.includes(id)).sort()).toEqual([...applied].sort());
      expect(new Set(listed).size).toBe(listed.length);
      const projections = (await call(port + 1, '/v1/operations/health')).body.info.projections.projections as Array<{
        name: string;
        state: string;
      }>;
      expect(projections.every((p) => p.state === 'running')).toBe(true);

      // The notary went on sealing in the second process: the whole log verifies.
      const verify = await cli('verify');
      expect(verify.code).toBe(0);
      second.kill('SIGTERM');
    }, 240_000);
  });
});
