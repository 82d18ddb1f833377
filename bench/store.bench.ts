/**
 * Event-store throughput against its own ceiling: `npm run bench:store` (BENCH_SECONDS=5).
 *
 * Starts a private, durable embedded PostgreSQL (real fsync'd commits, like the product),
 * measures the PostgreSQL event store, then, on the same server at the same concurrency, the
 * ceiling: one autocommit INSERT per transaction of an equivalent row — same columns, same
 * indexes as harbour_events, values computed by the client. The ratio store/ceiling is what
 * the store's guarantees cost (expected-version check, stream lock, hash chain, positions
 * that never skip). A minimal row (bigserial + jsonb, as in pgbench-style figures) is also
 * measured for reference.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import {
  eventStoreMigrations,
  PostgresEventStore,
  type AppendContext,
  type ExpectedVersion,
  type NewEvent,
} from '@harbour/event-store';
import { systemClock } from '@harbour/kernel';
import { runBench } from './bench-postgres.js';
import { printTable } from './table.js';
import { measure } from './measure.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_MS = 1_000;
const measureRate = (workers: number, op: (worker: number) => Promise<number>) =>
  measure(workers, op, { seconds: SECONDS, warmupMs: WARMUP_MS });
const CONCURRENCY = [1, 8, 16];
const BATCH_WRITERS = 8;
const BATCH_SIZE = 100;
const STREAMS_PER_WRITER = 50;
const READ_BATCH = 1_000;
const TARGET_RATIO = 0.6;

const context: AppendContext = { actor: { userId: 'user-bench', agencyId: 'agency-bench', role: 'caseworker' } };

/** A realistic small domain event (~300 bytes of payload). */
const newEvent = (): NewEvent => ({
  type: 'CaseNoteAdded',
  data: {
    caseId: randomUUID(),
    authorId: 'user-bench',
    visibility: 'agency',
    note: 'Client met at the shelter; follow-up booked. '.repeat(5),
  },
});

/** The ceiling's row: what the store keeps per event (envelope + data + metadata) as one jsonb. */
const ceilingPayload = (): string => {
  const event = newEvent();
  return JSON.stringify({
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actor: context.actor,
      requestId: null,
      recordedAt: new Date().toISOString(),
    },
  });
};

/**
 * Appends like aggregates do: each writer owns its streams and passes the exact version it
 * last saw ('no-stream' first), so every append pays the real optimistic-concurrency check.
 */
function appender(store: PostgresEventStore, phase: string, writers: number, eventsPerAppend: number) {
  const state = Array.from({ length: writers }, () => ({
    turn: 0,
    versions: new Array<number>(STREAMS_PER_WRITER).fill(-1),
  }));
  return async (worker: number): Promise<number> => {
    const s = state[worker];
    const i = s.turn++ % STREAMS_PER_WRITER;
    const expected: ExpectedVersion = s.versions[i] < 0 ? 'no-stream' : s.versions[i];
    const events = Array.from({ length: eventsPerAppend }, newEvent);
    const result = await store.append(`bench-${phase}-${worker}-${i}`, expected, events, context);
    if ('duplicate' in result) throw new Error('unexpected duplicate');
    s.versions[i] = result.nextExpectedVersion;
    return 1;
  };
}

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

runBench('harbour-bench-', 56_000, async ({ server, onClose }) => {
  let dataSource: DataSource | undefined;
  onClose(async () => dataSource?.destroy());

  dataSource = new DataSource({
    type: 'postgres',
    url: server.url,
    migrations: eventStoreMigrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: 40, application_name: 'harbour-bench' },
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const store = new PostgresEventStore(pool, systemClock);
  // LIKE copies columns, NOT NULLs and indexes (primary key, unique stream/version) but not triggers.
  await pool.query(
    'CREATE TABLE bench_ceiling (LIKE harbour_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)',
  );
  await pool.query('CREATE SEQUENCE bench_ceiling_position');
  await pool.query('CREATE TABLE bench_minimal (id bigserial PRIMARY KEY, payload jsonb NOT NULL)');
  const hash = () => randomBytes(32);
  const equivalentRow = () => {
    const event = newEvent();
    const metadata = {
      correlationId: randomUUID(),
      causationId: null,
      actor: context.actor,
      requestId: null,
      recordedAt: new Date().toISOString(),
    };
    return [
      `ceiling-${randomUUID()}`,
      randomUUID(),
      event.type,
      JSON.stringify(event.data),
      JSON.stringify(metadata),
      metadata.recordedAt,
      hash(),
      hash(),
      hash(),
    ];
  };

  const { rows } = await pool.query<{ v: string; sc: string }>(
    `SELECT current_setting('server_version') AS v, current_setting('synchronous_commit') AS sc`,
  );
  console.log(
    `Harbour event-store bench: PostgreSQL ${rows[0].v} (embedded, synchronous_commit=${rows[0].sc}), Node ${process.version}, ${cpus().length} CPUs`,
  );
  console.log(
    `${SECONDS} s per phase after ${WARMUP_MS / 1_000} s warm-up; event row ~${ceilingPayload().length} bytes of JSON\n`,
  );

  // Store and ceiling alternate per concurrency level so background noise hits both alike.
  const single: Array<{ writers: number; store: number; ceiling: number; minimal: number }> = [];
  for (const writers of CONCURRENCY) {
    const storeRate = await measureRate(writers, appender(store, `single${writers}`, writers, 1));
    console.log(`store   append 1 event,  ${String(writers).padStart(2)} writers: ${rate(storeRate)} appends/s`);
    const ceilingRate = await measureRate(writers, async () => {
      await pool.query(
        `INSERT INTO bench_ceiling (global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata,
                                    recorded_at, content_hash, prev_hash, hash)
         VALUES (nextval('bench_ceiling_position'), $1, 0, $2, $3, 1, $4, $5, $6, $7, $8, $9)`,
        equivalentRow(),
      );
      return 1;
    });
    console.log(
      `ceiling INSERT 1 equivalent row, ${String(writers).padStart(2)} clients: ${rate(ceilingRate)} inserts/s`,
    );
    const minimalRate = await measureRate(writers, async () => {
      await pool.query('INSERT INTO bench_minimal (payload) VALUES ($1::jsonb)', [ceilingPayload()]);
      return 1;
    });
    console.log(
      `reference INSERT 1 minimal row (bigserial + jsonb), ${String(writers).padStart(2)} clients: ${rate(minimalRate)} inserts/s`,
    );
    const ratio = storeRate / ceilingRate;
    const verdict = writers === 1 ? '(no target)' : ratio >= TARGET_RATIO ? 'PASS' : 'BELOW';
    console.log(`ratio store/ceiling,     ${String(writers).padStart(2)} writers: ${ratio.toFixed(2)} ${verdict}`);
    console.log(
      `ratio store/minimal row, ${String(writers).padStart(2)} writers: ${(storeRate / minimalRate).toFixed(2)} (reference)\n`,
    );
    single.push({ writers, store: storeRate, ceiling: ceilingRate, minimal: minimalRate });
  }

  const batchRate = await measureRate(BATCH_WRITERS, appender(store, 'batch', BATCH_WRITERS, BATCH_SIZE));
  console.log(
    `store   append ${BATCH_SIZE} events, ${BATCH_WRITERS} writers: ${rate(batchRate)} appends/s = ${rate(batchRate * BATCH_SIZE)} events/s\n`,
  );

  // A reader that skips events would look fast: check that one full scan sees every event.
  const { rows: total } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM harbour_events');
  let seen = 0;
  for (let at = 0n; ;) {
    const batch = await store.readAll(at, { limit: READ_BATCH });
    seen += batch.events.length;
    at = batch.checkpoint;
    if (batch.events.length < READ_BATCH) break;
  }
  const complete = seen === total[0].n;
  const coverage = `full scan saw ${rate(seen)} of ${rate(total[0].n)} events${complete ? '' : ' - EVENTS SKIPPED'}`;

  // One reader scanning the whole log from the start, wrapping round when caught up.
  let position = 0n;
  const readRate = await measureRate(1, async () => {
    const batch = await store.readAll(position, { limit: READ_BATCH });
    position = batch.events.length < READ_BATCH ? 0n : batch.checkpoint;
    return batch.events.length;
  });
  console.log(`store   readAll (batches of ${READ_BATCH}), 1 reader: ${rate(readRate)} events/s; ${coverage}\n`);

  const table = [
    [
      'Workload',
      'Store',
      'Ceiling (equivalent row)',
      'Store/ceiling',
      `Target >= ${TARGET_RATIO}`,
      'Minimal row (ref.)',
      'Store/minimal',
    ],
    ...single.map((r) => [
      `Append 1 event, ${r.writers} writer${r.writers > 1 ? 's' : ''}`,
      `${rate(r.store)} appends/s`,
      `${rate(r.ceiling)} inserts/s`,
      (r.store / r.ceiling).toFixed(2),
      r.writers === 1 ? '-' : r.store / r.ceiling >= TARGET_RATIO ? 'PASS' : 'BELOW',
      `${rate(r.minimal)} inserts/s`,
      (r.store / r.minimal).toFixed(2),
    ]),
    [
      `Append ${BATCH_SIZE} events, ${BATCH_WRITERS} writers`,
      `${rate(batchRate)} appends/s (${rate(batchRate * BATCH_SIZE)} events/s)`,
      '-',
      '-',
      '-',
      '-',
      '-',
    ],
    [
      `readAll, batches of ${READ_BATCH}`,
      `${rate(readRate)} events/s${complete ? '' : ` (${coverage})`}`,
      '-',
      '-',
      '-',
      '-',
      '-',
    ],
  ];
  console.log('Summary');
  printTable(table);
});
