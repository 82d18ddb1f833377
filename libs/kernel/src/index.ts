export * from './actor.js';
export * from './clock.js';
export * from './config.js';
export * from './domain-error.js';
export * from './ids.js';
export * from './kernel.module.js';
export * from './jobs/index.js';
export * from './problems.js';
