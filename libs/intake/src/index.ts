export * from './sections/index.js';
