/**
 * Access-log queries at scale: `npm run bench:audit` (BENCH_EVENTS=1000000, BENCH_QUERIES=1000).
 *
 * Starts a private, durable embedded PostgreSQL, seeds BENCH_EVENTS access events with the event
 * store's batch append (4 writers, 2,000 events per transaction, each writer its own survivors;
 * payloads are exactly what the AccessRecorder writes — 1,000 of them go through it), builds the
 * `audit-access` read model with the real ProjectionRunner (catch-up, batches of 500, checkpoint
 * in the same transaction), then times the privacy officers' two everyday questions through
 * AccessTrailQueries — the code behind GET /v1/audit/access-events:
 *   "all access to survivor X" and "all reads by staff member Y" (first page of 200, newest first),
 * plus a full cursor walk over everything staff member Y read, and the same question scoped to
 * an agency privacy officer. Prints p50/p99 (target: p99 < 50 ms).
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import {
  ACCESS_RECORDER_ACTOR,
  AccessRecorder,
  type AccessRecord,
  AccessTrailProjection,
  AccessTrailQueries,
  accessStream,
  auditMigrations,
  type OfficerScope,
  SURVIVOR_DATA_ACCESSED,
} from '@harbour/audit';
import { eventStoreMigrations, PostgresEventStore, ProjectionRunner } from '@harbour/event-store';
import { AlwaysHeldJobLock, loadConfig, PeriodicJobs, systemClock } from '@harbour/kernel';
import { ReplicaReads } from '@harbour/database';
import { runBench } from './bench-postgres.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1_000);
const SURVIVORS = Math.max(1, Math.round(EVENTS / 10)); // ~10 access events per survivor
const STAFF = 2_000; // ~500 reads per staff member
const AGENCIES = 40;
const WRITERS = 4;
const BATCH = 2_000;
const TARGET_P99_MS = 50;
const PAGE = Number(process.env.BENCH_PAGE ?? 200);

const SECTIONS = ['identity', 'contact', 'safety', 'needs', 'preferences', 'housing'];
const PURPOSES = ['referral', 'care-coordination', 'safety-planning'];
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
const DAY = 86_400_000;
const START = Date.parse('2026-08-01T00:00:00Z');

function accessOf(survivorId: string, n: number): AccessRecord {
  const staff = Math.floor(Math.random() * STAFF);
  const outcome = Math.random() < 0.05 ? 'denied' : 'permitted';
  const sections = outcome === 'denied' ? [] : [...new Set([pick(SECTIONS), pick(SECTIONS)])];
  const consent = Math.random() < 0.4;
  return {
    survivorId,
    actor: { userId: `staff-${staff}`, agencyId: `agency-${staff % AGENCIES}`, role: 'caseworker' },
    sectionsReturned: sections,
    sectionsWithheld: outcome === 'denied' ? [{ section: 'identity', reason: 'no-consent' }] : [],
    purpose: pick(PURPOSES),
    basis: sections.map((section) =>
      consent
        ? { section, kind: 'consent' as const, consentId: randomUUID(), version: 1 }
        : { section, kind: 'care-team' as const },
    ),
    outcome,
    requestId: `req-${n}`,
    route: 'GET /v1/intakes/:survivorId',
    at: new Date(START + Math.floor((n / EVENTS) * 90 * DAY)),
  };
}

function percentiles(samples: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}

async function time(
  label: string,
  run: () => Promise<number>,
): Promise<{ label: string; p50: number; p99: number; max: number; rows: number }> {
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    rows += await run();
    samples.push(performance.now() - t0);
  }
  return { label, ...percentiles(samples), rows: Math.round(rows / QUERIES) };
}

runBench('harbour-bench-audit-', 58_000, async ({ server, onClose }) => {
  let dataSource: DataSource | undefined;
  onClose(async () => dataSource?.destroy());

  dataSource = new DataSource({
    type: 'postgres',
    url: server.url,
    migrations: [...eventStoreMigrations, ...auditMigrations],
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: 10, application_name: 'harbour-bench-audit' },
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const store = new PostgresEventStore(pool, systemClock);
  const { rows: info } = await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  console.log(
    `Harbour audit bench: PostgreSQL ${info[0].v} (embedded, durable), Node ${process.version}, ${cpus().length} CPUs`,
  );
  console.log(
    `${EVENTS.toLocaleString('en-US')} access events over ${SURVIVORS.toLocaleString('en-US')} survivors, ${STAFF} staff, ${AGENCIES} agencies; ${QUERIES} timed queries each\n`,
  );

  // 1. Seed: the recorder's own payloads (its first 1,000 events go through it), then batch appends.
  const survivors = Array.from({ length: SURVIVORS }, () => randomUUID());
  const recorder = new AccessRecorder(store, systemClock, { maxGroupSize: 2_000 });
  const viaRecorder = Math.min(1_000, EVENTS);
  let t0 = performance.now();
  await Promise.all(Array.from({ length: viaRecorder }, (_, i) => recorder.record(accessOf(pick(survivors), i))));
  const [sample] = (await store.readAll(0n, { limit: 1 })).events;
  const payloadOf = (record: AccessRecord) => ({ ...record, at: record.at!.toISOString() }); // the recorder's payload shape
  if (
    JSON.stringify(Object.keys(sample.data as object).sort()) !==
    JSON.stringify(Object.keys(payloadOf(accessOf(survivors[0], 0))).sort())
  ) {
    throw new Error('seeded payloads must have exactly the recorder payload fields');
  }
  let seeded = viaRecorder;
  const writer = async (w: number) => {
    const mine = survivors.filter((_, i) => i % WRITERS === w); // no two writers lock the same stream
    for (let next = viaRecorder + w * BATCH; next < EVENTS; next += WRITERS * BATCH) {
      const byStream = new Map<string, Array<{ type: string; data: unknown }>>();
      for (let n = next; n < Math.min(next + BATCH, EVENTS); n++) {
        const record = accessOf(pick(mine), n);
        const list = byStream.get(accessStream(record.survivorId)) ?? [];
        list.push({ type: SURVIVOR_DATA_ACCESSED, data: payloadOf(record) });
        byStream.set(accessStream(record.survivorId), list);
      }
      await store.appendMany(
        [...byStream].map(([streamId, events]) => ({ streamId, expected: 'any' as const, events })),
        { actor: ACCESS_RECORDER_ACTOR },
      );
      seeded += [...byStream.values()].reduce((a, l) => a + l.length, 0);
      if (w === 0) process.stdout.write(`  seeded ${seeded.toLocaleString('en-US')}\r`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  const recordSeconds = (performance.now() - t0) / 1000;
  console.log(
    `\nSeeded ${seeded.toLocaleString('en-US')} access events in ${recordSeconds.toFixed(1)} s (${Math.round(seeded / recordSeconds).toLocaleString('en-US')}/s)`,
  );

  // 2. The read model, built by the projection runner as a rebuild would.
  const config = loadConfig({ HARBOUR_PROJECTIONS: 'false' });
  const lock = new AlwaysHeldJobLock();
  const runner = new ProjectionRunner(store, dataSource, config, lock, new PeriodicJobs(config, lock));
  new AccessTrailProjection(runner).onModuleInit();
  t0 = performance.now();
  await runner.catchUp('audit-access');
  const projectSeconds = (performance.now() - t0) / 1000;
  const [{ n: indexed }] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_access')).rows;
  console.log(
    `Projected ${indexed.toLocaleString('en-US')} rows into audit_access in ${projectSeconds.toFixed(1)} s (${Math.round(indexed / projectSeconds).toLocaleString('en-US')}/s)`,
  );
  await pool.query('ANALYZE audit_access');
  await pool.query('ANALYZE audit_care_teams');

  // 3. The questions, as the API asks them.
  const queries = new AccessTrailQueries(dataSource, new ReplicaReads(config, dataSource));
  const network: OfficerScope = { kind: 'network' };
  const results = [
    await time(
      'all access to survivor X (network officer)',
      async () => (await queries.page(network, { survivorId: pick(survivors) }, undefined, 200)).items.length,
    ),
    await time(
      'all reads by staff member Y, first 200 (network officer)',
      async () =>
        (await queries.page(network, { userId: `staff-${Math.floor(Math.random() * STAFF)}` }, undefined, 200)).items
          .length,
    ),
    await time('all reads by staff member Y, every page (cursor walk)', async () => {
      const userId = `staff-${Math.floor(Math.random() * STAFF)}`;
      let rows = 0;
      let cursor: string | undefined;
      do {
        const page = await queries.page(network, { userId }, cursor, 200);
        rows += page.items.length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return rows;
    }),
    await time("all reads by staff member Y, first 200 (their agency's officer)", async () => {
      const staff = Math.floor(Math.random() * STAFF);
      return (
        await queries.page(
          { kind: 'agency', agencyId: `agency-${staff % AGENCIES}` },
          { userId: `staff-${staff}` },
          undefined,
          200,
        )
      ).items.length;
    }),
  ];
  // The walk must return each of Y's reads exactly once.
  for (let i = 0; i < 20; i++) {
    const userId = `staff-${Math.floor(Math.random() * STAFF)}`;
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await queries.page(network, { userId }, cursor, PAGE);
      for (const item of page.items) ids.add(item.eventId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const [{ n }] = (
      await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_access WHERE user_id = $1', [userId])
    ).rows;
    if (ids.size !== n)
      throw new Error(`cursor walk for ${userId} returned ${ids.size} distinct rows, the read model holds ${n}`);
  }
  console.log('');
  console.log('| Query | Rows (avg) | p50 ms | p99 ms | max ms |');
  console.log('|---|---|---|---|---|');
  for (const r of results)
    console.log(`| ${r.label} | ${r.rows} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(1)} |`);
  const worst = Math.max(results[0].p99, results[1].p99);
  console.log(
    `\nTarget p99 < ${TARGET_P99_MS} ms for "all access to survivor X" and "all reads by staff member Y": ${worst < TARGET_P99_MS ? 'met' : 'NOT met'} (worst p99 ${worst.toFixed(2)} ms)`,
  );
});
