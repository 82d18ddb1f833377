export * from './database.module.js';
export * from './embedded-postgres.js';
export * from './start-if-embedded.js';
export * from './embedded-watchdog.js';
export * from './advisory-job-lock.js';
export * from './multi-host.js';
export * from './read-replica.js';
