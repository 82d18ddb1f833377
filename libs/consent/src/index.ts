export * from './consent.commands.js';
export * from './consent.decider.js';
export * from './consent.errors.js';
export * from './consent.events.js';
export * from './decision-point.js';
export * from './exclusions.js';
export * from './sections.js';
