/**
 * The failover drill (`npm run drill:failover`, opt-in, not part of `npm test`): on the Patroni
 * cluster of infra/cluster (started here if it is not up), two API processes on one fresh
 * database, N clients writing survivor-record updates and referral transitions, each request
 * with an Idempotency-Key and retried with the same key until acknowledged, spread over both
 * APIs. Meanwhile the primary's postmaster is killed with SIGKILL (Patroni promotes the
 * synchronous standby) and an API process is killed with SIGKILL and restarted (a supervisor's
 * job), interleaved. At the end: acknowledged writes, lost and duplicated ones (straight from
 * the events), `harbour verify`, every projection caught up, time from each kill to the next
 * acknowledged write (p50/max), and 5xx answers outside the failover windows.
 *
 * DRILL_CLIENTS (4), DRILL_PG_KILLS (3), DRILL_API_KILLS (2), DRILL_GAP_MS (6000, between kills),
 * DRILL_WINDOW_MS (3000: how long after the first acknowledged write a failover window lasts).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newClient } from '@harbour/database';
import { apiMain, cli, healthy, mintToken, newStats, pct, root, sendUntilAcked, sleep } from './soak-support.js';

const CLIENTS = Number(process.env.DRILL_CLIENTS ?? 4);
const PG_KILLS = Number(process.env.DRILL_PG_KILLS ?? 3);
const API_KILLS = Number(process.env.DRILL_API_KILLS ?? 2);
const GAP_MS = Number(process.env.DRILL_GAP_MS ?? 6_000);
const WINDOW_MS = Number(process.env.DRILL_WINDOW_MS ?? 3_000);
const clusterSh = join(root, 'infra/cluster/cluster.sh');
const cluster = (...args: string[]) => execFileSync('bash', [clusterSh, ...args], { encoding: 'utf8' }).trim();

const clusterHealthy = () => {
  try {
    cluster('healthy');
    return true;
  } catch {
    return false;
  }
};

interface Api {
  port: number;
  proc: ChildProcess | null;
}

interface Expected {
  /** Per survivor: section updates acknowledged. */
  intakes: Map<string, number>;
  /** Per referral: the transitions acknowledged, in order. */
  referrals: Map<string, string[]>;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'harbour-drill-'));
  await chmod(dir, 0o755);
  console.log(
    'cluster:',
    cluster('up')
      .split('\n')
      .find((l) => l.startsWith('DATABASE_URL'))
      ? 'up'
      : '?',
  );
  const url = cluster('fresh-db', 'harbour_drill');
  const notary = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    HARBOUR_DATA_DIR: dir,
    HARBOUR_DEV_KEYS: 'true',
    HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
    HARBOUR_NOTARY_KEY: notary,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    HARBOUR_RATE_LIMIT: 'false',
  };
  const basePort = 33_000 + Math.floor(Math.random() * 2_000);
  const apis: Api[] = [
    { port: basePort, proc: null },
    { port: basePort + 1, proc: null },
  ];
  const log = createWriteStream(join(dir, 'api.log'));
  const start = (api: Api) => {
    const proc = spawn(process.execPath, ['--max-semi-space-size=64', apiMain], {
      env: { ...env, PORT: String(api.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.pipe(log, { end: false });
    proc.stderr.pipe(log, { end: false });
    api.proc = proc;
  };
  const bases = apis.map((a) => `http://127.0.0.1:${a.port}`);
  const t0 = Date.now();
  try {
    // One API first (it runs the migrations), then the second.
    start(apis[0]);
    await healthy(bases[0], Date.now(), 120_000);
    start(apis[1]);
    await healthy(bases[1], Date.now(), 120_000);

    // A small synthetic network: the secretariat (ada, cara the caseworker) and a shelter (sam, tom).
    const boot = await cli(env, [
      'bootstrap',
      ...['--agency-name', 'Drill Secretariat', '--sector', 'victim-services', '--regions', 'on-toronto'],
      ...['--contact-name', 'Sam', '--contact-email', 'sec@example.org', '--admin-name', 'Ada'],
      ...['--admin-email', 'ada@example.org', '--admin-user', 'ada'],
    ]);
    if (boot.code !== 0) throw new Error('bootstrap failed');
    const secretariat = (JSON.parse(boot.stdout) as { agencyId: string }).agencyId;
    const setup = newStats();
    const ada = await mintToken(env, 'ada');
    const send = (token: string, method: string, path: string, key: string, body?: unknown, stats = setup) =>
      sendUntilAcked(bases, { method, path, token, key, body }, stats, key);
    const shelter = String(
      (
        await send(ada, 'POST', '/v1/agencies', 'setup-shelter', {
          name: 'Drill Shelter',
          sector: 'shelter',
          regions: ['on-toronto'],
          contact: { name: 'C', email: 'c@example.org' },
          requestedTier: 'core',
        })
      ).agencyId,
    );
    for (let i = 0; ; i++) {
      const r = await fetch(`${bases[0]}/v1/agencies/${shelter}/admission`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ada}` },
      });
      if (r.status === 200) break;
      if (i > 60) throw new Error(`admission: ${r.status}`);
      await sleep(250);
    }
    const staff = (by: string, agencyId: string, userId: string, roles: string[]) =>
      send(by, 'POST', `/v1/agencies/${agencyId}/staff`, `setup-staff-${userId}`, {
        userId,
        displayName: userId,
        email: `${userId}@example.org`,
        roles,
      });
    await staff(ada, secretariat, 'cara', ['caseworker']);
    await staff(ada, shelter, 'sam', ['agency-admin']);
    const sam = await mintToken(env, 'sam');
    await staff(sam, shelter, 'tom', ['caseworker']);
    const [cara, tom] = [await mintToken(env, 'cara'), await mintToken(env, 'tom')];
    await send(sam, 'POST', '/v1/services', 'setup-service', {
      name: 'Drill emergency beds',
      description: 'synthetic',
      needs: ['shelter'],
      languages: ['en'],
      regions: ['on-toronto'],
      eligibility: { gender: 'any' },
      hours: [{ day: 'mo', opens: '09:00', closes: '17:00' }],
      acceptingReferrals: true,
      responseWindowHours: 24,
      addressConfidential: false,
    });
    // The directory projection must list the service before a referral can name its needs.
    for (let i = 0; ; i++) {
      const r = await fetch(`${bases[0]}/v1/directory/services?pageSize=10`, {
        headers: { authorization: `Bearer ${cara}` },
      });
      if (r.status === 200 && ((await r.json()) as { total: number }).total > 0) break;
      if (i > 120) throw new Error('the service never reached the directory');
      await sleep(250);
    }

    // The clients: open a record, update its needs twice, record a consent for the shelter,
    // refer, and the shelter acknowledges and accepts. Every step is one acknowledged write.
    const expected: Expected = { intakes: new Map(), referrals: new Map() };
    const stats = newStats();
    let stopping = false;
    const client = async (n: number) => {
      for (let seq = 0; !stopping; seq++) {
        const k = (step: string) => `drill-${n}-${seq}-${step}`;
        const survivorId = String((await send(cara, 'POST', '/v1/intakes', k('open'), undefined, stats)).survivorId);
        expected.intakes.set(survivorId, 0);
        for (const u of [1, 2]) {
          await send(
            cara,
            'PUT',
            `/v1/intakes/${survivorId}/sections/needs`,
            k(`needs-${u}`),
            {
              content: { needs: [{ category: 'shelter', urgency: 'high', notes: `synthetic drill note ${seq}.${u}` }] },
            },
            stats,
          );
          expected.intakes.set(survivorId, u);
        }
        await send(
          cara,
          'POST',
          `/v1/intakes/${survivorId}/consents`,
          k('consent'),
          {
            method: 'verbal',
            language: 'en',
            recipient: { kind: 'agency', agencyId: shelter },
            sections: ['needs'],
            purposes: ['referral'],
          },
          stats,
        );
        const referralId = String(
          (
            await send(
              cara,
              'POST',
              '/v1/referrals',
              k('refer'),
              {
                survivorId,
                toAgencyId: shelter,
                needs: ['shelter'],
                urgency: 'high',
                note: 'bed needed',
                region: 'on-toronto',
              },
              stats,
            )
          ).referralId,
        );
        expected.referrals.set(referralId, ['ReferralRequested']);
        await send(tom, 'POST', `/v1/referrals/${referralId}/acknowledgement`, k('ack'), {}, stats);
        expected.referrals.get(referralId)!.push('ReferralAcknowledged');
        await send(
          tom,
          'POST',
          `/v1/referrals/${referralId}/acceptance`,
          k('accept'),
          { assignedCaseworkerId: 'tom' },
          stats,
        );
        expected.referrals.get(referralId)!.push('ReferralAccepted');
      }
    };
    const clientsDone = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    const failure: { error?: Error } = {};
    clientsDone.catch((e: unknown) => (failure.error = e instanceof Error ? e : new Error(String(e))));

    // The kills, interleaved: postgres, api, postgres, api, postgres …
    const plan: Array<'postgres' | 'api'> = [];
    for (let i = 0; i < Math.max(PG_KILLS, API_KILLS); i++) {
      if (i < PG_KILLS) plan.push('postgres');
      if (i < API_KILLS) plan.push('api');
    }
    const windows: Array<{ what: string; from: number; firstAck: number }> = [];
    await sleep(GAP_MS);
    for (const [i, what] of plan.entries()) {
      if (failure.error) throw failure.error;
      // Each kill meets a whole cluster: three nodes running, a synchronous standby attached.
      for (let w = 0; !clusterHealthy() && w < 600; w++) await sleep(100);
      const from = Date.now();
      let detail: string;
      if (what === 'postgres') {
        const [node, , , pid] = cluster('leader').split(' ');
        process.kill(Number(pid), 'SIGKILL');
        detail = `primary ${node} postmaster ${pid}`;
      } else {
        const api = apis[i % 2];
        const proc = api.proc!;
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
        start(api); // what a process supervisor does
        detail = `API on :${api.port}`;
      }
      // The first write sent after the kill and acknowledged (one in flight may commit just before it).
      let firstAck = 0;
      for (; !firstAck && Date.now() - from < 120_000; await sleep(20))
        firstAck = stats.acks.find((a) => a.sent > from)?.at ?? 0;
      if (!firstAck) throw new Error(`no write acknowledged within 120 s of killing the ${detail}`);
      windows.push({ what, from, firstAck });
      console.log(
        `kill ${String(i + 1)}/${plan.length}: kill -9 ${detail.padEnd(30)} first acknowledged write after ${firstAck - from} ms`,
      );
      await sleep(GAP_MS);
    }
    stopping = true;
    await clientsDone;
    const newPrimary = cluster('leader');

    // Lost and duplicated, straight from the events.
    const db = newClient(url);
    await db.connect();
    const { rows } = await db.query<{ stream_id: string; type: string; n: number }>(
      `SELECT stream_id, type, count(*)::int AS n FROM harbour_events
        WHERE type IN ('IntakeOpened', 'IntakeSectionUpdated', 'ReferralRequested', 'ReferralAcknowledged', 'ReferralAccepted')
        GROUP BY 1, 2`,
    );
    const count = new Map(rows.map((r) => [`${r.stream_id}|${r.type}`, r.n]));
    let lost = 0;
    let duplicated = 0;
    const tally = (key: string, want: number) => {
      const got = count.get(key) ?? 0;
      if (got < want) lost += want - got;
      if (got > want) duplicated += got - want;
      count.delete(key);
    };
    for (const [survivorId, updates] of expected.intakes) {
      tally(`intake-${survivorId}|IntakeOpened`, 1);
      tally(`intake-${survivorId}|IntakeSectionUpdated`, updates);
    }
    for (const [referralId, types] of expected.referrals)
      for (const type of ['ReferralRequested', 'ReferralAcknowledged', 'ReferralAccepted'])
        tally(`referral-${referralId}|${type}`, types.includes(type) ? 1 : 0);
    // Whatever is left was written by no acknowledged request: with every request retried until acknowledged, none.
    const unexpected = [...count.values()].reduce((a, b) => a + b, 0);
    await db.end();

    // Projections caught up (lag 0) within 30 s, and the log verifies.
    let lagging: string[] = [];
    for (let i = 0; i < 60; i++) {
      const status = await cli(env, ['projections', 'status']);
      const list = JSON.parse(status.stdout || '[]') as Array<{ name: string; lag: number }>;
      lagging = list.filter((p) => p.lag !== 0).map((p) => `${p.name}:${p.lag}`);
      if (status.code === 0 && list.length && !lagging.length) break;
      await sleep(500);
    }
    const verify = await cli(env, ['verify']);

    const inWindow = (t: number) => windows.some((w) => t >= w.from && t <= w.firstAck + WINDOW_MS);
    const outside = stats.serverErrors.filter((t) => !inWindow(t)).length;
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const ms = (what: string) => sorted(windows.filter((w) => w.what === what).map((w) => w.firstAck - w.from));
    const pg = ms('postgres');
    const api = ms('api');
    const acknowledged = stats.acks.length;
    const figures = {
      minutes: Number(((Date.now() - t0) / 60_000).toFixed(1)),
      clients: CLIENTS,
      primaryKills: pg.length,
      apiKills: api.length,
      acknowledged,
      survivors: expected.intakes.size,
      referrals: expected.referrals.size,
      lost,
      duplicated,
      unexpected,
      verify: verify.code === 0 ? 'passed' : `FAILED (exit ${verify.code})`,
      projectionsCaughtUp: lagging.length === 0 ? 'yes' : `NO (${lagging.join(', ')})`,
      killToFirstWriteMs: {
        primary: { p50: pct(pg, 50), max: pg[pg.length - 1] ?? 0 },
        api: { p50: pct(api, 50), max: api[api.length - 1] ?? 0 },
      },
      serverErrors: stats.serverErrors.length,
      serverErrorsOutsideFailoverWindows: outside,
      retries: stats.retries,
      refusedWhileFailingOver: stats.refused,
      primaryAtEnd: newPrimary,
    };
    console.log(JSON.stringify(figures, null, 2));
    console.log(
      `\n| clients | primary kill -9 | API kill -9 | acknowledged | lost | duplicated | kill → first write p50 / max (primary) | (API) | 5xx outside windows | verify | projections |\n|---|---|---|---|---|---|---|---|---|---|---|\n` +
        `| ${CLIENTS} | ${pg.length} | ${api.length} | ${acknowledged.toLocaleString('en')} | ${lost} | ${duplicated} | ${figures.killToFirstWriteMs.primary.p50} / ${figures.killToFirstWriteMs.primary.max} ms | ${figures.killToFirstWriteMs.api.p50} / ${figures.killToFirstWriteMs.api.max} ms | ${outside} | ${figures.verify} | ${lagging.length ? 'lagging' : 'caught up'} |`,
    );
    const ok =
      lost === 0 && duplicated === 0 && unexpected === 0 && verify.code === 0 && !lagging.length && outside === 0;
    if (!ok) {
      console.error(`FAILOVER DRILL FAILED (log kept in ${dir})`);
      process.exitCode = 1;
      return;
    }
    console.log('failover drill passed');
    await rm(dir, { recursive: true, force: true });
  } catch (error) {
    console.error(`FAILOVER DRILL FAILED: ${(error as Error).message} (log kept in ${dir})`);
    process.exitCode = 1;
  } finally {
    for (const api of apis) api.proc?.kill('SIGTERM');
  }
}

void main();
