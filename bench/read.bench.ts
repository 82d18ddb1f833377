/**
 * Audited-read throughput over HTTP: `npm run bench:read` (BENCH_SECONDS=10 per phase).
 *
 * Starts the whole API in-process, as main.ts does, on its own durable embedded PostgreSQL
 * (real fsync'd commits, like the product) in a fresh temporary folder. Seeds a network (one
 * shelter agency, one caseworker) and SURVIVORS synthetic intakes with 3-4 sections each, over
 * HTTP. Then, with autocannon at 1, 16 and 64 connections, measures:
 *  - the audited read `GET /v1/intakes/:survivorId?purpose=care-coordination` (a random seeded
 *    survivor per request): consent decision, decryption and one committed SurvivorDataAccessed
 *    event per answer (group commit);
 *  - `GET /health` (database ping + projection status), for reference.
 * Afterwards it checks that the SurvivorDataAccessed rows stored match the reads answered.
 */
import { randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { retry } from './measure.js';
import 'reflect-metadata';
import { type CallHandler, type ExecutionContext, type INestApplication, type NestInterceptor } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { type Observable, tap } from 'rxjs';
import { DevKeys } from '@harbour/auth';
import { AccessRecorder, SURVIVOR_DATA_ACCESSED } from '@harbour/audit';
import { loadConfig, systemClock } from '@harbour/kernel';
import { NetworkBootstrap } from '@harbour/network';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp, httpAdapter } from '../apps/api/src/http/configure-app.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
// BENCH_CONNECTIONS=64 / BENCH_WORKLOADS=read narrow a run, e.g. for profiling one phase.
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,16,64').split(',').map(Number);
const WORKLOADS = (process.env.BENCH_WORKLOADS ?? 'read,health').split(',') as Array<'read' | 'health'>;
const SURVIVORS = 200;
const SEED_CONCURRENCY = 8;
const PURPOSE = 'care-coordination';
const TARGET = { connections: 64, readsPerSecond: 1_500, p99Ms: 50 };

import { type AutocannonResult, type LoadJob } from './load-worker.js';
import { runBench } from './bench-postgres.js';
import { printTable } from './table.js';

/**
 * The load generator runs in its own process: in the server's event loop it would take the
 * server's CPU, and the figures would measure autocannon rather than Harbour.
 */
function load(job: LoadJob): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./load-worker.js', import.meta.url)), [JSON.stringify(job)], {
      stdio: 'inherit',
    });
    child.once('message', (result) => resolve(result as AutocannonResult));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
  });
}

/** Synthetic section content (schemas as in the intake sections); `i` varies it per survivor. */
const SECTION_CONTENT: Record<string, (i: number) => Record<string, unknown>> = {
  identity: (i) => ({
    preferredName: `Synthetic Person ${i}`,
    ageBand: ['18-24', '25-34', '35-49'][i % 3],
    nationality: ['PH', 'MX', 'UA', 'NG'][i % 4],
  }),
  contact: (i) => ({
    phone: `+1 416 555 ${String(1000 + i).slice(-4)}`,
    safeToContact: { phone: true, text: i % 2 === 0, email: false, voicemail: false },
    safeTimes: 'weekday mornings',
  }),
  housing: (i) => ({ situation: ['shelter', 'temporary', 'stable'][i % 3], notes: `synthetic housing note ${i}` }),
  needs: (i) => ({
    needs: [
      { category: 'housing', urgency: 'high', notes: `synthetic need ${i}` },
      { category: 'legal', urgency: 'medium' },
    ],
  }),
  safety: (i) => ({
    riskLevel: ['low', 'medium', 'high'][i % 3],
    risks: [{ kind: 'trafficker-contact', notes: `synthetic risk ${i}` }],
    lastReviewed: '2026-10-30',
  }),
};

/**
 * Counts audited reads the server answered (the handler resolved, so its access event was
 * committed) and refused. A duration-bound autocannon run abandons the requests in flight when
 * time is up; the server still answers, and records, those: the client's 2xx count is short by
 * at most the connections in flight at each stop, so the exact check is against this count.
 */
class ReadCounter implements NestInterceptor {
  answered = 0;
  refused = 0;
  inFlight = 0;
  /** Nanoseconds from the interceptor to the handler's answer (guards and HTTP parsing not included). */
  handlerTimes = createHistogram();
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getClass().name !== 'RecordController' || context.getHandler().name !== 'read') return next.handle();
    this.inFlight++;
    const started = process.hrtime.bigint();
    return next.handle().pipe(
      tap({
        next: () => {
          this.answered++;
          this.handlerTimes.record(process.hrtime.bigint() - started || 1n);
        },
        error: () => void this.refused++,
        finalize: () => void this.inFlight--,
      }),
    );
  }
}

const rate = (n: number) => Math.round(n).toLocaleString('en-US');
// autocannon keeps latencies in whole milliseconds: 0 means under 1 ms.
const ms = (n: number) => (n === 0 ? '<1' : Number.isInteger(n) ? String(n) : n.toFixed(1));

runBench('harbour-read-bench-', 57_000, async ({ server, dir, onClose }) => {
  let app: INestApplication | undefined;
  onClose(async () => app?.close());
  const config = loadConfig({
    // Other HARBOUR_* settings (e.g. HARBOUR_PROJECTIONS=false) pass through, for experiments.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('HARBOUR_'))),
    // Request logs off by default (they would fill this output); BENCH_LOG_LEVEL=info measures with them.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    HARBOUR_DEV_KEYS: 'true',
    // Rate limiting off: 64 connections share one token (one subject) and one address at
    // thousands of requests a second. HARBOUR_RATE_LIMIT=true (with high limits) measures its cost.
    HARBOUR_RATE_LIMIT: process.env.HARBOUR_RATE_LIMIT ?? 'false',
    HARBOUR_DATA_DIR: dir,
    HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
    HOST: '127.0.0.1',
  });
  config.DATABASE_URL = server.url;

  app = await configureApp(
    await NestFactory.create(AppModule.forRoot(config, systemClock), httpAdapter(), { bufferLogs: true }),
  );
  const counter = new ReadCounter();
  app.useGlobalInterceptors(counter);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;

  // --- Seed -----------------------------------------------------------------------------
  const seedStarted = performance.now();
  const keys = app.get(DevKeys);
  const boot = await app.get(NetworkBootstrap).run({
    agency: {
      name: 'Network Secretariat',
      sector: 'other',
      regions: ['on-toronto'],
      contact: { name: 'S', email: 's@example.org' },
    },
    admin: { userId: 'bench-admin', displayName: 'Admin', email: 'admin@example.org' },
  });
  const adminToken = await keys.mintDevToken({
    userId: 'bench-admin',
    agencyId: boot.agencyId,
    roles: ['network-admin', 'agency-admin'],
    ttlSeconds: 3600,
  });
  const call = async (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const expect = async (
    status: number,
    what: string,
    response: Promise<{ status: number; body: Record<string, unknown> }>,
  ) => {
    const res = await response;
    if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const shelter = await expect(
    201,
    'apply',
    call('POST', '/v1/agencies', adminToken, {
      name: 'Synthetic Shelter',
      sector: 'shelter',
      regions: ['on-toronto'],
      contact: { name: 'C', email: 'c@example.org' },
      requestedTier: 'core',
    }),
  );
  const shelterId = shelter.agencyId as string;
  // Admission by bootstrap counts active core agencies from the network-agencies projection.
  await retry('admission', () =>
    expect(200, 'admission', call('POST', `/v1/agencies/${shelterId}/admission`, adminToken)),
  );
  // The network admin adds the shelter's admin; case roles come only from the shelter's own admin.
  await retry('add agency admin', () =>
    expect(
      201,
      'add agency admin',
      call('POST', `/v1/agencies/${shelterId}/staff`, adminToken, {
        userId: 'bench-shelter-admin',
        displayName: 'Bench Shelter Admin',
        email: 'bench-shelter-admin@example.org',
        roles: ['agency-admin'],
      }),
    ),
  );
  const shelterAdminToken = await keys.mintDevToken({
    userId: 'bench-shelter-admin',
    agencyId: shelterId,
    roles: ['agency-admin'],
    ttlSeconds: 3600,
  });
  await retry('add caseworker', () =>
    expect(
      201,
      'add caseworker',
      call('POST', `/v1/agencies/${shelterId}/staff`, shelterAdminToken, {
        userId: 'bench-worker',
        displayName: 'Bench Worker',
        email: 'bench-worker@example.org',
        roles: ['caseworker'],
      }),
    ),
  );
  const workerToken = await keys.mintDevToken({
    userId: 'bench-worker',
    agencyId: shelterId,
    roles: ['caseworker'],
    ttlSeconds: 3600,
  });

  const names = Object.keys(SECTION_CONTENT);
  const survivors: string[] = [];
  let sectionsFilled = 0;
  const seedOne = async (i: number) => {
    const opened = await retry('open intake', () =>
      expect(201, 'open intake', call('POST', '/v1/intakes', workerToken)),
    );
    const survivorId = opened.survivorId as string;
    let version = opened.version as number;
    const count = 3 + (i % 2); // 3 or 4 sections
    for (let s = 0; s < count; s++) {
      const section = names[(i + s) % names.length];
      const res = await expect(
        200,
        `fill ${section}`,
        call(
          'PUT',
          `/v1/intakes/${survivorId}/sections/${section}`,
          workerToken,
          { content: SECTION_CONTENT[section](i) },
          { 'if-match': `"${version}"` },
        ),
      );
      version = res.version as number;
      sectionsFilled++;
    }
    survivors.push(survivorId);
  };
  await seedOne(0); // the first one waits for the caseworker to be visible, if need be
  for (let next = 1; next < SURVIVORS;) {
    const batch = Array.from({ length: Math.min(SEED_CONCURRENCY, SURVIVORS - next) }, () => next++);
    await Promise.all(batch.map(seedOne));
  }
  // One read per survivor would add events; check one read's shape only, outside the counts.
  const sample = await call('GET', `/v1/intakes/${survivors[0]}?purpose=${PURPOSE}`, workerToken);
  if (sample.status !== 200 || Object.keys(sample.body.sections as object).length < 3) {
    throw new Error(`sample audited read: HTTP ${sample.status} ${JSON.stringify(sample.body).slice(0, 300)}`);
  }
  const seedSeconds = (performance.now() - seedStarted) / 1_000;

  const db = new pg.Client({ connectionString: config.DATABASE_URL });
  await db.connect();
  const accessRows = async () =>
    (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM harbour_events WHERE type = $1', [
        SURVIVOR_DATA_ACCESSED,
      ])
    ).rows[0].n;
  const accessBefore = await accessRows(); // the sample read above
  const answeredBefore = counter.answered;

  const { rows } = await db.query<{ v: string; sc: string }>(
    `SELECT current_setting('server_version') AS v, current_setting('synchronous_commit') AS sc`,
  );
  console.log(
    `Harbour audited-read bench: PostgreSQL ${rows[0].v} (embedded, synchronous_commit=${rows[0].sc}), Node ${process.version}, ${cpus().length} CPUs`,
  );
  console.log(
    `seeded ${survivors.length} survivors, ${sectionsFilled} sections over HTTP in ${seedSeconds.toFixed(1)} s`,
  );
  console.log(`${SECONDS} s per phase after ${WARMUP_SECONDS} s warm-up; DB pool ${config.HARBOUR_DB_POOL_SIZE}\n`);

  // --- Measure --------------------------------------------------------------------------
  const run = (path: 'read' | 'health', connections: number, duration: number) =>
    path === 'read'
      ? load({
          url: base,
          connections,
          duration,
          token: workerToken,
          paths: survivors.map((id) => `/v1/intakes/${id}?purpose=${PURPOSE}`),
        })
      : load({ url: `${base}/health`, connections, duration });

  interface Row {
    workload: string;
    connections: number;
    result: AutocannonResult;
  }
  const results: Row[] = [];
  let client2xxReads = 0;
  let clientNon2xxReads = 0;
  let invalid = false;
  for (const connections of CONNECTIONS) {
    for (const workload of WORKLOADS) {
      const warm = await run(workload, connections, WARMUP_SECONDS);
      // How long the server's event loop was held up: the latency every request in the queue pays.
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      loopDelay.enable();
      counter.handlerTimes.reset();
      const cpuBefore = process.cpuUsage();
      const result = await run(workload, connections, SECONDS);
      const cpu = process.cpuUsage(cpuBefore);
      loopDelay.disable();
      // The server's CPU (all its threads) per request: steadier than req/s on a shared machine.
      const cpuPerRequest = (cpu.user + cpu.system) / Math.max(1, result.requests.total);
      if (workload === 'read') {
        client2xxReads += warm['2xx'] + result['2xx'];
        clientNon2xxReads += warm.non2xx + warm.errors + result.non2xx + result.errors;
      }
      const label = workload === 'read' ? `audited read GET /v1/intakes/:id?purpose=${PURPOSE}` : 'GET /health';
      console.log(
        `${label}, ${String(connections).padStart(2)} connections: ${rate(result.requests.average)} req/s, ` +
          `p50 ${ms(result.latency.p50)} ms, p99 ${ms(result.latency.p99)} ms, ${rate(result['2xx'])} 2xx, ` +
          `non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}; ` +
          `server CPU ${Math.round(cpuPerRequest)} µs/request, ` +
          (workload === 'read'
            ? `handler p50 ${(counter.handlerTimes.percentile(50) / 1e6).toFixed(1)} ms p99 ${(counter.handlerTimes.percentile(99) / 1e6).toFixed(1)} ms, `
            : '') +
          `event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
      );
      if (result.non2xx > 0 || result.errors > 0 || warm.non2xx > 0 || warm.errors > 0) {
        invalid = true;
        console.log(
          `!!!!! WARNING: ${label} at ${connections} connections had ${result.non2xx + warm.non2xx} non-2xx responses ` +
            `(4xx ${result['4xx'] + warm['4xx']}, 5xx ${result['5xx'] + warm['5xx']}) and ${result.errors + warm.errors} errors: THIS FIGURE IS NOT VALID !!!!!`,
        );
      }
      results.push({ workload, connections, result });
    }
  }

  // --- Verify: one committed access event per answered read ----------------------------
  await retry(
    'server to finish in-flight reads',
    async () => {
      if (counter.inFlight > 0) throw new Error(`${counter.inFlight} still in flight`);
    },
    10_000,
  );
  await app.get(AccessRecorder).idle();
  const events = (await accessRows()) - accessBefore;
  const answered = counter.answered - answeredBefore;
  await db.end();
  const abandoned = answered - client2xxReads;
  const maxAbandoned = 2 * CONNECTIONS.reduce((a, b) => a + b, 0); // warm-up + measured run per level
  const exact = events === answered && counter.refused === 0;
  const consistent = exact && abandoned >= 0 && abandoned <= maxAbandoned;
  console.log(`\nSurvivorDataAccessed events stored during the runs: ${rate(events)}`);
  console.log(`audited reads answered 2xx by the server:           ${rate(answered)} (refused: ${counter.refused})`);
  console.log(
    `audited reads received 2xx by autocannon:           ${rate(client2xxReads)} (non-2xx/errors: ${clientNon2xxReads}; ` +
      `${abandoned} answered after autocannon stopped waiting, at most ${maxAbandoned} possible)`,
  );
  console.log(
    consistent
      ? 'access events: OK - every 2xx audited read has its committed SurvivorDataAccessed event'
      : '!!!!! WARNING: access events do not match the audited reads answered !!!!!',
  );
  if (!consistent) invalid = true;

  // --- Summary --------------------------------------------------------------------------
  const table = [
    ['Workload', 'Connections', 'Req/s (avg)', 'p50 ms', 'p99 ms', 'Non-2xx', 'Errors'],
    ...results.map(({ workload, connections, result }) => [
      workload === 'read' ? 'Audited intake read' : 'GET /health',
      String(connections),
      rate(result.requests.average),
      ms(result.latency.p50),
      ms(result.latency.p99),
      String(result.non2xx),
      String(result.errors),
    ]),
  ];
  console.log('\nSummary');
  printTable(table);

  const at = results.find((r) => r.workload === 'read' && r.connections === TARGET.connections)?.result;
  if (!at) return;
  const pass =
    at.requests.average >= TARGET.readsPerSecond && at.latency.p99 < TARGET.p99Ms && at.non2xx === 0 && at.errors === 0;
  console.log(
    `\ntarget: >= ${rate(TARGET.readsPerSecond)} audited reads/s with p99 < ${TARGET.p99Ms} ms at ${TARGET.connections} connections: ` +
      `${pass ? 'PASS' : 'BELOW'} (${rate(at.requests.average)} reads/s, p99 ${ms(at.latency.p99)} ms)`,
  );
  if (invalid)
    console.log(
      '!!!!! WARNING: some figures above are NOT VALID (non-2xx responses, errors or missing access events) !!!!!',
    );
});
