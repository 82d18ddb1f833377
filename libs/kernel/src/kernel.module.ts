import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CLOCK, type Clock, systemClock } from './clock.js';
import { HarbourConfig } from './config.js';
import { AlwaysHeldJobLock, JobLock } from './jobs/job-lock.js';
import { PeriodicJobs } from './jobs/periodic-jobs.js';

/** Validated configuration, the clock and the background-job runner, available everywhere. */
@Global()
@Module({})
export class KernelModule {
  static forRoot(config: HarbourConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: KernelModule,
      providers: [
        { provide: HarbourConfig, useValue: config },
        { provide: CLOCK, useValue: clock },
        // One process runs every job's schedule; a multi-process lock replaces this provider.
        { provide: JobLock, useClass: AlwaysHeldJobLock },
        PeriodicJobs,
      ],
      exports: [HarbourConfig, CLOCK, JobLock, PeriodicJobs],
    };
  }
}
