import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HarbourConfig } from '../config.js';
import { JobLock } from './job-lock.js';
import { type JobSpec, type JobStatus, PeriodicJob } from './periodic-job.js';

/**
 * Every background loop of the process, by name. Contexts define their jobs when they are
 * constructed; the schedules start once the application has booted, only where projections
 * run (HARBOUR_PROJECTIONS), and stop before the database pool closes (TypeORM closes it in
 * onApplicationShutdown), each awaiting its run in flight.
 */
@Injectable()
export class PeriodicJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly jobs = new Map<string, PeriodicJob>();

  constructor(
    @Inject(HarbourConfig) private readonly config: HarbourConfig,
    private readonly lock: JobLock,
  ) {
    // A lost lock stops its job at once, not at its next run.
    lock.onLost((names) => {
      for (const name of names) void this.jobs.get(name)?.lockLost();
    });
  }

  define<T>(spec: JobSpec<T>): PeriodicJob<T> {
    if (this.jobs.has(spec.name)) throw new Error(`PeriodicJobs: a job named ${spec.name} is already defined`);
    const job = new PeriodicJob(spec, this.lock);
    this.jobs.set(spec.name, job);
    return job;
  }

  status(): JobStatus[] {
    return [...this.jobs.values()].map((job) => job.status());
  }

  onApplicationBootstrap(): void {
    if (!this.config.HARBOUR_PROJECTIONS) return;
    for (const job of this.jobs.values()) job.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((job) => job.stop()));
  }
}
