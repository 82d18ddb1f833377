import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

// The built API, exactly as `npm start` runs it; build first (npm test does).
const MAIN = fileURLToPath(new URL('../../dist/apps/api/src/main.js', import.meta.url));

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The parent's environment without anything that would configure Harbour. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(DATABASE_URL|HARBOUR_|PORT$|HOST$|LOG_LEVEL$)/.test(key)) delete env[key];
  }
  return env;
}

const started: Running[] = [];

function startApi(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [MAIN], { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = { child, stdout: () => stdout, stderr: () => stderr, exited };
  started.push(running);
  return running;
}

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms).unref()),
  ]);

/**
 * How long a refused configuration may take to exit: loading the built app is most of it (about
 * 3 s alone); with the fuzz suite in the other jest worker on the 2-core machine it took over 10 s.
 */
const CONFIG_EXIT_MS = 30_000;

/** A port nothing listens on now, at random in [min, max] (or any, from the OS). */
async function freePort(min = 0, max = 0): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const wanted = min ? min + Math.floor(Math.random() * (max - min + 1)) : 0;
    const port = await new Promise<number | null>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(wanted, '127.0.0.1', () => {
        const { port: bound } = server.address() as AddressInfo;
        server.close(() => resolve(bound));
      });
    });
    if (port) return port;
  }
  throw new Error('no free port found');
}

/** Poll /health until it answers (or the process dies). */
async function waitForHealth(api: Running, port: number, timeoutMs = 30_000): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void api.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`API exited before answering: ${api.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      return { status: res.status, body: await res.json() };
    } catch {
      if (Date.now() > deadline) throw new Error(`API did not answer on ${port}: ${api.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** `pid args` of every postgres process whose command line mentions `dir`. */
async function postgresProcessesUsing(dir: string): Promise<Array<{ pid: number; args: string }>> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'pid=,args=']);
  return stdout
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), args: m[2] }))
    .filter((p) => p.args.includes('postgres') && p.args.includes(dir));
}

describe('the built API at boot and shutdown', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harbour-boot-'));
    await chmod(dir, 0o755); // the embedded server runs as the OS user postgres when we are root
    dirs.push(dir);
    return dir;
  };

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm test does)`);
  });

  afterAll(async () => {
    // Only if a test failed half-way: stop what this file started, by pid.
    for (const api of started) {
      if (api.child.exitCode === null && api.child.signalCode === null) {
        api.child.kill('SIGTERM');
        await within(api.exited, 10_000, 'API stop').catch(() => api.child.kill('SIGKILL'));
      }
    }
    for (const dir of dirs) {
      for (const { pid } of await postgresProcessesUsing(dir)) {
        try {
          process.kill(pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['PORT', { PORT: 'abc' }, 'abc'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root:hunter2@db/x' }, 'hunter2'],
    ['LOG_LEVEL', { LOG_LEVEL: 'chatty' }, 'chatty'],
    ['HARBOUR_DEV_KEYS', { HARBOUR_DEV_KEYS: 'maybe' }, 'maybe'],
    [
      'HARBOUR_OIDC_JWKS_URL',
      { HARBOUR_OIDC_JWKS_URL: 'http://idp.example.org/certs', HARBOUR_OIDC_ISSUER: 'https://idp.example.org' },
      'idp.example.org/certs',
    ],
  ])('refuses a bad %s: exit 1, names it (not its value), starts nothing', async (name, bad, value) => {
    const dir = await tempDir();
    const api = startApi({
      HARBOUR_DATA_DIR: dir,
      HARBOUR_PG_PORT: String(await freePort(56000, 59999)),
      HARBOUR_DEV_KEYS: 'true',
      ...bad,
    });
    const { code } = await within(api.exited, CONFIG_EXIT_MS, 'exit on bad config');
    expect(code).toBe(1);
    expect(api.stderr()).toMatch(new RegExp(`Invalid configuration: .*\\b${name}\\b`));
    expect(api.stderr()).not.toContain(value);
    expect(api.stdout()).toBe('');
    expect(await readdir(dir)).toEqual([]); // no embedded database was created
  });

  it('refuses to start against a real database with no token source, naming the variables, and starts nothing', async () => {
    const dir = await tempDir();
    const api = startApi({ HARBOUR_DATA_DIR: dir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/harbour' });
    const { code } = await within(api.exited, CONFIG_EXIT_MS, 'exit without a token source');
    expect(code).toBe(1);
    expect(api.stderr()).toMatch(
      /Invalid configuration: .*HARBOUR_OIDC_JWKS_URL.*HARBOUR_OIDC_ISSUER.*HARBOUR_DEV_KEYS/,
    );
    expect(api.stdout()).toBe('');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses development keys on a non-loopback HOST', async () => {
    const dir = await tempDir();
    const api = startApi({ HARBOUR_DATA_DIR: dir, HOST: '0.0.0.0' });
    const { code } = await within(api.exited, CONFIG_EXIT_MS, 'exit with dev keys on a public interface');
    expect(code).toBe(1);
    expect(api.stderr()).toMatch(/HARBOUR_DEV_KEYS only works with HOST on the loopback interface/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('with no configuration at all: starts embedded PostgreSQL with development sign-in, serves /health, stops cleanly on SIGTERM, and keeps its data', async () => {
    const dir = await tempDir();
    const pgPort = await freePort(56000, 59999);
    // A data folder that does not exist yet, as on a fresh checkout (its secrets make it 0711/0600).
    const env = { HARBOUR_DATA_DIR: join(dir, '.harbour'), HARBOUR_PG_PORT: String(pgPort), LOG_LEVEL: 'info' };

    // First start: initialises the data folder and runs the migrations.
    const apiPort = await freePort();
    const first = startApi({ ...env, PORT: String(apiPort) });
    const health = await waitForHealth(first, apiPort);
    expect(health).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await postgresProcessesUsing(dir)).not.toHaveLength(0);
    const url = `postgresql://postgres:${encodeURIComponent((await readFile(join(dir, '.harbour', 'pg.password'), 'utf8')).trim())}@localhost:${pgPort}/harbour`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query("SELECT to_regclass('harbour_events')::text AS t")).rows[0].t).toBe('harbour_events');
      // Durable: an acknowledged event is on disk (new WAL segments are just not zero-filled first).
      const settings = await client.query(
        "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_init_zero') ORDER BY name",
      );
      expect(settings.rows).toEqual([
        { name: 'fsync', setting: 'on' },
        { name: 'full_page_writes', setting: 'on' },
        { name: 'synchronous_commit', setting: 'on' },
        { name: 'wal_init_zero', setting: 'off' },
      ]);
      await client.query('CREATE TABLE boot_test_marker (note text)');
      await client.query("INSERT INTO boot_test_marker VALUES ('kept')");
    } finally {
      await client.end();
    }

    first.child.kill('SIGTERM');
    expect(await within(first.exited, 10_000, 'exit after SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await postgresProcessesUsing(dir)).toEqual([]);
    const lines = first.stdout().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(
      expect.arrayContaining(['embedded PostgreSQL started', 'shutting down']),
    );

    // Second start on the same folder: the same database, still there.
    const secondPort = await freePort();
    const second = startApi({ ...env, PORT: String(secondPort) });
    expect(await waitForHealth(second, secondPort)).toEqual({ status: 200, body: { status: 'ok' } });
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    try {
      expect((await again.query('SELECT note FROM boot_test_marker')).rows).toEqual([{ note: 'kept' }]);
      expect((await again.query("SELECT to_regclass('harbour_events')::text AS t")).rows[0].t).toBe('harbour_events');
    } finally {
      await again.end();
    }
    second.child.kill('SIGTERM');
    expect(await within(second.exited, 10_000, 'exit after SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await postgresProcessesUsing(dir)).toEqual([]);
    expect(second.stderr()).toBe('');
  });

  it('after a kill -9 of the API, the next start adopts the PostgreSQL left running, says so, and stops it on SIGTERM', async () => {
    const dir = await tempDir();
    const env = {
      HARBOUR_DATA_DIR: join(dir, '.harbour'),
      HARBOUR_PG_PORT: String(await freePort(56000, 59999)),
      LOG_LEVEL: 'info',
    };
    const firstPort = await freePort();
    const first = startApi({ ...env, PORT: String(firstPort) });
    await waitForHealth(first, firstPort);
    first.child.kill('SIGKILL');
    await within(first.exited, 10_000, 'exit after SIGKILL');
    const orphans = await postgresProcessesUsing(dir);
    expect(orphans).not.toHaveLength(0); // the postmaster outlives the API that started it

    const secondPort = await freePort();
    const second = startApi({ ...env, PORT: String(secondPort) });
    expect(await waitForHealth(second, secondPort)).toEqual({ status: 200, body: { status: 'ok' } });
    const start = second
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((l) => String(l.msg).startsWith('embedded PostgreSQL'));
    expect(start).toMatchObject({ ownership: 'adopted', msg: expect.stringContaining('stops it on shutdown') });
    second.child.kill('SIGTERM');
    expect(await within(second.exited, 10_000, 'exit after SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await postgresProcessesUsing(dir)).toEqual([]);
  });
});
