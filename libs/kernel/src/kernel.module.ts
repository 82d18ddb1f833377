import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CLOCK, type Clock, systemClock } from './clock.js';
import { HarbourConfig } from './config.js';

/** Validated configuration and the clock, available everywhere. */
@Global()
@Module({})
export class KernelModule {
  static forRoot(config: HarbourConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: KernelModule,
      providers: [
        { provide: HarbourConfig, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [HarbourConfig, CLOCK],
    };
  }
}
