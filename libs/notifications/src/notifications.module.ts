import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { IntakeModule } from '@harbour/intake';
import { NetworkModule } from '@harbour/network';
import { PrivacyModule } from '@harbour/privacy';
import { ReferralsModule } from '@harbour/referrals';
import { CONSENT_NOTIFICATIONS } from './consent.notifications.js';
import { ConsentReminders } from './consent-reminders.js';
import { ClearDoNotContactHandler, DoNotContactReader, SetDoNotContactHandler } from './contact.handlers.js';
import { NotificationDispatcher } from './notification.dispatcher.js';
import { type NotificationType, NotificationTypes } from './notification-types.js';
import { DoNotContactController, NotificationsController } from './notifications.controller.js';
import { NotificationsProjection } from './notifications.projection.js';
import { NotificationQueries } from './notifications.queries.js';

/**
 * Notifications: id-only notices to agencies (in-app list and the agency's webhook), consent
 * reminders and access-ended notices, and the survivor's do-not-contact switch. Other contexts
 * import this module and register their notification types with `NotificationTypes`.
 */
@Module({
  imports: [AuditModule, EventStoreModule, IntakeModule, NetworkModule, PrivacyModule, ReferralsModule],
  controllers: [DoNotContactController, NotificationsController],
  providers: [
    ClearDoNotContactHandler,
    ConsentReminders,
    DoNotContactReader,
    NotificationDispatcher,
    NotificationQueries,
    NotificationTypes,
    NotificationsProjection,
    SetDoNotContactHandler,
  ],
  exports: [ConsentReminders, NotificationDispatcher, NotificationQueries, NotificationTypes],
})
export class NotificationsModule implements OnModuleInit {
  constructor(private readonly types: NotificationTypes) {}

  onModuleInit(): void {
    for (const type of CONSENT_NOTIFICATIONS as readonly NotificationType<never>[]) this.types.register(type);
  }
}
