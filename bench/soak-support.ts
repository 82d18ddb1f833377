/**
 * Pieces shared by the crash suite (bench/crash.soak.ts) and the failover drill
 * (bench/failover.drill.ts): processes, the CLI, health polling and the client's
 * retry-until-acknowledged write with an Idempotency-Key.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const root = resolve(new URL('../../', import.meta.url).pathname);
export const apiMain = join(root, 'dist/apps/api/src/main.js');
export const cliMain = join(root, 'dist/apps/cli/src/main.js');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Until `base`/health answers 200 (ms since `since`), or throw after `limitMs`. */
export async function healthy(base: string, since: number, limitMs = 60_000): Promise<number> {
  for (;;) {
    const ok = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return Date.now() - since;
    if (Date.now() - since > limitMs) throw new Error(`no recovery within ${limitMs} ms`);
    await sleep(50);
  }
}

/** The built CLI (`harbour …`) with this environment; never throws. */
export async function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cliMain, ...args], {
      env,
      maxBuffer: 10 * 1024 * 1024,
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '' };
  }
}

/** A development token for a staff member, retried while the staff projection catches up. */
export async function mintToken(env: NodeJS.ProcessEnv, user: string): Promise<string> {
  let minted = await cli(env, ['token', '--user', user, '--ttl', '3600']);
  for (let i = 0; minted.code !== 0 && i < 60; i++)
    minted = await sleep(250).then(() => cli(env, ['token', '--user', user, '--ttl', '3600']));
  if (minted.code !== 0) throw new Error(`token for ${user} failed`);
  return (JSON.parse(minted.stdout) as { access_token: string }).access_token;
}

export interface WriteStats {
  retries: number;
  /** Refusals and failures by label (`503 database-unavailable`, `no answer`). */
  refused: Record<string, number>;
  /** When each 5xx answer came (ms since the epoch). */
  serverErrors: number[];
  /** Each acknowledged write: when its last attempt was sent, and when it was acknowledged. */
  acks: Array<{ sent: number; at: number }>;
}

export const newStats = (): WriteStats => ({ retries: 0, refused: {}, serverErrors: [], acks: [] });

/**
 * One write, sent with its Idempotency-Key and retried with the same key and body until it is
 * acknowledged (2xx): after no answer, a 5xx, 409 or 429. Any other 4xx is a bug and throws.
 * `bases` are tried in turn, one per attempt (several API processes).
 */
export async function sendUntilAcked(
  bases: string[],
  request: { method: string; path: string; token: string; key: string; body?: unknown },
  stats: WriteStats,
  label: string,
): Promise<Record<string, unknown>> {
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  for (let attempt = 0; ; attempt++) {
    const base = bases[attempt % bases.length];
    const sent = Date.now();
    const res = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${request.token}`,
        'idempotency-key': request.key,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    }).then(
      async (r) => ({ status: r.status, json: (await r.json().catch(() => null)) as Record<string, unknown> | null }),
      () => null,
    );
    if (res && res.status >= 200 && res.status < 300) {
      stats.acks.push({ sent, at: Date.now() });
      return res.json ?? {};
    }
    if (res && res.status >= 400 && res.status < 500 && res.status !== 409 && res.status !== 429) {
      throw new Error(`${label}: write ${request.key} refused for good: ${res.status} ${String(res.json?.code)}`);
    }
    if (res && res.status >= 500) stats.serverErrors.push(Date.now());
    const refusal = res
      ? `${res.status} ${typeof res.json?.code === 'string' ? res.json.code : ''}`.trim()
      : 'no answer';
    if (process.env.SOAK_DEBUG && res) console.error(`${label}: ${refusal} ${JSON.stringify(res.json)}`);
    stats.refused[refusal] = (stats.refused[refusal] ?? 0) + 1;
    stats.retries++;
    await sleep(50 + Math.random() * 150);
  }
}
