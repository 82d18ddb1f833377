import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.js';
import type { HarbourConfig } from '@harbour/kernel';

const SAID: Record<RunningPostgres['ownership'], string> = {
  started: 'embedded PostgreSQL started',
  adopted:
    'embedded PostgreSQL adopted: an earlier process left it running; this one owns it now and stops it on shutdown',
  shared: 'embedded PostgreSQL shared: another running process owns it; this one will not stop it',
};

/**
 * With no DATABASE_URL, start the embedded PostgreSQL under the data folder and point the
 * config at it. Shared by the API and the CLI so both find the same server the same way.
 * `log` lets the CLI keep stdout for its JSON output.
 */
export async function startDatabaseIfEmbedded(
  config: HarbourConfig,
  log: (line: string) => void,
): Promise<RunningPostgres | null> {
  if (config.DATABASE_URL) return null;
  const embedded = await startEmbeddedPostgres({ dataDir: config.pgDir, port: config.HARBOUR_PG_PORT });
  config.DATABASE_URL = embedded.url;
  log(
    JSON.stringify({
      level: 30,
      msg: SAID[embedded.ownership],
      ownership: embedded.ownership,
      pid: embedded.pid,
      dataDir: config.pgDir,
      port: config.HARBOUR_PG_PORT,
    }),
  );
  return embedded;
}
