export * from './attempts.decider.js';
export * from './errors.js';
export * from './share-code.js';
export * from './share-code.card.js';
export * from './share-code.decider.js';
export * from './share-code.events.js';
export * from './share-code.handlers.js';
export * from './share-code.hasher.js';
export * from './share-code.queries.js';
export * from './share-code.repository.js';
export * from './sharing.module.js';
export * from './matching/clk.js';
export * from './matching/match-index.js';
export * from './matching/duplicate-check.js';

import { Matching1767500000000 } from './matching/matching.migrations.js';
import { Sharing1767400000000 } from './sharing.migrations.js';
export const sharingMigrations = [Sharing1767400000000, Matching1767500000000];
