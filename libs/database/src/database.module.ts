import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { HarbourConfig } from '@harbour/kernel';
import { clientClassFor, parseDatabaseUrl } from './multi-host.js';
import { ReplicaReads, StalenessHeaderInterceptor } from './read-replica.js';

/** The raw pg pool behind TypeORM, for the event store's hot path. */
export const PG_POOL = Symbol('PgPool');

export interface DatabaseModuleOptions {
  /** Every bounded context's migrations, in order; they run at start. */
  migrations: Array<new () => MigrationInterface>;
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [HarbourConfig],
          useFactory: (config: HarbourConfig) => {
            if (!config.DATABASE_URL)
              throw new Error('DATABASE_URL must be resolved before the database module starts');
            // A multi-host URL: TypeORM reads a single-host form, the pool's Client walks the hosts.
            const parsed = parseDatabaseUrl(config.DATABASE_URL);
            const multiHost = parsed.multiHost ? { Client: clientClassFor(config.DATABASE_URL) } : {};
            return {
              type: 'postgres' as const,
              url: parsed.multiHost ? parsed.urlFor(parsed.hosts[0]) : config.DATABASE_URL,
              migrations: options.migrations,
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              autoLoadEntities: true,
              synchronize: false,
              logging: false,
              // Fail fast at boot with a clear message rather than retrying for half a minute.
              retryAttempts: 2,
              retryDelay: 1000,
              extra: { max: config.HARBOUR_DB_POOL_SIZE, application_name: 'harbour', ...multiHost },
            };
          },
        }),
      ],
      providers: [
        ReplicaReads,
        { provide: APP_INTERCEPTOR, useClass: StalenessHeaderInterceptor },
        {
          provide: PG_POOL,
          inject: [DataSource],
          useFactory: (dataSource: DataSource): Pool => (dataSource.driver as unknown as { master: Pool }).master,
        },
      ],
      exports: [PG_POOL, TypeOrmModule, ReplicaReads],
    };
  }
}
