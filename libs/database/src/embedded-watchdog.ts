import { PeriodicJob, safeErrorSummary } from '@harbour/kernel';
import type { RunningPostgres } from './embedded-postgres.js';

export interface WatchdogOptions {
  /** How often the postmaster is looked for (default 500 ms). */
  checkEveryMs?: number;
  /** Restart attempts per outage before giving up (default 8). */
  attempts?: number;
  /** Wait before the second attempt, doubled after each (default 250 ms, at most 5 s). */
  firstBackoffMs?: number;
  /** One JSON-able line per event: died, each failed attempt, restarted, gave up. */
  log: (line: Record<string, unknown>) => void;
  /** Every attempt failed: the process cannot serve any more (main.ts exits, non-zero). */
  onGiveUp: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Restarts the embedded PostgreSQL this process owns when its postmaster dies (kill -9, OOM):
 * the API's pool reconnects on its own and requests meanwhile answer 503. The first attempt is
 * at once; the killed server's backends may still hold its shared memory for a moment, so
 * later attempts back off.
 */
export interface Watchdog {
  start(): void;
  /** No restart begins after this is called (at shutdown the server is stopped on purpose). */
  stop(): Promise<void>;
}

export function watchEmbeddedPostgres(postgres: RunningPostgres, options: WatchdogOptions): Watchdog {
  const attempts = options.attempts ?? 8;
  let stopped = false;
  const job = new PeriodicJob({
    name: 'embedded-postgres-watchdog',
    firstRunAfterMs: options.checkEveryMs ?? 500,
    everyMs: options.checkEveryMs ?? 500,
    run: async () => {
      if (stopped || postgres.alive()) return;
      const since = Date.now();
      options.log({ level: 40, msg: 'embedded PostgreSQL is not running; restarting it', pid: postgres.pid });
      let backoff = options.firstBackoffMs ?? 250;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (stopped) return;
        try {
          await postgres.restart();
          options.log({
            level: 30,
            msg: 'embedded PostgreSQL restarted',
            attempt,
            downMs: Date.now() - since,
            pid: postgres.pid,
          });
          return;
        } catch (error) {
          options.log({
            level: 40,
            msg: 'embedded PostgreSQL restart attempt failed',
            attempt,
            of: attempts,
            error: safeErrorSummary(error),
          });
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
      options.log({ level: 50, msg: 'embedded PostgreSQL could not be restarted; giving up', attempts });
      stopped = true;
      options.onGiveUp();
    },
  });
  return {
    start: () => job.start(),
    stop: () => {
      stopped = true;
      return job.stop();
    },
  };
}
