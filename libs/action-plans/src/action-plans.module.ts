import { Module } from '@nestjs/common';
import { EventStoreModule } from '@harbour/event-store';
import { ActionPlansController } from './action-plan.controller.js';
import { ActOnActionPlanHandler } from './action-plan.handlers.js';
import { ActionPlanProjection } from './action-plan.projection.js';
import { ActionPlanQueries } from './action-plan.queries.js';
import { ActionPlanReminders } from './reminders.js';

/** Partner action plans and their annual progress reports (issue 15, part 2). */
@Module({
  imports: [EventStoreModule],
  controllers: [ActionPlansController],
  providers: [ActOnActionPlanHandler, ActionPlanProjection, ActionPlanQueries, ActionPlanReminders],
  exports: [ActionPlanQueries, ActionPlanReminders],
})
export class ActionPlansModule {}
