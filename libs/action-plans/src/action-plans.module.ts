import { Module, type OnModuleInit } from '@nestjs/common';
import { EventStoreModule } from '@harbour/event-store';
import { NotificationsModule, NotificationTypes } from '@harbour/notifications';
import { ActionPlansController } from './action-plan.controller.js';
import { ActOnActionPlanHandler } from './action-plan.handlers.js';
import { REPORT_REMINDER_NOTIFICATION } from './action-plan.notifications.js';
import { ActionPlanProjection } from './action-plan.projection.js';
import { ActionPlanQueries } from './action-plan.queries.js';
import { ActionPlanReminders } from './reminders.js';

/** Partner action plans and their annual progress reports (issue 15, part 2). */
@Module({
  imports: [EventStoreModule, NotificationsModule],
  controllers: [ActionPlansController],
  providers: [ActOnActionPlanHandler, ActionPlanProjection, ActionPlanQueries, ActionPlanReminders],
  exports: [ActionPlanQueries, ActionPlanReminders],
})
export class ActionPlansModule implements OnModuleInit {
  constructor(private readonly notificationTypes: NotificationTypes) {}

  onModuleInit(): void {
    this.notificationTypes.register(REPORT_REMINDER_NOTIFICATION);
  }
}
