export * from './errors.js';
export * from './expiry-sweeper.js';
export * from './notice.js';
export * from './referral.commands.js';
export * from './referral.decider.js';
export * from './referral.events.js';
export * from './referral.handlers.js';
export * from './referral.queries.js';
export * from './referral.repository.js';
export * from './referrals.migrations.js';
export * from './referrals.module.js';
export * from './suggestions.js';
export * from './route-refusals.js';
export * from './webhooks/signature.js';
export * from './webhooks/webhook.dispatcher.js';
export * from './webhooks/webhook.registry.js';

import { Referrals1732700000000 } from './referrals.migrations.js';
export const referralMigrations = [Referrals1732700000000];
