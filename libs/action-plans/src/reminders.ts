import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AggregateRepository } from '@harbour/event-store';
import { CLOCK, type Clock, DomainError, HarbourConfig, type PeriodicJob, PeriodicJobs } from '@harbour/kernel';
import { actionPlanDecider, periodsOf, reminderDue } from './action-plan.decider.js';
import { actionPlanStream } from './action-plan.events.js';
import { ActionPlanErrors as E } from './errors.js';

/** Refusals that only mean "nothing to send": another process or an earlier run sent it, or the report was settled meanwhile. */
const NOTHING_TO_SEND = new Set<string>([E.reminderAlreadySent.code, E.reminderNotDue.code, E.actionPlanNotFound.code]);

export const reminderLeads = (config: HarbourConfig): number[] =>
  config.HARBOUR_ACTION_PLAN_REMINDER_DAYS.split(',').map(Number);

/**
 * The `action-plan-reminders` job: for every report not yet submitted or accepted whose deadline is
 * within the longest lead (or past), records the reminder owed now as a ProgressReportReminderSent on
 * the plan's stream. The decider refuses a reminder already sent, so a restart, a second process or
 * a lagging read model never sends one twice.
 */
@Injectable()
export class ActionPlanReminders {
  private readonly job: PeriodicJob<number>;
  private readonly leads: number[];

  constructor(
    private readonly aggregates: AggregateRepository,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HarbourConfig) config: HarbourConfig,
    jobs: PeriodicJobs,
  ) {
    this.leads = reminderLeads(config);
    this.job = jobs.define({
      name: 'action-plan-reminders',
      firstRunAfterMs: 5_000,
      everyMs: 60_000,
      run: () => this.sendDue(),
    });
  }

  /** Send every reminder owed now (never beside a scheduled run); returns how many were sent. */
  sweep(): Promise<number> {
    return this.job.runNow();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  private async sendDue(): Promise<number> {
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + Math.max(...this.leads) * 86_400_000);
    const rows: Array<{ plan_id: string; period: number }> = await this.db.query(
      `SELECT p.plan_id, p.period FROM action_plan_periods p JOIN action_plans a ON a.plan_id = p.plan_id
        WHERE a.status = 'active' AND p.report_status NOT IN ('submitted', 'accepted') AND p.due_at <= $1
          -- Once the overdue reminder is out, nothing more is owed for that report: do not load it again.
          AND NOT EXISTS (SELECT 1 FROM action_plan_reminders r
                           WHERE r.plan_id = p.plan_id AND r.period = p.period AND r.kind = 'overdue')
        ORDER BY p.due_at, p.plan_id, p.period`,
      [horizon],
    );
    let sent = 0;
    for (const row of rows) {
      const { state } = await this.aggregates.load(actionPlanStream(row.plan_id), actionPlanDecider);
      if (state.status !== 'active') continue;
      const period = periodsOf(state).find((p) => p.period === row.period);
      if (!period) continue;
      const due = reminderDue(period, state.reports[row.period], this.leads, now);
      if (!due) continue;
      try {
        await this.aggregates.execute({
          streamId: actionPlanStream(row.plan_id),
          decider: actionPlanDecider,
          command: { type: 'SendReportReminder', period: row.period, ...due },
          context: { actor: { userId: 'system:action-plan-reminders', agencyId: null, role: 'system' } },
        });
        sent++;
      } catch (error) {
        if (!(error instanceof DomainError && NOTHING_TO_SEND.has(error.code))) throw error;
      }
    }
    return sent;
  }
}
