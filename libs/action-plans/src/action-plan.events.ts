/**
 * Facts of one action plan (stream `action-plan-<planId>`), schema version 1, times as ISO strings,
 * dates as `YYYY-MM-DD`. An action plan is an agency's own document about its organisation,
 * operations and supply chain: there is no survivor data anywhere in it, and none may be put there.
 */

/** A measurable indicator of a step: `target` in `unit` (e.g. 40 "staff trained"). */
export interface Indicator {
  /** Stable within the plan (across amendments): progress updates name it. */
  key: string;
  name: string;
  unit: string;
  target: number;
}

export interface Step {
  key: string;
  description: string;
  /** The role in the agency responsible for the step (e.g. "procurement lead"): a role, not a person. */
  ownerRole: string;
  dueDate: string;
  indicators: Indicator[];
}

export interface Goal {
  key: string;
  title: string;
  steps: Step[];
}

export type StepStatus = 'not-started' | 'underway' | 'done' | 'dropped';
export const STEP_STATUSES: readonly StepStatus[] = ['not-started', 'underway', 'done', 'dropped'];

/** The figures of a progress report, computed from the progress updates as of `asOf`. */
export interface ReportFigures {
  asOf: string;
  planVersion: number;
  steps: { total: number; notStarted: number; underway: number; done: number; dropped: number };
  indicators: Array<{
    goalKey: string;
    stepKey: string;
    indicatorKey: string;
    name: string;
    unit: string;
    target: number;
    /** The latest value recorded up to `asOf` (null: never recorded). */
    value: number | null;
    /** value / target in percent, one decimal (null without a value or with a zero target). */
    percentOfTarget: number | null;
  }>;
}

export type ReminderKind = 'due-soon' | 'overdue';

export interface PlanActor {
  userId: string;
  agencyId: string | null;
}

export type ActionPlanEvent =
  | {
      type: 'ActionPlanFiled';
      data: {
        planId: string;
        agencyId: string;
        title: string;
        /** The first day of plan year 1; plan year n is the year from its n-th anniversary (UTC). */
        planYearStart: string;
        years: number;
        /** Days after each plan year ends until its progress report is due (configuration at filing). */
        reportDueDays: number;
        goals: Goal[];
        filedBy: PlanActor;
        filedAt: string;
      };
    }
  | {
      type: 'ActionPlanAmended';
      data: {
        planId: string;
        agencyId: string;
        /** 2 for the first amendment, and so on. */
        planVersion: number;
        title: string;
        goals: Goal[];
        amendedBy: PlanActor;
        amendedAt: string;
      };
    }
  | {
      type: 'ActionPlanWithdrawn';
      data: { planId: string; agencyId: string; reason: string | null; withdrawnBy: PlanActor; withdrawnAt: string };
    }
  | {
      type: 'StepProgressRecorded';
      data: {
        planId: string;
        agencyId: string;
        goalKey: string;
        stepKey: string;
        status: StepStatus;
        values: Array<{ indicatorKey: string; value: number }>;
        note: string | null;
        recordedBy: PlanActor;
        recordedAt: string;
      };
    }
  | {
      type: 'ProgressReportDrafted';
      data: {
        planId: string;
        agencyId: string;
        period: number;
        learning: string;
        challenges: string;
        draftedBy: PlanActor;
        draftedAt: string;
      };
    }
  | {
      type: 'ProgressReportSubmitted';
      data: {
        planId: string;
        agencyId: string;
        period: number;
        learning: string;
        challenges: string;
        figures: ReportFigures;
        submittedBy: PlanActor;
        submittedAt: string;
      };
    }
  | {
      type: 'ProgressReportAccepted';
      data: { planId: string; agencyId: string; period: number; reviewedBy: PlanActor; reviewedAt: string };
    }
  | {
      type: 'ProgressReportChangesRequested';
      data: {
        planId: string;
        agencyId: string;
        period: number;
        reason: string;
        reviewedBy: PlanActor;
        reviewedAt: string;
      };
    }
  | {
      /**
       * Ids and dates only, never plan text: the recipient agency, the plan, the report period and
       * its deadline. Self-contained, so a notification or webhook path maps it one to one.
       */
      type: 'ProgressReportReminderSent';
      data: {
        reminderId: string;
        agencyId: string;
        planId: string;
        period: number;
        dueAt: string;
        kind: ReminderKind;
        /** For `due-soon`: the configured lead (days before `dueAt`) this reminder is for; 0 when overdue. */
        leadDays: number;
        sentAt: string;
      };
    };

export const actionPlanStream = (planId: string) => `action-plan-${planId}`;

const ACTION_PLAN_EVENTS: Record<ActionPlanEvent['type'], true> = {
  ActionPlanFiled: true,
  ActionPlanAmended: true,
  ActionPlanWithdrawn: true,
  StepProgressRecorded: true,
  ProgressReportDrafted: true,
  ProgressReportSubmitted: true,
  ProgressReportAccepted: true,
  ProgressReportChangesRequested: true,
  ProgressReportReminderSent: true,
};
export const ACTION_PLAN_EVENT_TYPES = Object.keys(ACTION_PLAN_EVENTS);
