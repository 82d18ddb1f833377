import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseModule } from '@harbour/database';
import { EventStoreModule } from '@harbour/event-store';
import { type Clock, HarbourConfig, KernelModule, systemClock } from '@harbour/kernel';
import { contextModules, migrations } from './contexts.js';
import { HealthController } from './health/health.controller.js';
import { loggingModule } from './http/logging.js';

// Kept exported here too: tests and older imports take `migrations` from the app module.
export { migrations };

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
        ...contextModules,
      ],
      controllers: [HealthController],
    };
  }
}
