export * from './schemas.js';
export * from './validate.js';
export * from './to-hsds.js';
export * from './from-hsds.js';
export { NEEDS_TAXONOMY, PROPERTIES_TAXONOMY } from './harbour-terms.js';
export type * from './types.js';
