export * from './catalogue.js';
export * from './disclosure/interval-audit.js';
export * from './disclosure/suppression.js';
export * from './dp/discrete-laplace.js';
export * from './dp/privacy-budget.js';
export * from './errors.js';
export * from './facts/referral-events.js';
export * from './output/chart.js';
export * from './output/csv.js';
export * from './report-reader.js';
export * from './report-request.js';
export * from './report.service.js';
export * from './reports.module.js';
export * from './reports.settings.js';

import { ReportsOutcomes1767500000001 } from './facts/outcome-facts.migrations.js';
import { Reports1732800000000 } from './reports.migrations.js';
import { ReportsOffers1767612500000 } from './reports-offers.migrations.js';
export const reportsMigrations = [Reports1732800000000, ReportsOutcomes1767500000001, ReportsOffers1767612500000];
