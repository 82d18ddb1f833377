/**
 * Event-store append throughput against its ceiling, with Emmett beside it:
 * `npm run bench:store` (BENCH_SECONDS=6 per system and setting, BENCH_ROUNDS=3).
 *
 * One run, one private durable embedded PostgreSQL (fsync on, synchronous_commit on, like the
 * product), and at each setting — 1, 8 and 16 concurrent writers of single events, then 8
 * writers of 100-event batches — three systems taking turns, in 3 rounds, so background noise
 * (the machine is shared) hits them alike:
 *
 * - raw: the ceiling, a minimal row (bigserial + jsonb of the same event) per autocommit
 *   INSERT, or 100 such rows in one INSERT for the batch setting;
 * - Harbour: `PostgresEventStore.append` as aggregates use it (each writer owns 50 streams and
 *   passes the exact version it last saw, so every append pays the optimistic-concurrency
 *   check, the stream lock, the hash chain and the never-skipping positions);
 * - Emmett: `@event-driven-io/emmett-postgresql`'s `appendToStream` with the same events and
 *   expected versions.
 *
 * Prints events/s, each one's ratio to raw, and WAL bytes per event (pg_current_wal_lsn
 * difference over the phase, divided by the events it wrote).
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
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

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const WARMUP_MS = 500;
/** Each setting's three systems take turns this many times (SECONDS split between the rounds). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = [1, 8, 16];
const BATCH_WRITERS = 8;
const BATCH_SIZE = 100;
const STREAMS_PER_WRITER = 50;
const READ_BATCH = 1_000;
const SINGLE_TARGET = 0.6;
const BATCH_TARGET = 0.5;

const context: AppendContext = { actor: { userId: 'user-bench', agencyId: 'agency-bench', role: 'caseworker' } };

/** A realistic small domain event (~300 bytes of payload). */
const newEvent = (): NewEvent<Record<string, unknown>> => ({
  type: 'CaseNoteAdded',
  data: {
    caseId: randomUUID(),
    authorId: 'user-bench',
    visibility: 'agency',
    note: 'Client met at the shelter; follow-up booked. '.repeat(5),
  },
});

const newMetadata = () => ({
  correlationId: randomUUID(),
  causationId: null,
  actor: context.actor,
  requestId: null,
  recordedAt: new Date().toISOString(),
});

/** The raw row's payload: what the store keeps per event (envelope + data + metadata) as one jsonb. */
const rawPayload = (): string => {
  const event = newEvent();
  return JSON.stringify({
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: newMetadata(),
  });
};

type Op = (worker: number) => Promise<number>;

/** Each writer owns its streams and passes the version it last saw ('no-stream' first). */
function harbourAppender(store: PostgresEventStore, phase: string, writers: number, size: number): Op {
  const state = Array.from({ length: writers }, () => ({
    turn: 0,
    versions: new Array<number>(STREAMS_PER_WRITER).fill(-1),
  }));
  return async (worker) => {
    const s = state[worker];
    const i = s.turn++ % STREAMS_PER_WRITER;
    const expected: ExpectedVersion = s.versions[i] < 0 ? 'no-stream' : s.versions[i];
    const result = await store.append(
      `bench-${phase}-${worker}-${i}`,
      expected,
      Array.from({ length: size }, newEvent),
      context,
    );
    if ('duplicate' in result) throw new Error('unexpected duplicate');
    s.versions[i] = result.nextExpectedVersion;
    return size;
  };
}

type Emmett = ReturnType<typeof getPostgreSQLEventStore>;

/** The same workload on Emmett: its stream positions start at 1, `STREAM_DOES_NOT_EXIST` first. */
function emmettAppender(emmett: Emmett, phase: string, writers: number, size: number): Op {
  const state = Array.from({ length: writers }, () => ({
    turn: 0,
    versions: new Array<bigint>(STREAMS_PER_WRITER).fill(0n),
  }));
  return async (worker) => {
    const s = state[worker];
    const i = s.turn++ % STREAMS_PER_WRITER;
    const events = Array.from({ length: size }, () => {
      const e = newEvent();
      return { type: e.type, data: e.data, metadata: newMetadata() };
    });
    const result = await emmett.appendToStream(`bench-${phase}-${worker}-${i}`, events, {
      expectedStreamVersion: s.versions[i] === 0n ? STREAM_DOES_NOT_EXIST : s.versions[i],
    });
    s.versions[i] = result.nextExpectedStreamVersion;
    return size;
  };
}

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

interface Figure {
  eventsPerSecond: number;
  walPerEvent: number;
}

runBench('harbour-bench-', 56_000, async ({ server, onClose }) => {
  const dataSource = new DataSource({
    type: 'postgres',
    url: server.url,
    migrations: eventStoreMigrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: 40, application_name: 'harbour-bench' },
  });
  await dataSource.initialize();
  onClose(() => dataSource.destroy());
  await dataSource.runMigrations();
  const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  const store = new PostgresEventStore(pool, systemClock);
  await pool.query('CREATE TABLE bench_minimal (id bigserial PRIMARY KEY, payload jsonb NOT NULL)');

  const emmettPool = new pg.Pool({ connectionString: server.url, max: 40, application_name: 'emmett-bench' });
  const emmett = getPostgreSQLEventStore(server.url, { connectionOptions: { pool: emmettPool } });
  onClose(async () => {
    await emmett.close();
    await emmettPool.end();
  });
  await emmett.schema.migrate();

  const { rows } = await pool.query<{ v: string; sc: string; fsync: string }>(
    `SELECT current_setting('server_version') AS v, current_setting('synchronous_commit') AS sc, current_setting('fsync') AS fsync`,
  );
  console.log(
    `Harbour event-store bench: PostgreSQL ${rows[0].v} (embedded, fsync=${rows[0].fsync}, synchronous_commit=${rows[0].sc}), Node ${process.version}, ${cpus().length} CPUs`,
  );
  console.log(
    `${SECONDS} s measured per system and setting, in ${ROUNDS} interleaved rounds (each after ${WARMUP_MS} ms of warm-up); one event ~${rawPayload().length} bytes of JSON\n`,
  );

  const walLsn = async () =>
    (await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
  /**
   * One setting: the three systems take turns, ROUNDS times, so a burst of load from elsewhere
   * on the machine hits all three alike. Events/s is the mean over the rounds' windows; WAL
   * bytes per event is over everything each system wrote (warm-ups included).
   */
  const setting = async (label: string, writers: number, ops: { raw: Op; harbour: Op; emmett: Op }) => {
    const totals = {
      raw: { rate: 0, wal: 0, written: 0 },
      harbour: { rate: 0, wal: 0, written: 0 },
      emmett: { rate: 0, wal: 0, written: 0 },
    };
    for (let round = 1; round <= ROUNDS; round++) {
      const line: string[] = [];
      for (const system of ['raw', 'harbour', 'emmett'] as const) {
        let written = 0;
        const before = await walLsn();
        const eventsPerSecond = await measure(
          writers,
          async (w) => {
            const n = await ops[system](w);
            written += n;
            return n;
          },
          { seconds: SECONDS / ROUNDS, warmupMs: WARMUP_MS },
        );
        const { rows: d } = await pool.query<{ bytes: string }>(
          'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS bytes',
          [before],
        );
        totals[system].rate += eventsPerSecond / ROUNDS;
        totals[system].wal += Number(d[0].bytes);
        totals[system].written += written;
        line.push(`${system} ${rate(eventsPerSecond)}`);
      }
      console.log(`${label}, round ${round}: ${line.join(', ')} events/s`);
    }
    const figure = (t: { rate: number; wal: number; written: number }): Figure => ({
      eventsPerSecond: t.rate,
      walPerEvent: t.wal / t.written,
    });
    return { raw: figure(totals.raw), harbour: figure(totals.harbour), emmett: figure(totals.emmett) };
  };

  const results: Array<{ workload: string; target: number | null; raw: Figure; harbour: Figure; emmett: Figure }> = [];
  for (const writers of CONCURRENCY) {
    const figures = await setting(`1 event, ${writers} writers`, writers, {
      raw: async () => {
        await pool.query('INSERT INTO bench_minimal (payload) VALUES ($1::jsonb)', [rawPayload()]);
        return 1;
      },
      harbour: harbourAppender(store, `s${writers}`, writers, 1),
      emmett: emmettAppender(emmett, `s${writers}`, writers, 1),
    });
    results.push({
      workload: `1 event per append, ${writers} writer${writers > 1 ? 's' : ''}`,
      target: writers === 1 ? null : SINGLE_TARGET,
      ...figures,
    });
  }
  const batch = await setting(`${BATCH_SIZE} events, ${BATCH_WRITERS} writers`, BATCH_WRITERS, {
    raw: async () => {
      const payloads = Array.from({ length: BATCH_SIZE }, rawPayload);
      await pool.query('INSERT INTO bench_minimal (payload) SELECT unnest($1::jsonb[])', [payloads]);
      return BATCH_SIZE;
    },
    harbour: harbourAppender(store, 'batch', BATCH_WRITERS, BATCH_SIZE),
    emmett: emmettAppender(emmett, 'batch', BATCH_WRITERS, BATCH_SIZE),
  });
  results.push({
    workload: `${BATCH_SIZE} events per append, ${BATCH_WRITERS} writers`,
    target: BATCH_TARGET,
    ...batch,
  });
  console.log('');

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
  console.log(
    `Harbour readAll full scan saw ${rate(seen)} of ${rate(total[0].n)} events${complete ? '' : ' - EVENTS SKIPPED'}\n`,
  );

  const ratio = (a: Figure, raw: Figure) => (a.eventsPerSecond / raw.eventsPerSecond).toFixed(2);
  const table = [
    [
      'Workload',
      'Raw INSERT',
      'Harbour',
      'Harbour/raw',
      'Target',
      'Emmett',
      'Emmett/raw',
      'WAL B/event raw / Harbour / Emmett',
    ],
    ...results.map((r) => [
      r.workload,
      `${rate(r.raw.eventsPerSecond)} ev/s`,
      `${rate(r.harbour.eventsPerSecond)} ev/s`,
      ratio(r.harbour, r.raw),
      r.target === null
        ? '-'
        : `>= ${r.target} ${r.harbour.eventsPerSecond / r.raw.eventsPerSecond >= r.target ? 'PASS' : 'BELOW'}`,
      `${rate(r.emmett.eventsPerSecond)} ev/s`,
      ratio(r.emmett, r.raw),
      `${rate(r.raw.walPerEvent)} / ${rate(r.harbour.walPerEvent)} / ${rate(r.emmett.walPerEvent)}`,
    ]),
  ];
  console.log('Summary');
  printTable(table);
  if (!complete) process.exitCode = 1;
});
