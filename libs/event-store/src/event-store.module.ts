import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { CLOCK, type Clock, HarbourConfig } from '@harbour/kernel';
import { PG_POOL } from '@harbour/database';
import { AggregateRepository } from './aggregates/aggregate-repository.js';
import { CurrentState } from './aggregates/current-state.js';
import { EventStore } from './event-store.js';
import { KurrentEventStore } from './kurrentdb/kurrentdb-event-store.js';
import { IntegrityService } from './postgres/integrity.service.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { ProjectionRunner } from './projections/projection-runner.js';
import { StreamHistory } from './snapshots/stream-history.js';
import { Upcasters } from './upcasters.js';

@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    { provide: Upcasters, useValue: new Upcasters() },
    {
      provide: EventStore,
      inject: [PG_POOL, CLOCK, Upcasters, HarbourConfig],
      // HARBOUR_EVENT_STORE chooses the log (the config loader refuses kurrentdb without a URL);
      // read models, checkpoints and everything else stay on PostgreSQL either way.
      useFactory: (pool: Pool, clock: Clock, upcasters: Upcasters, config: HarbourConfig) =>
        config.HARBOUR_EVENT_STORE === 'kurrentdb'
          ? KurrentEventStore.connect(config.HARBOUR_KURRENTDB_URL!, clock, upcasters)
          : new PostgresEventStore(pool, clock, upcasters, { pollIntervalMs: config.HARBOUR_POLL_INTERVAL_MS }),
    },
    AggregateRepository,
    CurrentState,
    IntegrityService,
    ProjectionRunner,
    StreamHistory,
  ],
  exports: [
    AggregateRepository,
    CqrsModule,
    CurrentState,
    EventStore,
    IntegrityService,
    ProjectionRunner,
    StreamHistory,
    Upcasters,
  ],
})
export class EventStoreModule {}
