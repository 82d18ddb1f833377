export * from './contexts.js';
