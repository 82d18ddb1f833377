import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { type RunningPostgres, startEmbeddedPostgres, type Watchdog, watchEmbeddedPostgres } from '@harbour/database';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';

const port = () => 21_000 + Math.floor(Math.random() * 8_000);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

class CapturedLog implements DestinationStream {
  readonly entries: Array<Record<string, any>> = [];
  write(text: string): void {
    for (const line of text.split('\n')) if (line) this.entries.push(JSON.parse(line));
  }
}

describe('the embedded PostgreSQL heals itself', () => {
  let dir: string;
  let pg: RunningPostgres;
  let watchdog: Watchdog;
  let t: TestApp;
  let admin: string;
  const watchdogLines: Array<Record<string, unknown>> = [];
  const log = new CapturedLog();
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harbour-heal-'));
    // Durable: a kill -9 must not lose a commit (the fast test settings would).
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: port(), durable: true });
    expect(pg.ownership).toBe('started');
    // Checks every 2 s here, so the test can watch the outage before the restart.
    watchdog = watchEmbeddedPostgres(pg, {
      checkEveryMs: 2_000,
      firstBackoffMs: 100,
      log: (line) => watchdogLines.push(line),
      onGiveUp: () => undefined,
    });
    watchdog.start();
    t = await startTestApp({ databaseUrl: pg.url, env: { LOG_LEVEL: 'info' }, logDestination: log });
    admin = await (await buildNetwork(t)).auth('admin');
  });
  afterAll(async () => {
    await t?.close();
    await watchdog?.stop();
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('kill -9 of the postmaster: 503 problem+json meanwhile, /health 503 then 200, recovery without a manual step, a bounded log', async () => {
    await http().get('/v1/agencies').set('Authorization', admin).expect(200);
    await http().get('/health').expect(200);
    const killed = pg.pid;
    const linesBefore = log.entries.length;
    process.kill(killed, 'SIGKILL');
    const killedAt = Date.now();

    // The outage: every request is refused, fail closed, as problem+json; /health says which check.
    await eventually(async () => expect((await http().get('/health')).status).toBe(503));
    const health = await http().get('/health');
    expect(health.body).toEqual({ status: 'error', failing: expect.arrayContaining(['database']) });
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => http().get('/v1/agencies').set('Authorization', admin)),
    );
    // The watchdog may bring it back while these are in flight: each is refused (503) or served.
    const refused = answers.filter((res) => res.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const res of refused) {
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 503, code: expect.stringMatching(/unavailable/) });
    }

    // Recovery: the watchdog restarts the server, the pool reconnects, no one lifts a finger.
    await eventually(
      async () => expect((await http().get('/v1/agencies').set('Authorization', admin)).status).toBe(200),
      30_000,
    );
    const recoveredMs = Date.now() - killedAt;
    expect(recoveredMs).toBeLessThan(30_000);
    await eventually(async () => expect((await http().get('/health')).body).toEqual({ status: 'ok' }), 30_000);
    expect(pg.pid).not.toBe(killed);
    expect(alive(pg.pid)).toBe(true);
    expect(watchdogLines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'embedded PostgreSQL is not running; restarting it', pid: killed }),
        expect.objectContaining({
          msg: 'embedded PostgreSQL restarted',
          attempt: expect.any(Number),
          downMs: expect.any(Number),
        }),
      ]),
    );

    // 60+ refused requests, yet only a handful of warning or error lines besides the request log.
    const outage = log.entries.slice(linesBefore).filter((e) => e.level >= 40 && !e.res);
    expect(outage.length).toBeLessThanOrEqual(8);
    expect(outage.filter((e) => e.level >= 50).length).toBeLessThanOrEqual(2);
    expect(log.entries.slice(linesBefore).filter((e) => e.res?.statusCode === 503 && e.level >= 50)).toEqual([]);
  }, 90_000);
});

describe('a postmaster left running by a process that died is adopted, and stopped on shutdown', () => {
  let dir: string;
  let child: ChildProcess | null = null;
  const built = resolve('dist/libs/database/src/embedded-postgres.js');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harbour-orphan-'));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  /** Another process (standing in for an API) starts the server and prints its postmaster's pid. */
  const startInAnotherProcess = (dataDir: string, p: number) =>
    new Promise<{ pid: number; process: ChildProcess }>((done, fail) => {
      const code = `const { startEmbeddedPostgres } = await import(${JSON.stringify(built)});
        const pg = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${p}, durable: false });
        console.log(JSON.stringify({ pid: pg.pid })); setInterval(() => {}, 1000);`;
      const proc = spawn(process.execPath, ['--input-type=module', '-e', code], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      proc.stdout.once('data', (chunk: Buffer) => done({ pid: JSON.parse(chunk.toString()).pid, process: proc }));
      proc.once('exit', (exitCode) => fail(new Error(`the other process exited (${exitCode})`)));
    });

  it('shares it while its owner lives; adopts it once the owner is gone; stop() then stops it', async () => {
    expect(existsSync(built)).toBe(true); // jest's global setup needs dist/ built
    const dataDir = join(dir, 'pg');
    const p = port();
    const other = await startInAnotherProcess(dataDir, p);
    child = other.process;
    expect(alive(other.pid)).toBe(true);

    // The owner is alive (the API, while an operator runs the CLI): share, never stop it.
    const shared = await startEmbeddedPostgres({ dataDir, port: p, durable: false });
    expect(shared).toMatchObject({ ownership: 'shared', pid: other.pid });
    await shared.stop();
    expect(alive(other.pid)).toBe(true);

    // The owner is killed with -9: its postmaster keeps running, orphaned.
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    child = null;
    expect(alive(other.pid)).toBe(true);

    const adopted = await startEmbeddedPostgres({ dataDir, port: p, durable: false });
    expect(adopted).toMatchObject({ ownership: 'adopted', pid: other.pid });
    expect((await readFile(`${dataDir}.owner`, 'utf8')).trim()).toBe(String(process.pid));
    expect(adopted.alive()).toBe(true);
    await adopted.stop();
    expect(alive(other.pid)).toBe(false);
    expect(existsSync(`${dataDir}.owner`)).toBe(false);

    // And the next start is an ordinary one.
    const fresh = await startEmbeddedPostgres({ dataDir, port: p, durable: false });
    expect(fresh.ownership).toBe('started');
    const freshPid = fresh.pid;
    expect(freshPid).toBeGreaterThan(0);
    await fresh.stop();
    expect(alive(freshPid)).toBe(false);
  }, 60_000);
});
