export * from './errors.js';
export * from './sections/index.js';
export * from './erasure/erasure-status.js';
export * from './erasure/erasure.commands.js';
export * from './erasure/erasure.events.js';
export * from './erasure/retention.js';
export * from './check-ins/check-in.events.js';
export * from './check-ins/check-in.rules.js';
export * from './gate/access-gate.js';
export * from './intake.module.js';
export * from './notices/anonymous-notice.js';
export * from './record/consent.commands.js';
export * from './record/intake.commands.js';
export * from './record/intake.decider.js';
export * from './record/survivor-record.reader.js';

import { IntakeRetention1767300000000 } from './erasure/erasure.migrations.js';
export const intakeMigrations = [IntakeRetention1767300000000];
