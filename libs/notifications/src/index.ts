export * from './consent-reminders.js';
export * from './consent-watch.decider.js';
export * from './consent.notifications.js';
export * from './contact.decider.js';
export * from './contact.handlers.js';
export * from './errors.js';
export * from './notification-types.js';
export * from './notification.dispatcher.js';
export * from './notification.events.js';
export * from './notifications.module.js';
export * from './notifications.projection.js';
export * from './notifications.queries.js';

import { Notifications1767500000000 } from './notifications.migrations.js';
export const notificationsMigrations = [Notifications1767500000000];
