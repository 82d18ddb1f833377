export * from './caseload.module.js';
export * from './caseload.queries.js';

import { Caseload1767500000000 } from './caseload.migrations.js';
export const caseloadMigrations = [Caseload1767500000000];
