export * from './access/access-recorder.js';
export * from './access/access.errors.js';
export * from './access/access.events.js';
export * from './access/from-decision.js';
export * from './audit.module.js';
