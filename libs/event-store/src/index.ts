export * from './aggregates/aggregate-repository.js';
export * from './aggregates/decider.js';
export * from './aggregates/event-recorded.js';
export * from './envelope.js';
export * from './errors.js';
export * from './event-store.js';
export * from './event-store.module.js';
export * from './hashing.js';
export * from './postgres/integrity.js';
export * from './postgres/integrity.service.js';
export * from './postgres/migrations.js';
export * from './postgres/postgres-event-store.js';
export * from './projections/projection.js';
export * from './projections/projection-runner.js';
export * from './upcasters.js';

import { EventStore1732300000000 } from './postgres/migrations.js';
export const eventStoreMigrations = [EventStore1732300000000];
