/**
 * Which process runs a job's schedule. Every job asks its lock before each scheduled run, so
 * running each job on exactly one process among several is a matter of the implementation
 * (libs/database's `AdvisoryJobLock`: a PostgreSQL session advisory lock per job name on a
 * connection of its own), with no change to the jobs themselves.
 */
export abstract class JobLock {
  private readonly lostListeners = new Set<(jobs: string[]) => void>();

  /** Whether this process may run `job` now; a held lock stays held until `release` or until lost. */
  abstract tryAcquire(job: string): Promise<boolean>;
  /** Give `job` up (its schedule stopped in this process). */
  abstract release(job: string): Promise<void>;

  /** Be told at once when held locks are lost (e.g. the lock's connection died): their jobs must stop. */
  onLost(listener: (jobs: string[]) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  protected lost(jobs: string[]): void {
    if (jobs.length) for (const listener of this.lostListeners) listener(jobs);
  }
}

/** Every process runs every job (HARBOUR_JOB_LEADERSHIP=every-process; the kernel's unit tests): always held. */
export class AlwaysHeldJobLock extends JobLock {
  async tryAcquire(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}
}
