import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { CLOCK, type Clock, systemClock } from './clock.js';
import { HarbourConfig } from './config.js';
import { AlwaysHeldJobLock, JobLock } from './jobs/job-lock.js';
import { PeriodicJobs } from './jobs/periodic-jobs.js';

/** Validated configuration, the clock and the background-job runner, available everywhere. */
@Global()
@Module({})
export class KernelModule {
  /** `jobLock`: which process runs each job (the API passes libs/database's; the CLI never starts jobs). */
  static forRoot(
    config: HarbourConfig,
    clock: Clock = systemClock,
    jobLock: Provider = { provide: JobLock, useClass: AlwaysHeldJobLock },
  ): DynamicModule {
    return {
      module: KernelModule,
      providers: [
        { provide: HarbourConfig, useValue: config },
        { provide: CLOCK, useValue: clock },
        jobLock,
        PeriodicJobs,
      ],
      exports: [HarbourConfig, CLOCK, JobLock, PeriodicJobs],
    };
  }
}
