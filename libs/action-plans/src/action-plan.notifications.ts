import type { NotificationType } from '@harbour/notifications';
import type { ActionPlanEvent } from './action-plan.events.js';

type Reminder = Extract<ActionPlanEvent, { type: 'ProgressReportReminderSent' }>['data'];

/**
 * A progress-report reminder reaches the agency through the notifications path (its in-app list
 * and its webhook): the plan, the period, the deadline and the kind of reminder — ids, dates and
 * codes only, never plan text.
 */
export const REPORT_REMINDER_NOTIFICATION: NotificationType<Reminder> = {
  eventType: 'ProgressReportReminderSent',
  type: 'action-plan.report-reminder',
  audience: 'agency',
  fields: ['reminderId', 'planId', 'period', 'dueAt', 'kind'],
  recipients: (d) => [d.agencyId],
  subject: (d) => ({ reminderId: d.reminderId, planId: d.planId, period: d.period, dueAt: d.dueAt, kind: d.kind }),
  summary: 'An action plan’s annual progress report is due soon or overdue: submit it from the plan',
};
