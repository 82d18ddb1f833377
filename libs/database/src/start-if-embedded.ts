import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.js';
import type { HarbourConfig } from '@harbour/kernel';

/**
 * With no DATABASE_URL, start the embedded PostgreSQL under the data folder and point the
 * config at it. Shared by the API and the CLI so both find the same server the same way.
 * `log` lets the CLI keep stdout for its JSON output.
 */
export async function startDatabaseIfEmbedded(config: HarbourConfig, log: (line: string) => void): Promise<RunningPostgres | null> {
  if (config.DATABASE_URL) return null;
  const embedded = await startEmbeddedPostgres({ dataDir: config.pgDir, port: config.HARBOUR_PG_PORT });
  config.DATABASE_URL = embedded.url;
  log(JSON.stringify({ level: 30, msg: 'embedded PostgreSQL started', dataDir: config.pgDir, port: config.HARBOUR_PG_PORT }));
  return embedded;
}
