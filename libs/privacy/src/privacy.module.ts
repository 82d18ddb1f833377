import { Module } from '@nestjs/common';
import { HarbourConfig } from '@harbour/kernel';
import { KeyRing } from './key-ring.js';
import { MasterKeys, resolveMasterKey } from './master-keys.js';

/**
 * Keys for survivor data. The master keys are resolved at boot: with DATABASE_URL set and no
 * HARBOUR_MASTER_KEY the process refuses to start (ConfigError naming it). Processes that
 * start an embedded database must call `resolveMasterKey` themselves first (see apps/api
 * main.ts), so fully local mode gets its generated key before DATABASE_URL is filled in.
 */
@Module({
  providers: [
    {
      provide: MasterKeys,
      inject: [HarbourConfig],
      useFactory: (config: HarbourConfig) => resolveMasterKey(config, config.HARBOUR_DATA_DIR),
    },
    KeyRing,
  ],
  exports: [KeyRing, MasterKeys],
})
export class PrivacyModule {}
