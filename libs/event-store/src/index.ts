export * from './aggregates/aggregate-repository.js';
export * from './aggregates/current-state.js';
export * from './aggregates/decider.js';
export * from './aggregates/given-when-then.js';
export * from './envelope.js';
export * from './errors.js';
export * from './event-store.js';
export * from './event-store.module.js';
export * from './hashing.js';
export * from './kurrentdb/kurrentdb-event-store.js';
export * from './kurrentdb/kurrentdb-integrity.js';
export * from './kurrentdb/mapping.js';
export * from './postgres/fast-append.migrations.js';
export * from './postgres/integrity.js';
export * from './postgres/integrity.service.js';
export * from './postgres/migrations.js';
export * from './postgres/position-shift.migrations.js';
export * from './postgres/postgres-event-store.js';
export * from './projections/projection.js';
export * from './projections/projection-runner.js';
export * from './snapshots/snapshot-projection.js';
export * from './snapshots/stream-history.js';
export * from './upcasters.js';

import { EventStore1732300000000 } from './postgres/migrations.js';
import { EventStoreFastAppend1767700000000 } from './postgres/fast-append.migrations.js';
import { EventStorePositionShift1767400000000 } from './postgres/position-shift.migrations.js';
import { StreamSnapshots1763900000000 } from './snapshots/snapshots.migrations.js';
export const eventStoreMigrations = [
  EventStore1732300000000,
  StreamSnapshots1763900000000,
  EventStorePositionShift1767400000000,
  EventStoreFastAppend1767700000000,
];
