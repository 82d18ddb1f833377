import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { DestinationStream } from 'pino';
import { AuthModule } from '@harbour/auth';
import { DatabaseModule, jobLockProvider } from '@harbour/database';
import { EventStoreModule } from '@harbour/event-store';
import { type Clock, HarbourConfig, KernelModule, systemClock } from '@harbour/kernel';
import { NetworkModule } from '@harbour/network';
import { contextModules, migrations } from '@harbour/contexts';
import { HealthController, HealthReport, OperationsHealthController } from './health/health.controller.js';
import { LoggingModule } from './http/logging.js';

// Kept exported here too: tests and older imports take `migrations` from the app module.
export { migrations };

export interface AppModuleOptions {
  /** Where log lines go (default: stdout); tests pass a stream to read them. */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: HarbourConfig, clock: Clock = systemClock, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AuthModule.forRoot({ imports: [NetworkModule] }),
        DatabaseModule.forRoot({ migrations }),
        EventStoreModule,
        KernelModule.forRoot(config, clock, jobLockProvider(config)),
        LoggingModule.forRoot(config, options.logDestination),
        // Terminus would log every failed check, with its details, once per probe: the outage
        // log (libs/database) says it once per interval instead.
        TerminusModule.forRoot({ logger: false }),
        ...contextModules,
      ],
      controllers: [HealthController, OperationsHealthController],
      providers: [HealthReport],
    };
  }
}
