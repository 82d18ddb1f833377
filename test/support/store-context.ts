import type { INestApplicationContext, Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Pool } from 'pg';
import { DatabaseModule, PG_POOL } from '@harbour/database';
import { EventStore, EventStoreModule, ProjectionRunner } from '@harbour/event-store';
import { type Clock, FixedClock, KernelModule, loadConfig } from '@harbour/kernel';
import { migrations } from '../../apps/api/src/app.module.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface StoreContext {
  app: INestApplicationContext;
  store: EventStore;
  pool: Pool;
  projections: ProjectionRunner;
  clock: FixedClock;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The event-store stack (no HTTP) on a fresh database; projections start with the app. */
export async function startStoreContext(
  options: { providers?: Provider[]; env?: Record<string, string>; clock?: Clock } = {},
): Promise<StoreContext> {
  const database = await createTestDatabase();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    HARBOUR_POLL_INTERVAL_MS: '20',
    ...options.env,
    DATABASE_URL: database.url,
  });
  const clock = (options.clock as FixedClock) ?? new FixedClock(new Date('2026-11-02T09:00:00Z'));
  const moduleRef = await Test.createTestingModule({
    imports: [KernelModule.forRoot(config, clock), DatabaseModule.forRoot({ migrations }), EventStoreModule],
    providers: options.providers ?? [],
  }).compile();
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  return {
    app,
    store: app.get(EventStore),
    pool: app.get(PG_POOL),
    projections: app.get(ProjectionRunner),
    clock,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export const testActor = { userId: 'user-test', agencyId: 'agency-test', role: 'caseworker' };

/** Wait until `check` passes or time runs out (for asynchronous subscribers). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
