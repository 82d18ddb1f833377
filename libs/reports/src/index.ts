export * from './disclosure/audit.js';
export * from './disclosure/suppression.js';
