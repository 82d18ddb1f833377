import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@harbour/database';
import { EventStoreModule } from '@harbour/event-store';
import { HarbourConfig, KernelModule } from '@harbour/kernel';
import { contextModules, migrations } from '@harbour/contexts';

/**
 * The API's data stack without HTTP: same migrations and the same context modules, so every
 * projection the API runs can be inspected and rebuilt from here.
 */
@Module({})
export class CliModule {
  static forRoot(config: HarbourConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        KernelModule.forRoot(config),
        DatabaseModule.forRoot({ migrations }),
        EventStoreModule,
        ...contextModules,
      ],
    };
  }
}
