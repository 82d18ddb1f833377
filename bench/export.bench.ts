/**
 * The log archive at scale: `npm run bench:export` (BENCH_EVENTS=100000).
 *
 * Starts a private, durable embedded PostgreSQL, seeds events with the event store's batch
 * append (1,000 events per transaction over 10,000 streams, ~450-byte payloads of a type no
 * projection reads), then runs the built CLI exactly as an operator does — `harbour log export`
 * (after `harbour notary seal` in a process of its own) after a tenth of the events and after
 * all of them, then `harbour log import` of the full
 * archive into a second, empty database — and prints events/s and each process's peak resident
 * memory (VmHWM from /proc, sampled until it exits). BENCH_CLI_NODE_OPTIONS passes flags to the
 * CLI processes (e.g. `--max-old-space-size=96`: a cap its heap must fit under).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg, { type Pool } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '@harbour/contexts';
import { PostgresEventStore } from '@harbour/event-store';
import { systemActor, systemClock } from '@harbour/kernel';
import { runBench } from './bench-postgres.js';
import { printTable } from './table.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const STREAMS = 10_000;
const BATCH = 1_000;
const CLI = fileURLToPath(new URL('../apps/cli/src/main.js', import.meta.url));

/** Peak resident memory of a running process, in MB (0 once it is gone). */
const peakMb = (pid: number): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    return line ? Number(line[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

/** Run the built CLI; resolves with its exit code, wall time and peak RSS. */
function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; seconds: number; peakMb: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // BENCH_CLI_NODE_OPTIONS (e.g. --max-old-space-size=96): run the CLI under a heap cap, which
    // shows what it needs rather than what V8 lets garbage grow to.
    const child = spawn(
      process.execPath,
      [...(process.env.BENCH_CLI_NODE_OPTIONS ?? '').split(' ').filter(Boolean), CLI, ...args],
      {
        env: { PATH: process.env.PATH, ...env },
      },
    );
    let peak = 0;
    let stderr = '';
    const sample = setInterval(() => (peak = Math.max(peak, peakMb(child.pid!))), 20);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.resume();
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sample);
      resolve({ code, seconds: (performance.now() - started) / 1000, peakMb: peak, stderr });
    });
  });
}

runBench('harbour-bench-export-', 57_000, async ({ server, dir, onClose }) => {
  const dataSource = new DataSource({
    type: 'postgres',
    url: server.url,
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: 4, application_name: 'harbour-bench-export' },
  });
  onClose(async () => dataSource.destroy());
  await dataSource.initialize();
  await dataSource.runMigrations();
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const store = new PostgresEventStore(pool, systemClock);
  const { rows: info } = await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  console.log(
    `Harbour log archive bench: PostgreSQL ${info[0].v} (embedded, durable), Node ${process.version}, ${cpus().length} CPUs\n`,
  );

  const env = {
    DATABASE_URL: server.url,
    HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
    HARBOUR_NOTARY_KEY: generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'der' })
      .toString('base64'),
    LOG_LEVEL: 'silent',
  };
  let seeded = 0;
  const seedTo = async (total: number) => {
    const t0 = performance.now();
    const from = seeded;
    while (seeded < total) {
      const byStream = new Map<string, Array<{ type: string; data: unknown }>>();
      for (let n = seeded; n < Math.min(seeded + BATCH, total); n++) {
        const streamId = `bench-${n % STREAMS}`;
        const list = byStream.get(streamId) ?? [];
        list.push({ type: 'BenchThingRecorded', data: { n, at: new Date().toISOString(), note: 'x'.repeat(400) } });
        byStream.set(streamId, list);
      }
      await store.appendMany(
        [...byStream].map(([streamId, events]) => ({ streamId, expected: 'any' as const, events })),
        { actor: systemActor('bench') },
      );
      seeded = Math.min(seeded + BATCH, total);
    }
    const s = (performance.now() - t0) / 1000;
    console.log(`seeded ${(seeded - from).toLocaleString('en-US')} events in ${s.toFixed(1)} s`);
  };

  const rows: string[][] = [['Step', 'Events', 'Archive MB', 'Seconds', 'Events/s', 'Peak RSS MB']];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const exportRun = async (label: string) => {
    const file = join(dir, `${label}.ndjson`);
    // Seal in a process of its own: the notary holds the hashes of the range it signs (here all
    // events since the last seal), which is not the export's memory.
    const sealed = await cli(['notary', 'seal'], env);
    if (sealed.code !== 0) throw new Error(`seal failed: ${sealed.stderr}`);
    const run = await cli(['log', 'export', file, '--no-seal'], env);
    if (run.code !== 0) throw new Error(`export failed: ${run.stderr}`);
    const [{ n }] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM harbour_events')).rows;
    rows.push([
      `log export (${label})`,
      fmt(n),
      (statSync(file).size / 1e6).toFixed(1),
      run.seconds.toFixed(1),
      fmt(n / run.seconds),
      run.peakMb.toFixed(0),
    ]);
    return { file, events: n };
  };

  await seedTo(Math.round(EVENTS / 10));
  await exportRun('a tenth');
  await seedTo(EVENTS);
  const full = await exportRun('all');

  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE restored');
  await admin.end();
  const restored = new URL(server.url);
  restored.pathname = '/restored';
  const restoredUrl = restored.toString();
  const migrated = await cli(['migrate'], { ...env, DATABASE_URL: restoredUrl });
  if (migrated.code !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);
  const imported = await cli(['log', 'import', full.file], { ...env, DATABASE_URL: restoredUrl });
  if (imported.code !== 0) throw new Error(`import failed (exit ${imported.code}): ${imported.stderr}`);
  rows.push([
    'log import (all: load, verify, rebuild every projection)',
    fmt(full.events),
    (statSync(full.file).size / 1e6).toFixed(1),
    imported.seconds.toFixed(1),
    fmt(full.events / imported.seconds),
    imported.peakMb.toFixed(0),
  ]);
  console.log('');
  printTable(rows);
  console.log(
    '\nSeconds and events/s include the CLI process starting (Nest boot, migrations check); peak RSS is the whole process.',
  );
});
