/**
 * What the referral webhook outbox costs the event store: `npm run bench:referrals` (BENCH_SECONDS=5).
 *
 * The outbox is filled by an AFTER INSERT trigger on harbour_events (migration
 * Referrals1732700000000), inside the append's own transaction. On a private, durable embedded
 * PostgreSQL this measures single-event appends with 8 writers, alternating the trigger off and
 * on (so background noise hits both alike):
 *   - to ordinary streams (the trigger's WHEN test is all they pay),
 *   - to `referral-…` streams whose two agencies both have a webhook (one outbox row per agency).
 * It then checks that every referral event got exactly its two outbox rows.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import {
  type AppendContext,
  eventStoreMigrations,
  type ExpectedVersion,
  type NewEvent,
  PostgresEventStore,
} from '@harbour/event-store';
import { systemClock } from '@harbour/kernel';
import { referralMigrations } from '@harbour/referrals';
import { runBench } from './bench-postgres.js';
import { measure } from './measure.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const measureRate = (workers: number, op: (worker: number) => Promise<void>) =>
  measure(workers, op, { seconds: SECONDS, warmupMs: 1_000 });
const WRITERS = 8;
const STREAMS_PER_WRITER = 50;
const context: AppendContext = { actor: { userId: 'user-bench', agencyId: 'agency-bench', role: 'caseworker' } };
const FROM = randomUUID();
const TO = randomUUID();

const plain = (): NewEvent => ({
  type: 'CaseNoteAdded',
  data: { caseId: randomUUID(), note: 'Client met at the shelter; follow-up booked. '.repeat(5) },
});
const requested = (referralId: string): NewEvent => ({
  type: 'ReferralRequested',
  data: {
    referralId,
    survivorId: randomUUID(),
    fromAgencyId: FROM,
    toAgencyId: TO,
    toSector: 'shelter',
    requestedBy: 'user-bench',
    needs: ['shelter'],
    urgency: 'high',
    note: '',
    consentId: randomUUID(),
    consentVersion: 1,
    notice: { needs: ['shelter'], urgency: 'high', language: 'en', region: null, ageBand: '25-34' },
    respondBy: new Date().toISOString(),
  },
});
const acknowledged = (referralId: string): NewEvent => ({
  type: 'ReferralAcknowledged',
  data: { referralId, by: 'user-bench' },
});

/** Each writer owns its streams and passes the exact version it last saw. */
function appender(store: PostgresEventStore, phase: string, referral: boolean) {
  const versions = Array.from({ length: WRITERS }, () => ({
    turn: 0,
    at: new Array<number>(STREAMS_PER_WRITER).fill(-1),
    ids: Array.from({ length: STREAMS_PER_WRITER }, () => randomUUID()),
  }));
  return async (worker: number) => {
    const s = versions[worker];
    const i = s.turn++ % STREAMS_PER_WRITER;
    const v = s.at[i];
    const expected: ExpectedVersion = v < 0 ? 'no-stream' : v;
    const id = s.ids[i];
    const event = referral ? (v < 0 ? requested(id) : acknowledged(id)) : plain();
    const result = await store.append(
      referral ? `referral-${id}` : `bench-${phase}-${worker}-${i}`,
      expected,
      [event],
      context,
    );
    if ('duplicate' in result) throw new Error('unexpected duplicate');
    s.at[i] = result.nextExpectedVersion;
  };
}

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

runBench('harbour-bench-', 57_000, async ({ server, onClose }) => {
  let dataSource: DataSource | undefined;
  onClose(async () => dataSource?.destroy());

  dataSource = new DataSource({
    type: 'postgres',
    url: server.url,
    migrations: [...eventStoreMigrations, ...referralMigrations],
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: 20 },
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const store = new PostgresEventStore(pool, systemClock);
  for (const agency of [FROM, TO]) {
    await pool.query(
      "INSERT INTO referral_webhooks (agency_id, url, secret, registered_by, registered_at) VALUES ($1, 'https://example.org/hook', '{}', 'bench', now())",
      [agency],
    );
  }
  const trigger = (on: boolean) =>
    pool.query(`ALTER TABLE harbour_events ${on ? 'ENABLE' : 'DISABLE'} TRIGGER referral_webhook_outbox`);
  const { rows } = await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  console.log(
    `Harbour referral-outbox bench: PostgreSQL ${rows[0].v} (embedded, durable), Node ${process.version}, ${cpus().length} CPUs, ${WRITERS} writers, ${SECONDS} s per phase\n`,
  );

  const results: Record<string, number[]> = {
    'plain, trigger off': [],
    'plain, trigger on': [],
    'referral, trigger off': [],
    'referral, trigger on (2 outbox rows/event)': [],
  };
  for (let round = 1; round <= 2; round++) {
    for (const [name, referral, on] of [
      ['plain, trigger off', false, false],
      ['plain, trigger on', false, true],
      ['referral, trigger off', true, false],
      ['referral, trigger on (2 outbox rows/event)', true, true],
    ] as const) {
      await trigger(on);
      const r = await measureRate(WRITERS, appender(store, `${round}-${name.length}`, referral));
      results[name].push(r);
      console.log(`round ${round}  ${name.padEnd(44)} ${rate(r)} appends/s`);
    }
  }
  await trigger(true);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, mean(v)]));
  console.log('\n| Workload (1 event per append, 8 writers) | Appends/s (mean of 2) | vs. trigger off |');
  console.log('|---|---|---|');
  console.log(`| ordinary stream, trigger off | ${rate(m['plain, trigger off'])} | – |`);
  console.log(
    `| ordinary stream, trigger on | ${rate(m['plain, trigger on'])} | ${(m['plain, trigger on'] / m['plain, trigger off']).toFixed(2)} |`,
  );
  console.log(`| referral stream, trigger off | ${rate(m['referral, trigger off'])} | – |`);
  console.log(
    `| referral stream, trigger on (2 outbox rows) | ${rate(m['referral, trigger on (2 outbox rows/event)'])} | ${(m['referral, trigger on (2 outbox rows/event)'] / m['referral, trigger off']).toFixed(2)} |`,
  );

  // Exactly two outbox rows per referral event appended while the trigger was on.
  const { rows: check } = await pool.query<{ events: number; rows: number; wrong: number }>(`
    SELECT (SELECT count(*)::int FROM referral_webhook_outbox) AS rows,
           (SELECT count(DISTINCT event_id)::int FROM referral_webhook_outbox) AS events,
           (SELECT count(*)::int FROM (SELECT event_id FROM referral_webhook_outbox GROUP BY event_id HAVING count(*) <> 2) x) AS wrong`);
  const c = check[0];
  console.log(
    `\noutbox: ${rate(c.rows)} rows for ${rate(c.events)} referral events; events without exactly 2 rows: ${c.wrong}`,
  );
  if (c.wrong !== 0 || c.rows !== c.events * 2) process.exitCode = 1;
});
