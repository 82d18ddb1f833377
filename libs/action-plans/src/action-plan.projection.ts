import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { actionPlanDecider, type ActionPlanState, periodsOf, planEndsAt } from './action-plan.decider.js';
import { ACTION_PLAN_EVENT_TYPES, type ActionPlanEvent } from './action-plan.events.js';

/**
 * `action_plans`, `action_plan_periods`, `action_plan_reminders`: each event folds onto the plan's
 * stored document with the decider's own evolve, then the plan's row and period rows are written
 * from the result (a reminder adds its row). Checkpointed with the changes, like every projection.
 */
@Injectable()
export class ActionPlanProjection implements Projection, OnModuleInit {
  readonly name = 'action-plans';
  readonly eventTypes = ACTION_PLAN_EVENT_TYPES;

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    const event = stored as unknown as ActionPlanEvent;
    const planId = event.data.planId;
    const rows: Array<{ doc: ActionPlanState; version: number }> = await m.query(
      'SELECT doc, version FROM action_plans WHERE plan_id = $1 FOR UPDATE',
      [planId],
    );
    // Already applied (a replay after a crash between apply and checkpoint cannot happen, but a rebuild may meet it).
    if (rows[0] && rows[0].version >= stored.streamVersion) return;
    const state = actionPlanDecider.evolve(rows[0]?.doc ?? actionPlanDecider.initialState(), event);
    if (state.status === 'none') return;
    await m.query(
      `INSERT INTO action_plans (plan_id, agency_id, status, title, plan_year_start, ends_at, plan_version, doc, filed_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (plan_id) DO UPDATE SET status = $3, title = $4, plan_version = $7, doc = $8, updated_at = $10, version = $11`,
      [
        state.planId,
        state.agencyId,
        state.status,
        state.title,
        state.planYearStart,
        planEndsAt(state),
        state.planVersion,
        JSON.stringify(state),
        state.filedAt,
        state.updatedAt,
        stored.streamVersion,
      ],
    );
    for (const p of periodsOf(state))
      await m.query(
        `INSERT INTO action_plan_periods (plan_id, period, agency_id, starts_at, ends_at, due_at, report_status)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (plan_id, period) DO UPDATE SET report_status = $7`,
        [
          state.planId,
          p.period,
          state.agencyId,
          p.startsAt,
          p.endsAt,
          p.dueAt,
          state.reports[p.period]?.status ?? 'none',
        ],
      );
    if (event.type === 'ProgressReportReminderSent') {
      const d = event.data;
      await m.query(
        `INSERT INTO action_plan_reminders (reminder_id, agency_id, plan_id, period, kind, lead_days, due_at, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (reminder_id) DO NOTHING`,
        [d.reminderId, d.agencyId, d.planId, d.period, d.kind, d.leadDays, d.dueAt, d.sentAt],
      );
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM action_plan_reminders');
    await m.query('DELETE FROM action_plan_periods');
    await m.query('DELETE FROM action_plans');
  }
}
