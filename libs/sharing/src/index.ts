export * from './attempts.decider.js';
export * from './errors.js';
export * from './share-code.js';
export * from './share-code.decider.js';
export * from './share-code.events.js';
export * from './share-code.handlers.js';
export * from './share-code.hasher.js';
export * from './share-code.queries.js';
export * from './share-code.repository.js';
export * from './sharing.module.js';

import { Sharing1767400000000 } from './sharing.migrations.js';
export const sharingMigrations = [Sharing1767400000000];
