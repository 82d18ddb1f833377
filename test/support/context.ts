import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { contextModules } from '@harbour/contexts';
import { EventStoreModule } from '@harbour/event-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule, INestApplication, Provider, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { DestinationStream } from 'pino';
import { type Clock, FixedClock, HarbourConfig, KernelModule, loadConfig } from '@harbour/kernel';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp, httpAdapter } from '../../apps/api/src/http/configure-app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { watchDeclaredProblems } from './declared-problems.js';

export interface TestAppOptions {
  /** Extra modules or controllers (e.g. a test-only controller). */
  imports?: Array<Type<unknown> | DynamicModule>;
  controllers?: Array<Type<unknown>>;
  providers?: Provider[];
  env?: Record<string, string>;
  /** Replace providers the app registers (e.g. the StaffDirectory, once the network context provides it). */
  overrides?: Array<{ provide: unknown; useValue: unknown }>;
  clock?: Clock;
  /** Capture log lines here instead of stdout (note: nestjs-pino keeps one logger per process). */
  logDestination?: DestinationStream;
  /** Use this database (e.g. on a server the test starts and kills) instead of a fresh one on the shared server. */
  databaseUrl?: string;
}

export interface TestApp {
  app: INestApplication;
  config: HarbourConfig;
  clock: Clock;
  database: TestDatabase;
  /** This app's own HARBOUR_DATA_DIR (development keys live here), removed on close. */
  dataDir: string;
  close(): Promise<void>;
}

// Jest's ESM runtime gives modules no `import.meta.resolve`, which terminus uses only to check
// that typeorm is installed (it is): without this the health indicator cannot be constructed.
// The real ping still runs; the built app (see test/api/boot.spec.ts) needs no such help.
(TypeOrmHealthIndicator.prototype as unknown as { checkDependantPackages(): void }).checkDependantPackages = () =>
  undefined;

/**
 * The real application (all modules, real PostgreSQL, real migrations) on a fresh database,
 * listening on a random local port. Logs are silenced unless LOG_LEVEL is set.
 * Tokens: development keys in a fresh temporary data folder, unless `env` points at a JWKS.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database: TestDatabase = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => undefined }
    : await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'harbour-app-'));
  const config = loadConfig({
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    HARBOUR_POLL_INTERVAL_MS: '20',
    HARBOUR_DB_POOL_SIZE: '10',
    // Rate limiting stays on (every test goes through it) with limits no test reaches;
    // test/api/rate-limit.spec.ts shows the real limits working.
    HARBOUR_RATE_LIMIT_PER_SUBJECT: '1000000',
    HARBOUR_RATE_LIMIT_PER_IP: '1000000',
    HARBOUR_DATA_DIR: dataDir,
    HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
    HARBOUR_NOTARY_KEY: generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'der' })
      .toString('base64'),
    ...(options.env?.HARBOUR_OIDC_JWKS_URL ? {} : { HARBOUR_DEV_KEYS: 'true' }),
    ...options.env,
    DATABASE_URL: database.url,
  });
  const clock = options.clock ?? new FixedClock(new Date('2026-11-02T09:00:00Z'));
  const builder = Test.createTestingModule({
    // The contexts again at the root, so a test's own providers and controllers can inject what they export.
    imports: [
      AppModule.forRoot(config, clock, { logDestination: options.logDestination }),
      EventStoreModule,
      ...contextModules,
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  });
  for (const { provide, useValue } of options.overrides ?? []) builder.overrideProvider(provide).useValue(useValue);
  const moduleRef = await builder.compile();
  const app = await configureApp(moduleRef.createNestApplication(httpAdapter(), { bufferLogs: true }));
  const undeclared = watchDeclaredProblems(
    app,
    (options.controllers ?? []).map((c) => `${c.name}_`),
  );
  await app.init();
  await app.listen(0, '127.0.0.1');
  return {
    app,
    config,
    clock,
    database,
    dataDir,
    close: async () => {
      await app.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
      // Every answer must be as the route's OpenAPI says: problem codes, success status and shape (declared-problems.ts).
      const seen = [...new Set(undeclared)];
      if (seen.length) throw new Error(`routes answered other than their OpenAPI says:\n${seen.join('\n')}`);
    },
  };
}

export { KernelModule };
