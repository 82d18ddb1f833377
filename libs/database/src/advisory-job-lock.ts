import { Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import pg from 'pg';
import { newClient } from './multi-host.js';
import { AlwaysHeldJobLock, HarbourConfig, JobLock, safeErrorSummary } from '@harbour/kernel';

/** The first key of every Harbour job lock ('HJ'), so they never meet another application's advisory locks. */
export const JOB_LOCK_NAMESPACE = 0x484a;
/** How often the lock's connection is checked while it holds anything. */
const HEARTBEAT_MS = 1_000;

/**
 * Each background job on exactly one process among several: a PostgreSQL session advisory lock
 * per job name (`pg_try_advisory_lock(JOB_LOCK_NAMESPACE, hashtext(name))`), held on a
 * connection of its own (never a pooled one, which would hand the session to other queries).
 * A process that dies loses its session and so its locks: another process's next attempt
 * (every 2 s while it waits) takes the job over. The connection is checked every second while
 * anything is held; if it fails, every lock is reported lost at once and the jobs stop.
 */
export class AdvisoryJobLock extends JobLock implements OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly held = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  /** One query at a time on the lock's connection (the heartbeat and the jobs share it). */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly databaseUrl: string) {
    super();
  }

  /** Attempts in flight, by job: two at once must not take the (stacking) session lock twice. */
  private readonly attempts = new Map<string, Promise<boolean>>();

  tryAcquire(job: string): Promise<boolean> {
    let attempt = this.attempts.get(job);
    if (!attempt) {
      attempt = this.attempt(job).finally(() => this.attempts.delete(job));
      this.attempts.set(job, attempt);
    }
    return attempt;
  }

  private async attempt(job: string): Promise<boolean> {
    const client = await this.connection();
    if (this.held.has(job)) {
      // Session locks stack: never take one twice. Ask the server that the session still has it.
      await this.query(client, 'SELECT 1');
      return this.held.has(job);
    }
    const rows = await this.query<{ locked: boolean }>(
      client,
      'SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked',
      [JOB_LOCK_NAMESPACE, job],
    );
    if (rows[0]?.locked) this.held.add(job);
    this.watch();
    return this.held.has(job);
  }

  async release(job: string): Promise<void> {
    if (!this.held.delete(job) || !this.client) return;
    try {
      await this.query(this.client, 'SELECT pg_advisory_unlock($1::int, hashtext($2))', [JOB_LOCK_NAMESPACE, job]);
    } catch {
      // The session is gone, and the lock with it.
    }
  }

  /** The jobs this process holds now (for tests and status). */
  holding(): string[] {
    return [...this.held].sort();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    const client = this.client;
    this.client = null;
    this.held.clear();
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<pg.Client> {
    if (this.closed) throw new Error('job lock closed');
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = newClient(this.databaseUrl, {
        application_name: `harbour-jobs:${process.pid}`,
      });
      client.on('error', (error) => this.drop(client, error));
      client.on('end', () => this.drop(client, null));
      try {
        await client.connect();
      } catch (error) {
        client.removeAllListeners();
        client.on('error', () => undefined); // a late socket error of a client never used
        throw error;
      }
      this.client = client;
      return client;
    })().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private query<R extends pg.QueryResultRow>(client: pg.Client, sql: string, params: unknown[] = []): Promise<R[]> {
    const result = this.queue.then(() => client.query<R>(sql, params)).then((r) => r.rows);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Check the session every second while it holds something: a dead one means every lock is gone. */
  private watch(): void {
    if (this.heartbeat || !this.held.size) return;
    this.heartbeat = setInterval(() => {
      const client = this.client;
      if (!client || !this.held.size) return this.unwatch();
      this.query(client, 'SELECT 1').catch((error: unknown) => this.drop(client, error));
    }, HEARTBEAT_MS).unref();
  }

  private unwatch(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private drop(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.unwatch();
    const lost = [...this.held];
    this.held.clear();
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.closed || !lost.length) return;
    this.logger.warn({
      msg: 'job locks lost: their jobs stop here until retaken',
      jobs: lost,
      error: safeErrorSummary(error),
    });
    this.lost(lost);
  }
}

/** The JobLock provider for a process that runs jobs, as `HARBOUR_JOB_LEADERSHIP` says. */
export const jobLockProvider = (config: HarbourConfig): Provider => ({
  provide: JobLock,
  useFactory: () =>
    config.HARBOUR_JOB_LEADERSHIP === 'advisory-lock' && config.DATABASE_URL
      ? new AdvisoryJobLock(config.DATABASE_URL)
      : new AlwaysHeldJobLock(),
});
