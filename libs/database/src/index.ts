export * from './database.module.js';
export * from './embedded-postgres.js';
