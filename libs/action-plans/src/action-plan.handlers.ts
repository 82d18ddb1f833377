import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '@harbour/event-store';
import { HarbourConfig, newId } from '@harbour/kernel';
import { executionOptions, type RequestMeta } from '@harbour/auth';
import {
  type ActionPlanCommand,
  actionPlanDecider,
  type ActionPlanState,
  AGENCY_ADMIN,
  NETWORK_ADMIN,
} from './action-plan.decider.js';
import { actionPlanStream } from './action-plan.events.js';

/** What every write answers: ids, status and versions (the plan's text is read with GET). */
export interface ActionPlanWritten {
  planId: string;
  agencyId: string;
  status: 'active' | 'withdrawn';
  planVersion: number;
  /** The plan stream's version after the write (If-Match). */
  version: number;
  /** For report writes: the period and its report's status. */
  report: { period: number; status: string } | null;
}

/** A decider command without the facts the handler reads (the caller's agency standing). */
export type PlanRequest =
  | { type: 'FileActionPlan'; title: string; goals: unknown[]; planYearStart: string; years?: number }
  | { type: 'AmendActionPlan'; title: string; goals: unknown[] }
  | { type: 'WithdrawActionPlan'; reason?: string }
  | {
      type: 'RecordStepProgress';
      stepKey: string;
      status: string;
      indicators?: Array<{ key: string; value: number }>;
      note?: string;
    }
  | { type: 'DraftProgressReport'; period: number; learning: string; challenges: string }
  | { type: 'SubmitProgressReport'; period: number }
  | { type: 'ReviewProgressReport'; period: number; outcome: string; reason?: string };

/** One write to an action plan, for the agency admin (or, for a review, the network admin). */
export class ActOnActionPlan extends Command<ActionPlanWritten> {
  constructor(
    readonly meta: RequestMeta,
    /** Null when filing a new plan. */
    readonly planId: string | null,
    readonly request: PlanRequest,
  ) {
    super();
  }
}

const period = (r: PlanRequest): number | null => ('period' in r ? r.period : null);

@CommandHandler(ActOnActionPlan)
export class ActOnActionPlanHandler implements ICommandHandler<ActOnActionPlan> {
  constructor(
    private readonly aggregates: AggregateRepository,
    @Inject(HarbourConfig) private readonly config: HarbourConfig,
  ) {}

  execute({ meta, planId: existing, request }: ActOnActionPlan): Promise<ActionPlanWritten> {
    const review = request.type === 'ReviewProgressReport';
    // The role the caller acts in: the decider checks it (agency admin of the plan's agency, or network admin).
    const role = meta.principal.roles.includes(review ? NETWORK_ADMIN : AGENCY_ADMIN)
      ? review
        ? NETWORK_ADMIN
        : AGENCY_ADMIN
      : meta.principal.roles[0];
    const planId = existing ?? newId();
    const options = executionOptions(meta, role, { planId: existing, request });
    return this.aggregates.execute({
      streamId: actionPlanStream(planId),
      decider: actionPlanDecider,
      command: this.command(planId, request, { agencyStatus: meta.principal.agencyStatus }),
      ...options,
      // A new plan has no version to match.
      expectedVersion: existing ? options.expectedVersion : null,
      result: ({ state, version }) => {
        const s = state as Exclude<ActionPlanState, { status: 'none' }>;
        const p = period(request);
        return {
          planId,
          agencyId: s.agencyId,
          status: s.status,
          planVersion: s.planVersion,
          version,
          report: p === null ? null : { period: p, status: s.reports[p]?.status ?? 'none' },
        };
      },
    });
  }

  private command(planId: string, r: PlanRequest, facts: { agencyStatus: string }): ActionPlanCommand {
    switch (r.type) {
      case 'FileActionPlan':
        return {
          type: 'FileActionPlan',
          planId,
          title: r.title,
          goals: r.goals as never,
          planYearStart: r.planYearStart,
          years: r.years ?? 1,
          reportDueDays: this.config.HARBOUR_ACTION_PLAN_REPORT_DUE_DAYS,
          facts,
        };
      case 'AmendActionPlan':
        return { type: 'AmendActionPlan', title: r.title, goals: r.goals as never, facts };
      case 'WithdrawActionPlan':
        return { type: 'WithdrawActionPlan', reason: r.reason ?? null, facts };
      case 'RecordStepProgress':
        return {
          type: 'RecordStepProgress',
          stepKey: r.stepKey,
          status: r.status as never,
          values: (r.indicators ?? []).map((i) => ({ indicatorKey: i.key, value: i.value })),
          note: r.note ?? null,
          facts,
        };
      case 'DraftProgressReport':
        return { type: 'DraftProgressReport', period: r.period, learning: r.learning, challenges: r.challenges, facts };
      case 'SubmitProgressReport':
        return { type: 'SubmitProgressReport', period: r.period, facts };
      case 'ReviewProgressReport':
        return {
          type: 'ReviewProgressReport',
          period: r.period,
          outcome: r.outcome as never,
          reason: r.reason ?? null,
        };
    }
  }
}
