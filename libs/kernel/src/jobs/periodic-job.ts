import { Logger } from '@nestjs/common';
import { isConnectionError } from '../connection-errors.js';
import { safeErrorSummary } from '../domain-error.js';
import { outageLog } from '../throttled-log.js';
import { AlwaysHeldJobLock, type JobLock } from './job-lock.js';

export interface JobSpec<T = unknown> {
  /** Stable name, shown on /health and in logs. */
  name: string;
  /** From the schedule's start to the first run. */
  firstRunAfterMs: number;
  /** From the end of one run to the start of the next (runs never overlap). */
  everyMs: number;
  run: () => Promise<T>;
  /**
   * Called when this process stops holding the job's lock (lost, or taken by another process):
   * a job that keeps something running between runs (the projections' subscriptions) stops it here.
   */
  onLockLost?: () => Promise<void>;
}

/** While another process holds a job, ask for it this often: a dead leader's job is taken over within it. */
export const TAKEOVER_POLL_MS = 2_000;

/** Wall-clock time and timers, injected so the runner's own tests need not wait. */
export interface JobTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: JobTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(), // never keeps a process alive
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface JobStatus {
  name: string;
  /** `off`: never started here (e.g. HARBOUR_PROJECTIONS=false); `stopped`: its schedule was stopped. */
  state: 'off' | 'scheduled' | 'running' | 'stopped';
  everyMs: number;
  lastRun: { startedAt: string; endedAt: string | null } | null;
  /** The last run's failure (class, driver code, constraint: never a message that could echo data); null after a run that succeeded. */
  lastError: { at: string; error: Record<string, unknown> } | null;
  nextRunAt: string | null;
  /** Whether this process held the job's lock at its last scheduled run (null: not asked yet). */
  lockHeld: boolean | null;
}

/**
 * A background loop: first run after a delay, then every interval after the previous run
 * ended; one run at a time (scheduled runs and `runNow`/`exclusive` calls queue behind each
 * other); `stop()` resolves once the run in flight has finished. A failed scheduled run is
 * logged with a safe summary and the schedule goes on.
 */
export class PeriodicJob<T = unknown> {
  private readonly logger = new Logger('Jobs');
  private started = false;
  private stopped = false;
  private timer: unknown = null;
  private claimTimer: unknown = null;
  private nextRunAt: number | null = null;
  /** The queue every run goes through; never rejects. */
  private lane: Promise<void> = Promise.resolve();
  /** A scheduled run between its timer firing and its end (awaited by stop). */
  private ticking: Promise<void> | null = null;
  private runs = 0;
  private lastRun: { startedAt: number; endedAt: number | null } | null = null;
  private lastError: { at: number; error: Record<string, unknown> } | null = null;
  private lockHeld: boolean | null = null;

  constructor(
    readonly spec: JobSpec<T>,
    private readonly lock: JobLock = new AlwaysHeldJobLock(),
    private readonly timers: JobTimers = systemTimers,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    this.schedule(this.spec.firstRunAfterMs);
    this.claim(0);
  }

  /** Stop the schedule; resolves once a run in flight (scheduled or not) has finished. */
  async stop(): Promise<void> {
    if (this.started) this.stopped = true;
    this.started = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    if (this.claimTimer !== null) this.timers.clearTimeout(this.claimTimer);
    this.timer = null;
    this.claimTimer = null;
    this.nextRunAt = null;
    await this.ticking;
    await this.lane;
    if (this.lockHeld) await this.lock.release(this.name);
    this.lockHeld = null;
  }

  /** Run the job now (after any run in flight), whether or not its schedule runs here. */
  runNow(): Promise<T> {
    return this.exclusive(this.spec.run);
  }

  /** Run `work` in this job's queue: never at the same time as one of its runs. */
  exclusive<R>(work: () => Promise<R>): Promise<R> {
    const result = this.lane.then(() => this.record(work));
    this.lane = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  status(): JobStatus {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      name: this.name,
      state: this.runs > 0 ? 'running' : this.started ? 'scheduled' : this.stopped ? 'stopped' : 'off',
      everyMs: this.spec.everyMs,
      lastRun: this.lastRun && { startedAt: iso(this.lastRun.startedAt)!, endedAt: iso(this.lastRun.endedAt) },
      lastError: this.lastError && { at: iso(this.lastError.at)!, error: this.lastError.error },
      nextRunAt: iso(this.nextRunAt),
      lockHeld: this.lockHeld,
    };
  }

  private schedule(ms: number): void {
    this.nextRunAt = this.timers.now() + ms;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.nextRunAt = null;
      this.ticking = this.tick().finally(() => (this.ticking = null));
    }, ms);
  }

  /** The lock says it was lost (its connection died): no run may start until it is held again. */
  async lockLost(): Promise<void> {
    if (this.lockHeld === false) return;
    this.lockHeld = false;
    await this.stopOwnWork();
    this.claim();
  }

  private async stopOwnWork(): Promise<void> {
    try {
      await this.spec.onLockLost?.();
    } catch (error) {
      this.logger.error({
        msg: 'background job could not stop after losing its lock',
        job: this.name,
        error: safeErrorSummary(error),
      });
    }
  }

  private async tick(): Promise<void> {
    try {
      let held: boolean;
      try {
        held = await this.lock.tryAcquire(this.name);
      } catch (error) {
        // Unknown whether we still hold it (the database is away): act as if not.
        if (this.lockHeld) await this.lockLost();
        throw error;
      }
      if (this.lockHeld && !held) await this.stopOwnWork();
      this.lockHeld = held;
      if (held && this.started) await this.runNow();
    } catch (error) {
      if (!isConnectionError(error))
        this.logger.error({ msg: 'background job failed', job: this.name, error: safeErrorSummary(error) });
      else {
        // The database is away: every job fails each run until it is back; say it once per interval.
        const said = outageLog.admit('jobs:database-unreachable');
        if (said)
          this.logger.warn({
            msg: 'background jobs failing: database unreachable',
            job: this.name,
            error: safeErrorSummary(error),
            suppressed: said.suppressed,
          });
      }
    }
    if (this.started) this.schedule(this.spec.everyMs);
    if (!this.lockHeld) this.claim();
  }

  /**
   * While another process holds the job, ask for it every TAKEOVER_POLL_MS (not only at each
   * run, which may be a minute away): a dead leader's job changes hands within that. Runs keep
   * the job's own schedule.
   */
  private claim(delayMs = TAKEOVER_POLL_MS): void {
    if (!this.started || this.claimTimer !== null) return;
    this.claimTimer = this.timers.setTimeout(() => {
      this.claimTimer = null;
      if (!this.started || this.lockHeld) return;
      this.lock.tryAcquire(this.name).then(
        (held) => {
          if (this.started) this.lockHeld = held;
          if (!held) this.claim();
        },
        () => this.claim(), // the database is away; the run's tick says so in the log
      );
    }, delayMs);
  }

  private async record<R>(work: () => Promise<R>): Promise<R> {
    const run = { startedAt: this.timers.now(), endedAt: null as number | null };
    this.lastRun = run;
    this.runs++;
    try {
      const result = await work();
      this.lastError = null;
      return result;
    } catch (error) {
      this.lastError = { at: this.timers.now(), error: safeErrorSummary(error) };
      throw error;
    } finally {
      run.endedAt = this.timers.now();
      this.runs--;
    }
  }
}
