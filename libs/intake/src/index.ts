export * from './errors.js';
export * from './sections/index.js';
export * from './intake.module.js';
export * from './notices/anonymous-notice.js';
export * from './record/consent.commands.js';
export * from './record/intake.commands.js';
export * from './record/intake.decider.js';
export * from './record/survivor-record.reader.js';
