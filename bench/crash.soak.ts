/**
 * The crash suite (`npm run soak:crash`): the real `npm start` process (dist/apps/api/src/main.js,
 * embedded PostgreSQL in its own temporary data folder) under writes from N clients, killed
 * with SIGKILL at random moments and restarted (>= 20 times), and its PostgreSQL postmaster
 * killed with SIGKILL (>= 3 times) and left to the API's watchdog. Each client sends
 * `POST /v1/agencies` with an Idempotency-Key and retries the same request until it is
 * acknowledged. At the end: every acknowledged write is in the log exactly once, `harbour
 * verify` passes, the last API stops the PostgreSQL it adopted, and no step but restarting the
 * killed API process (a process supervisor's job) was taken.
 *
 * SOAK_CLIENTS (8), SOAK_API_KILLS (20), SOAK_PG_KILLS (3), SOAK_MIN_MS/SOAK_MAX_MS (random
 * wait before each kill, 500/2500).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@harbour/database';
import {
  alive,
  apiMain,
  cli as runCli,
  healthy as healthyAt,
  mintToken,
  newStats,
  pct,
  sendUntilAcked,
  sleep,
  type WriteStats,
} from './soak-support.js';

const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 8);
const API_KILLS = Number(process.env.SOAK_API_KILLS ?? 20);
const PG_KILLS = Number(process.env.SOAK_PG_KILLS ?? 3);
const MIN_MS = Number(process.env.SOAK_MIN_MS ?? 500);
const MAX_MS = Number(process.env.SOAK_MAX_MS ?? 2_500);
const RECOVERY_LIMIT_MS = 60_000;

interface Soak {
  dir: string;
  env: NodeJS.ProcessEnv;
  base: string;
  api: ChildProcess | null;
  apiLog: ReturnType<typeof createWriteStream>;
  apiStarts: number;
}

function startApi(soak: Soak): ChildProcess {
  const api = spawn(process.execPath, ['--max-semi-space-size=64', apiMain], {
    env: soak.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout.pipe(soak.apiLog, { end: false });
  api.stderr.pipe(soak.apiLog, { end: false });
  soak.api = api;
  soak.apiStarts++;
  return api;
}

const healthy = (soak: Soak, since: number) => healthyAt(soak.base, since, RECOVERY_LIMIT_MS);
const cli = (soak: Soak, args: string[]) => runCli(soak.env, args);

const postmasterPid = (soak: Soak) =>
  Number.parseInt(readFileSync(join(soak.dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0], 10);

interface Ack {
  key: string;
  name: string;
  agencyId: string;
}

/** One client: write after write, each retried with its Idempotency-Key until acknowledged. */
async function client(soak: Soak, n: number, token: string, stop: () => boolean, acks: Ack[], stats: WriteStats) {
  for (let seq = 0; !stop(); seq++) {
    const key = `soak-${n}-${seq}`;
    const name = `Crash Soak Agency ${n}-${seq}`;
    const body = {
      name,
      sector: 'shelter',
      regions: ['on-toronto'],
      contact: { name: 'Synthetic Contact', email: 'soak@example.org' },
      requestedTier: 'core',
    };
    const res = await sendUntilAcked(
      [soak.base],
      { method: 'POST', path: '/v1/agencies', token, key, body },
      stats,
      `client ${n}`,
    );
    acks.push({ key, name, agencyId: String(res.agencyId) });
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'harbour-soak-'));
  await chmod(dir, 0o755); // as root the server runs as the OS user postgres
  const port = 31_000 + Math.floor(Math.random() * 2_000);
  const soak: Soak = {
    dir,
    base: `http://127.0.0.1:${port}`,
    env: {
      ...process.env,
      HARBOUR_DATA_DIR: dir,
      HARBOUR_PG_DIR: join(dir, 'pg'),
      HARBOUR_PG_PORT: String(port + 2_000),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      HARBOUR_RATE_LIMIT: 'false', // many clients, one token
    },
    api: null,
    apiLog: createWriteStream(join(dir, 'api.log')),
    apiStarts: 0,
  };
  delete soak.env.DATABASE_URL;
  const t0 = Date.now();
  try {
    startApi(soak);
    await healthy(soak, Date.now());
    const boot = await cli(soak, [
      'bootstrap',
      '--agency-name',
      'Soak Secretariat',
      '--sector',
      'other',
      '--regions',
      'on-toronto',
      '--contact-name',
      'Sam',
      '--contact-email',
      'sec@example.org',
      '--admin-name',
      'Ada',
      '--admin-email',
      'ada@example.org',
      '--admin-user',
      'ada',
    ]);
    if (boot.code !== 0) throw new Error('bootstrap failed');
    // The staff projection may need a moment after the bootstrap before the token command finds Ada.
    const token = await mintToken(soak.env, 'ada');

    const acks: Ack[] = [];
    const stats = newStats();
    let stopping = false;
    const clients = Array.from({ length: CLIENTS }, (_, n) => client(soak, n, token, () => stopping, acks, stats));
    const clientsDone = Promise.all(clients);
    const clientFailure: { error?: Error } = {};
    clientsDone.catch((error) => (clientFailure.error = error instanceof Error ? error : new Error(String(error))));

    // The kill schedule: API kills with the postmaster kills spread among them.
    const plan: Array<'api' | 'postgres'> = Array(API_KILLS).fill('api');
    for (let i = 0; i < PG_KILLS; i++)
      plan.splice(Math.round(((i + 1) * plan.length) / (PG_KILLS + 1)) + i, 0, 'postgres');
    const recovery: Record<'api' | 'postgres', number[]> = { api: [], postgres: [] };
    let ackedBefore = 0;
    for (const [i, what] of plan.entries()) {
      await sleep(MIN_MS + Math.random() * (MAX_MS - MIN_MS));
      if (clientFailure.error) throw clientFailure.error;
      const killedAt = Date.now();
      if (what === 'api') {
        const api = soak.api!;
        const exited = new Promise((r) => api.once('exit', r));
        api.kill('SIGKILL');
        await exited;
        startApi(soak); // what a process supervisor does; nothing else is touched
      } else {
        process.kill(postmasterPid(soak), 'SIGKILL'); // the API's watchdog must bring it back
      }
      const ms = await healthy(soak, killedAt);
      recovery[what].push(ms);
      console.log(
        `cycle ${String(i + 1).padStart(2)}/${plan.length}: kill -9 ${what.padEnd(8)} recovered in ${String(ms).padStart(5)} ms (${acks.length - ackedBefore} writes acknowledged since the previous kill)`,
      );
      ackedBefore = acks.length;
    }
    await sleep(1_000);
    stopping = true;
    await clientsDone;

    // Every acknowledged write is in the log exactly once (straight from the events, no projection).
    const shared = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: port + 2_000 });
    const db = new pg.Client({ connectionString: shared.url });
    await db.connect();
    const { rows } = await db.query<{ name: string; agency_ids: string[] }>(
      `SELECT data->>'name' AS name, array_agg(data->>'agencyId') AS agency_ids FROM harbour_events WHERE type = 'AgencyApplied' AND data->>'name' LIKE 'Crash Soak Agency %' GROUP BY 1`,
    );
    await db.end();
    const byName = new Map(rows.map((r) => [r.name, r.agency_ids]));
    const lost = acks.filter((a) => !byName.get(a.name)?.includes(a.agencyId)).length;
    const duplicated = rows.filter((r) => r.agency_ids.length > 1).length;
    const unacknowledgedButWritten = rows.length - new Set(acks.map((a) => a.name)).size;

    const verify = await cli(soak, ['verify']);
    const adoptions = readFileSync(join(dir, 'api.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"ownership":"adopted"')).length;
    const restarts = readFileSync(join(dir, 'api.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('embedded PostgreSQL restarted')).length;

    // A clean stop of the last API stops the PostgreSQL it adopted.
    const lastPostmaster = postmasterPid(soak);
    const api = soak.api!;
    const exited = new Promise((r) => api.once('exit', r));
    api.kill('SIGTERM');
    await exited;
    soak.api = null;
    for (let i = 0; i < 100 && alive(lastPostmaster); i++) await sleep(100);
    const postmasterStopped = !alive(lastPostmaster);

    const all = [...recovery.api, ...recovery.postgres].sort((a, b) => a - b);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const figures = {
      minutes: Number(((Date.now() - t0) / 60_000).toFixed(1)),
      clients: CLIENTS,
      apiKills: recovery.api.length,
      postgresKills: recovery.postgres.length,
      acknowledged: acks.length,
      lost,
      duplicated,
      unacknowledgedButWritten,
      retries: stats.retries,
      recoveryMs: {
        api: { p50: pct(sorted(recovery.api), 50), max: Math.max(...recovery.api) },
        postgres: { p50: pct(sorted(recovery.postgres), 50), max: Math.max(...recovery.postgres) },
        all: { p50: pct(all, 50), max: all[all.length - 1] },
      },
      adoptedAfterApiKill: adoptions,
      postgresRestartedByWatchdog: restarts,
      verify: verify.code === 0 ? 'passed' : `FAILED (exit ${verify.code})`,
      postmasterStoppedOnShutdown: postmasterStopped,
      manualSteps: 0,
      refusedWhileDown: stats.refused,
    };
    console.log(JSON.stringify(figures, null, 2));
    console.log(
      `\n| cycles (API kill -9) | PostgreSQL kill -9 | acknowledged | lost | duplicated | recovery p50 / max, API | recovery p50 / max, PostgreSQL | verify |\n|---|---|---|---|---|---|---|---|\n` +
        `| ${figures.apiKills} | ${figures.postgresKills} | ${figures.acknowledged.toLocaleString('en')} | ${lost} | ${duplicated} | ${figures.recoveryMs.api.p50} / ${figures.recoveryMs.api.max} ms | ${figures.recoveryMs.postgres.p50} / ${figures.recoveryMs.postgres.max} ms | ${figures.verify} |`,
    );
    const ok =
      lost === 0 &&
      duplicated === 0 &&
      verify.code === 0 &&
      postmasterStopped &&
      adoptions >= 1 &&
      restarts >= PG_KILLS;
    if (!ok) {
      console.error(`CRASH SUITE FAILED (log kept in ${dir})`);
      process.exitCode = 1;
      return;
    }
    console.log('crash suite passed');
    await rm(dir, { recursive: true, force: true });
  } catch (error) {
    console.error(`CRASH SUITE FAILED: ${(error as Error).message} (log kept in ${dir})`);
    process.exitCode = 1;
  } finally {
    if (soak.api) soak.api.kill('SIGTERM');
  }
}

void main();
