export * from './cipher.js';
export * from './errors.js';
export * from './key-ring.js';
export * from './key-rotation.events.js';
export * from './master-keys.js';
export * from './privacy.migrations.js';
export * from './privacy.module.js';

import { Privacy1732500000000 } from './privacy.migrations.js';
export const privacyMigrations = [Privacy1732500000000];
