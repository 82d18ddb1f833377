import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import { HarbourConfig } from '@harbour/kernel';
import { clientClassFor, parseDatabaseUrl } from './multi-host.js';
import { ReplicaReads, StalenessHeaderInterceptor } from './read-replica.js';

/** The raw pg pool behind TypeORM, for the event store's hot path. */
export const PG_POOL = Symbol('PgPool');

export interface DatabaseModuleOptions {
  /** Every bounded context's migrations, in order; they run at start. */
  migrations: Array<new () => MigrationInterface>;
}

/** The migrations lock ("HM", 1): apart from the job locks ("HJ", hashtext(name)). */
const MIGRATIONS_LOCK = [0x484d, 1] as const;

/**
 * Connect and run pending migrations while holding a session advisory lock, so API processes
 * started together (a Deployment's replicas) migrate one after the other: the first applies
 * them, the others wait, then find nothing pending. TypeORM itself takes no lock.
 */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  const lockHolder = dataSource.createQueryRunner();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATIONS_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await lockHolder.release();
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  await lockHolder.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATIONS_LOCK]);
  await lockHolder.release();
  return dataSource;
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
              // Run by `initializeDataSource` below, under a lock: several processes may start at once.
              migrationsRun: false,
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
          dataSourceFactory: (dataSourceOptions) => initializeDataSource(dataSourceOptions!),
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
