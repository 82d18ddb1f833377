/**
 * Which process runs a job's schedule. Every job asks its lock before each scheduled run, so
 * running each job on exactly one process among several is a matter of providing another
 * implementation (e.g. a PostgreSQL session advisory lock per job name, taken with
 * pg_try_advisory_lock and kept until release), with no change to the jobs themselves.
 */
export abstract class JobLock {
  /** Whether this process may run `job` now; a held lock stays held until `release`. */
  abstract tryAcquire(job: string): Promise<boolean>;
  /** Give `job` up (its schedule stopped in this process). */
  abstract release(job: string): Promise<void>;
}

/** One process, or jobs that are safe to run in several at once (all of today's are): always held. */
export class AlwaysHeldJobLock extends JobLock {
  async tryAcquire(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}
}
