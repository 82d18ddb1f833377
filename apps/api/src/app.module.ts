import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseModule } from '@harbour/database';
import { EventStoreModule, eventStoreMigrations } from '@harbour/event-store';
import { type Clock, HarbourConfig, KernelModule, systemClock } from '@harbour/kernel';
import { HealthController } from './health/health.controller.js';
import { loggingModule } from './http/logging.js';

/** Every migration of every bounded context, in the order they must run. */
export const migrations = [...eventStoreMigrations];

@Module({})
export class AppModule {
  static forRoot(config: HarbourConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot({ migrations }),
        EventStoreModule,
        KernelModule.forRoot(config, clock),
        loggingModule(config),
        TerminusModule,
      ],
      controllers: [HealthController],
    };
  }
}
