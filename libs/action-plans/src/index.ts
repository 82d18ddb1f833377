export * from './action-plan.decider.js';
export * from './action-plan.events.js';
export * from './action-plan.handlers.js';
export * from './action-plan.queries.js';
export * from './action-plans.module.js';
export * from './errors.js';
export * from './network-output.js';
export * from './reminders.js';

import { ActionPlans1767612000000 } from './action-plans.migrations.js';
export const actionPlanMigrations = [ActionPlans1767612000000];
