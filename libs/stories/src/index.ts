export * from './errors.js';
export * from './stories.module.js';
export * from './story-checker.js';
export * from './story.decider.js';
export * from './story.events.js';
export * from './story.service.js';
