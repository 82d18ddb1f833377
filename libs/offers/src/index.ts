export * from './errors.js';
export * from './offer.decider.js';
export * from './offer.events.js';
export * from './offer.expiry.js';
export * from './offer.handlers.js';
export * from './offer.queries.js';
export * from './offer.repository.js';
export * from './offer.suggestions.js';
export * from './offers.module.js';

import { Offers1767612000000 } from './offers.migrations.js';
export const offersMigrations = [Offers1767612000000];
