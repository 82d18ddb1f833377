import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '@harbour/database';

/** A fresh temporary folder for one benchmark run (the caller removes it). */
export async function benchFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755); // as root the server runs as the OS user postgres
  return dir;
}

/**
 * A durable (fsync'd, like the product) embedded PostgreSQL in `<dir>/pg`, on a random port
 * from `firstPort` up: a port can be taken (other benches, the test server), so try a few.
 */
export async function startBenchPostgres(dir: string, firstPort: number): Promise<RunningPostgres> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: firstPort + Math.floor(Math.random() * 1_000), durable: true });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
