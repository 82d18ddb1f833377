import { createHash } from 'node:crypto';
import type { DecisionContext, Decider } from '@harbour/event-store';
import { type Actor, DomainError, type FieldProblem } from '@harbour/kernel';
import { ActionPlanErrors as E } from './errors.js';
import {
  type ActionPlanEvent,
  type Goal,
  type PlanActor,
  type ReminderKind,
  type ReportFigures,
  STEP_STATUSES,
  type StepStatus,
} from './action-plan.events.js';

export const MAX_PLAN_YEARS = 5;
export const AGENCY_ADMIN = 'agency-admin';
export const NETWORK_ADMIN = 'network-admin';
const DAY = 86_400_000;

export type ReportStatus = 'draft' | 'submitted' | 'accepted' | 'changes-requested';

export interface ProgressReport {
  period: number;
  status: ReportStatus;
  learning: string;
  challenges: string;
  /** Frozen at submission; null while a draft. */
  figures: ReportFigures | null;
  submissions: number;
  submittedAt: string | null;
  reviewedAt: string | null;
  /** The network admin's reason, when changes were requested. */
  changesRequested: string | null;
  updatedAt: string;
}

export interface ProgressEntry {
  goalKey: string;
  stepKey: string;
  status: StepStatus;
  values: Array<{ indicatorKey: string; value: number }>;
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface PlanDetails {
  planId: string;
  agencyId: string;
  title: string;
  planYearStart: string;
  years: number;
  reportDueDays: number;
  planVersion: number;
  goals: Goal[];
  progress: ProgressEntry[];
  reports: Record<string, ProgressReport>;
  /** Keys (`period:kind:leadDays`) of reminders already sent: never twice. */
  reminders: string[];
  filedAt: string;
  updatedAt: string;
  withdrawnAt: string | null;
}

/** Plain JSON (the projection stores it as the plan's document). */
export type ActionPlanState = { status: 'none' } | (PlanDetails & { status: 'active' | 'withdrawn' });

/** Who may act for an agency on its plan: facts the handler read just now. */
export interface MemberFacts {
  /** The caller's agency status (only active and suspended members keep plans). */
  agencyStatus: string;
}

export interface PlanContent {
  title: string;
  goals: Goal[];
}

export type ActionPlanCommand =
  | (PlanContent & {
      type: 'FileActionPlan';
      planId: string;
      planYearStart: string;
      years: number;
      reportDueDays: number;
      facts: MemberFacts;
    })
  | (PlanContent & { type: 'AmendActionPlan'; facts: MemberFacts })
  | { type: 'WithdrawActionPlan'; reason: string | null; facts: MemberFacts }
  | {
      type: 'RecordStepProgress';
      stepKey: string;
      status: StepStatus;
      values: Array<{ indicatorKey: string; value: number }>;
      note: string | null;
      facts: MemberFacts;
    }
  | { type: 'DraftProgressReport'; period: number; learning: string; challenges: string; facts: MemberFacts }
  | { type: 'SubmitProgressReport'; period: number; facts: MemberFacts }
  | { type: 'ReviewProgressReport'; period: number; outcome: 'accepted' | 'changes-requested'; reason: string | null }
  | { type: 'SendReportReminder'; period: number; kind: ReminderKind; leadDays: number };

// ---------------------------------------------------------------------------------------------
// Periods: plan year n runs from the (n-1)-th to the n-th anniversary of planYearStart (UTC);
// its report is due reportDueDays after it ends.

const addYears = (date: string, years: number): Date => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y + years, m - 1, d));
};

export interface Period {
  period: number;
  startsAt: string;
  endsAt: string;
  dueAt: string;
}

export function periodsOf(plan: Pick<PlanDetails, 'planYearStart' | 'years' | 'reportDueDays'>): Period[] {
  return Array.from({ length: plan.years }, (_, i) => {
    const endsAt = addYears(plan.planYearStart, i + 1);
    return {
      period: i + 1,
      startsAt: addYears(plan.planYearStart, i).toISOString(),
      endsAt: endsAt.toISOString(),
      dueAt: new Date(endsAt.getTime() + plan.reportDueDays * DAY).toISOString(),
    };
  });
}

/** When the whole plan ends (the end of its last plan year). */
export const planEndsAt = (plan: Pick<PlanDetails, 'planYearStart' | 'years'>): string =>
  addYears(plan.planYearStart, plan.years).toISOString();

/** A report is settled once submitted or accepted: no reminder is owed for it, and it is not overdue. */
export const settled = (report: ProgressReport | undefined): boolean =>
  report?.status === 'submitted' || report?.status === 'accepted';

export const isOverdue = (period: Period, report: ProgressReport | undefined, now: Date): boolean =>
  !settled(report) && now.getTime() >= Date.parse(period.dueAt);

/**
 * Which reminder is owed for a period now, if any: `overdue` from the deadline on; before it the
 * shortest configured lead whose window has opened (a process that was down through the 30-day
 * mark sends the 7-day one, not both). Null when the report is settled or nothing is due yet.
 */
export function reminderDue(
  period: Period,
  report: ProgressReport | undefined,
  leads: readonly number[],
  now: Date,
): { kind: ReminderKind; leadDays: number } | null {
  if (settled(report)) return null;
  const due = Date.parse(period.dueAt);
  if (now.getTime() >= due) return { kind: 'overdue', leadDays: 0 };
  const open = leads.filter((lead) => now.getTime() >= due - lead * DAY).sort((a, b) => a - b);
  return open.length ? { kind: 'due-soon', leadDays: open[0] } : null;
}

export const reminderKey = (period: number, kind: ReminderKind, leadDays: number) => `${period}:${kind}:${leadDays}`;

/** The reminder's id, derived from what it is about: the same reminder always has the same id. */
export function reminderIdOf(planId: string, key: string): string {
  const h = createHash('sha256').update(`action-plan-reminder\n${planId}\n${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// The figures of a report, from the updates.

export function figuresOf(plan: PlanDetails, asOf: Date): ReportFigures {
  const until = asOf.getTime();
  const latest = new Map<string, ProgressEntry>();
  const values = new Map<string, number>();
  for (const entry of plan.progress) {
    if (Date.parse(entry.recordedAt) >= until) continue;
    latest.set(entry.stepKey, entry);
    for (const v of entry.values) values.set(`${entry.stepKey}/${v.indicatorKey}`, v.value);
  }
  const steps = { total: 0, notStarted: 0, underway: 0, done: 0, dropped: 0 };
  const indicators: ReportFigures['indicators'] = [];
  for (const goal of plan.goals)
    for (const step of goal.steps) {
      steps.total++;
      const status = latest.get(step.key)?.status ?? 'not-started';
      if (status === 'not-started') steps.notStarted++;
      else if (status === 'underway') steps.underway++;
      else if (status === 'done') steps.done++;
      else steps.dropped++;
      for (const ind of step.indicators) {
        const value = values.get(`${step.key}/${ind.key}`) ?? null;
        indicators.push({
          goalKey: goal.key,
          stepKey: step.key,
          indicatorKey: ind.key,
          name: ind.name,
          unit: ind.unit,
          target: ind.target,
          value,
          percentOfTarget: value === null || ind.target === 0 ? null : Math.round((value / ind.target) * 1000) / 10,
        });
      }
    }
  return { asOf: asOf.toISOString(), planVersion: plan.planVersion, steps, indicators };
}

// ---------------------------------------------------------------------------------------------
// Rules.

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** A real calendar date of this century (plans and their steps are not for other times). */
const validDate = (s: unknown): s is string => {
  if (typeof s !== 'string' || !DATE.test(s)) return false;
  const year = Number(s.slice(0, 4));
  const date = new Date(`${s}T00:00:00Z`);
  return year >= 2000 && year <= 2099 && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === s;
};
const text = (s: unknown, max: number) => typeof s === 'string' && s.trim().length > 0 && s.length <= max;

/** The plan's content: keys unique across the whole plan (goals, steps and indicators each), dates real. */
function checkContent(c: PlanContent, problems: FieldProblem[]): void {
  if (!text(c.title, 200)) problems.push({ field: 'title', problem: 'must be 1 to 200 characters' });
  if (!Array.isArray(c.goals) || c.goals.length === 0) {
    problems.push({ field: 'goals', problem: 'must list at least one goal' });
    return;
  }
  const seen = { goal: new Set<string>(), step: new Set<string>(), indicator: new Set<string>() };
  const key = (kind: keyof typeof seen, value: string, field: string) => {
    if (!KEY_PATTERN.test(value)) problems.push({ field, problem: 'must be lower-case letters, digits and hyphens' });
    else if (seen[kind].has(value)) problems.push({ field, problem: `is used by another ${kind} of the plan` });
    seen[kind].add(value);
  };
  c.goals.forEach((goal, g) => {
    key('goal', goal.key, `goals.${g}.key`);
    if (!text(goal.title, 200)) problems.push({ field: `goals.${g}.title`, problem: 'must be 1 to 200 characters' });
    if (!Array.isArray(goal.steps) || goal.steps.length === 0)
      problems.push({ field: `goals.${g}.steps`, problem: 'must list at least one measurable step' });
    goal.steps?.forEach((step, s) => {
      const at = `goals.${g}.steps.${s}`;
      key('step', step.key, `${at}.key`);
      if (!text(step.description, 1000))
        problems.push({ field: `${at}.description`, problem: 'must be 1 to 1000 characters' });
      if (!text(step.ownerRole, 80)) problems.push({ field: `${at}.ownerRole`, problem: 'must be 1 to 80 characters' });
      if (!validDate(step.dueDate)) problems.push({ field: `${at}.dueDate`, problem: 'must be a date (YYYY-MM-DD)' });
      if (!Array.isArray(step.indicators) || step.indicators.length === 0)
        problems.push({ field: `${at}.indicators`, problem: 'must list at least one indicator: steps are measurable' });
      step.indicators?.forEach((ind, i) => {
        key('indicator', ind.key, `${at}.indicators.${i}.key`);
        if (!text(ind.name, 120))
          problems.push({ field: `${at}.indicators.${i}.name`, problem: 'must be 1 to 120 characters' });
        if (!text(ind.unit, 40))
          problems.push({ field: `${at}.indicators.${i}.unit`, problem: 'must be 1 to 40 characters' });
        if (typeof ind.target !== 'number' || !Number.isFinite(ind.target) || ind.target < 0)
          problems.push({ field: `${at}.indicators.${i}.target`, problem: 'must be a number of at least 0' });
      });
    });
  });
}

/** The plan's content as stored: trimmed text, nothing but the known fields. */
const normalised = (goals: Goal[]): Goal[] =>
  goals.map((g) => ({
    key: g.key,
    title: g.title.trim(),
    steps: g.steps.map((s) => ({
      key: s.key,
      description: s.description.trim(),
      ownerRole: s.ownerRole.trim(),
      dueDate: s.dueDate,
      indicators: s.indicators.map((i) => ({ key: i.key, name: i.name.trim(), unit: i.unit.trim(), target: i.target })),
    })),
  }));

function member(actor: Actor, facts: MemberFacts): PlanActor & { agencyId: string } {
  if (actor.role !== AGENCY_ADMIN || actor.agencyId === null) throw DomainError.of(E.notAnAgencyAdmin);
  if (facts.agencyStatus !== 'active' && facts.agencyStatus !== 'suspended') throw DomainError.of(E.notAMember);
  return { userId: actor.userId, agencyId: actor.agencyId };
}

type Plan = Extract<ActionPlanState, { status: 'active' | 'withdrawn' }>;

/** The plan, for its own agency's admin; any other agency is told it does not exist. */
function ownPlan(state: ActionPlanState, actor: Actor, facts: MemberFacts): { plan: Plan; by: PlanActor } {
  if (state.status === 'none') throw DomainError.of(E.actionPlanNotFound);
  const by = member(actor, facts);
  if (by.agencyId !== state.agencyId) throw DomainError.of(E.actionPlanNotFound);
  return { plan: state, by };
}

function activePlan(state: ActionPlanState, actor: Actor, facts: MemberFacts) {
  const own = ownPlan(state, actor, facts);
  if (own.plan.status === 'withdrawn') throw DomainError.of(E.actionPlanWithdrawn);
  return own;
}

function periodOf(plan: PlanDetails, period: number, now: Date): Period {
  const p = periodsOf(plan).find((x) => x.period === period);
  if (!p) throw DomainError.of(E.periodNotFound);
  if (now.getTime() < Date.parse(p.startsAt)) throw DomainError.of(E.periodNotStarted);
  return p;
}

type Cmd<T extends ActionPlanCommand['type']> = Extract<ActionPlanCommand, { type: T }>;

function file(c: Cmd<'FileActionPlan'>, state: ActionPlanState, { actor, now }: DecisionContext): ActionPlanEvent[] {
  const by = member(actor, c.facts);
  if (state.status !== 'none') throw DomainError.of(E.actionPlanExists);
  const problems: FieldProblem[] = [];
  checkContent(c, problems);
  if (!validDate(c.planYearStart)) problems.push({ field: 'planYearStart', problem: 'must be a date (YYYY-MM-DD)' });
  if (!Number.isInteger(c.years) || c.years < 1 || c.years > MAX_PLAN_YEARS)
    problems.push({ field: 'years', problem: `must be a whole number of years from 1 to ${MAX_PLAN_YEARS}` });
  if (problems.length) throw DomainError.of(E.invalidActionPlan, { fields: problems });
  return [
    {
      type: 'ActionPlanFiled',
      data: {
        planId: c.planId,
        agencyId: by.agencyId,
        title: c.title.trim(),
        planYearStart: c.planYearStart,
        years: c.years,
        reportDueDays: c.reportDueDays,
        goals: normalised(c.goals),
        filedBy: by,
        filedAt: now.toISOString(),
      },
    },
  ];
}

function amend(c: Cmd<'AmendActionPlan'>, state: ActionPlanState, { actor, now }: DecisionContext): ActionPlanEvent[] {
  const { plan, by } = activePlan(state, actor, c.facts);
  const problems: FieldProblem[] = [];
  checkContent(c, problems);
  if (problems.length) throw DomainError.of(E.invalidActionPlan, { fields: problems });
  return [
    {
      type: 'ActionPlanAmended',
      data: {
        planId: plan.planId,
        agencyId: plan.agencyId,
        planVersion: plan.planVersion + 1,
        title: c.title.trim(),
        goals: normalised(c.goals),
        amendedBy: by,
        amendedAt: now.toISOString(),
      },
    },
  ];
}

function withdraw(c: Cmd<'WithdrawActionPlan'>, state: ActionPlanState, { actor, now }: DecisionContext) {
  const { plan, by } = activePlan(state, actor, c.facts);
  if (c.reason !== null && !text(c.reason, 1000))
    throw DomainError.of(E.invalidActionPlan, {
      fields: [{ field: 'reason', problem: 'must be 1 to 1000 characters' }],
    });
  return [
    {
      type: 'ActionPlanWithdrawn',
      data: {
        planId: plan.planId,
        agencyId: plan.agencyId,
        reason: c.reason?.trim() ?? null,
        withdrawnBy: by,
        withdrawnAt: now.toISOString(),
      },
    },
  ] satisfies ActionPlanEvent[];
}

function progress(c: Cmd<'RecordStepProgress'>, state: ActionPlanState, { actor, now }: DecisionContext) {
  const { plan, by } = activePlan(state, actor, c.facts);
  const goal = plan.goals.find((g) => g.steps.some((s) => s.key === c.stepKey));
  const step = goal?.steps.find((s) => s.key === c.stepKey);
  if (!goal || !step) throw DomainError.of(E.stepNotFound);
  const problems: FieldProblem[] = [];
  if (!STEP_STATUSES.includes(c.status)) problems.push({ field: 'status', problem: 'is not known' });
  const named = new Set<string>();
  c.values.forEach((v, i) => {
    if (!step.indicators.some((ind) => ind.key === v.indicatorKey))
      problems.push({ field: `indicators.${i}.key`, problem: 'is not an indicator of this step' });
    else if (named.has(v.indicatorKey)) problems.push({ field: `indicators.${i}.key`, problem: 'is given twice' });
    named.add(v.indicatorKey);
    if (typeof v.value !== 'number' || !Number.isFinite(v.value) || v.value < 0)
      problems.push({ field: `indicators.${i}.value`, problem: 'must be a number of at least 0' });
  });
  if (c.note !== null && !text(c.note, 2000)) problems.push({ field: 'note', problem: 'must be 1 to 2000 characters' });
  if (problems.length) throw DomainError.of(E.invalidProgress, { fields: problems });
  return [
    {
      type: 'StepProgressRecorded',
      data: {
        planId: plan.planId,
        agencyId: plan.agencyId,
        goalKey: goal.key,
        stepKey: step.key,
        status: c.status,
        values: c.values.map((v) => ({ indicatorKey: v.indicatorKey, value: v.value })),
        note: c.note?.trim() ?? null,
        recordedBy: by,
        recordedAt: now.toISOString(),
      },
    },
  ] satisfies ActionPlanEvent[];
}

function draft(c: Cmd<'DraftProgressReport'>, state: ActionPlanState, { actor, now }: DecisionContext) {
  const { plan, by } = activePlan(state, actor, c.facts);
  periodOf(plan, c.period, now);
  if (settled(plan.reports[c.period])) throw DomainError.of(E.reportNotEditable);
  const problems: FieldProblem[] = [];
  if (!text(c.learning, 10_000)) problems.push({ field: 'learning', problem: 'must be 1 to 10000 characters' });
  if (!text(c.challenges, 10_000)) problems.push({ field: 'challenges', problem: 'must be 1 to 10000 characters' });
  if (problems.length) throw DomainError.of(E.invalidActionPlan, { fields: problems });
  return [
    {
      type: 'ProgressReportDrafted',
      data: {
        planId: plan.planId,
        agencyId: plan.agencyId,
        period: c.period,
        learning: c.learning.trim(),
        challenges: c.challenges.trim(),
        draftedBy: by,
        draftedAt: now.toISOString(),
      },
    },
  ] satisfies ActionPlanEvent[];
}

function submit(c: Cmd<'SubmitProgressReport'>, state: ActionPlanState, { actor, now }: DecisionContext) {
  const { plan, by } = activePlan(state, actor, c.facts);
  const period = periodOf(plan, c.period, now);
  const report = plan.reports[c.period];
  if (!report) throw DomainError.of(E.reportNotDrafted);
  if (settled(report)) throw DomainError.of(E.reportNotEditable);
  // The figures as of the end of the plan year (or now, when submitted early), from the updates.
  const asOf = new Date(Math.min(now.getTime(), Date.parse(period.endsAt)));
  return [
    {
      type: 'ProgressReportSubmitted',
      data: {
        planId: plan.planId,
        agencyId: plan.agencyId,
        period: c.period,
        learning: report.learning,
        challenges: report.challenges,
        figures: figuresOf(plan, asOf),
        submittedBy: by,
        submittedAt: now.toISOString(),
      },
    },
  ] satisfies ActionPlanEvent[];
}

function review(c: Cmd<'ReviewProgressReport'>, state: ActionPlanState, { actor, now }: DecisionContext) {
  if (actor.role !== NETWORK_ADMIN) throw DomainError.of(E.notANetworkAdmin);
  if (state.status === 'none') throw DomainError.of(E.actionPlanNotFound);
  const report = state.reports[c.period];
  if (!periodsOf(state).some((p) => p.period === c.period)) throw DomainError.of(E.periodNotFound);
  if (report?.status !== 'submitted') throw DomainError.of(E.reportNotSubmitted);
  const reviewedBy = { userId: actor.userId, agencyId: actor.agencyId };
  const base = {
    planId: state.planId,
    agencyId: state.agencyId,
    period: c.period,
    reviewedBy,
    reviewedAt: now.toISOString(),
  };
  if (c.outcome === 'accepted') {
    if (c.reason !== null)
      throw DomainError.of(E.invalidReview, {
        fields: [{ field: 'reason', problem: 'is given only when requesting changes' }],
      });
    return [{ type: 'ProgressReportAccepted', data: base }] satisfies ActionPlanEvent[];
  }
  if (c.outcome !== 'changes-requested')
    throw DomainError.of(E.invalidReview, { fields: [{ field: 'outcome', problem: 'is not known' }] });
  if (c.reason === null || !text(c.reason, 2000))
    throw DomainError.of(E.invalidReview, {
      fields: [{ field: 'reason', problem: 'must say which changes are needed (1 to 2000 characters)' }],
    });
  return [
    { type: 'ProgressReportChangesRequested', data: { ...base, reason: c.reason.trim() } },
  ] satisfies ActionPlanEvent[];
}

/**
 * The reminder job's decision: only what `reminderDue` owes now, only once (the stream remembers
 * every reminder sent, so a restart or a second process sends nothing again).
 */
function remind(c: Cmd<'SendReportReminder'>, state: ActionPlanState, { now }: DecisionContext): ActionPlanEvent[] {
  if (state.status !== 'active') throw DomainError.of(E.actionPlanNotFound);
  const period = periodsOf(state).find((p) => p.period === c.period);
  if (!period) throw DomainError.of(E.periodNotFound);
  const due = reminderDue(period, state.reports[c.period], [c.leadDays], now);
  if (!due || due.kind !== c.kind || (c.kind === 'due-soon' && due.leadDays !== c.leadDays))
    throw DomainError.of(E.reminderNotDue);
  const key = reminderKey(c.period, c.kind, due.leadDays);
  if (state.reminders.includes(key)) throw DomainError.of(E.reminderAlreadySent);
  return [
    {
      type: 'ProgressReportReminderSent',
      data: {
        reminderId: reminderIdOf(state.planId, key),
        agencyId: state.agencyId,
        planId: state.planId,
        period: c.period,
        dueAt: period.dueAt,
        kind: c.kind,
        leadDays: due.leadDays,
        sentAt: now.toISOString(),
      },
    },
  ];
}

const withReport = (plan: Plan, period: number, at: string, change: Partial<ProgressReport>): Plan => {
  const before: ProgressReport = plan.reports[period] ?? {
    period,
    status: 'draft',
    learning: '',
    challenges: '',
    figures: null,
    submissions: 0,
    submittedAt: null,
    reviewedAt: null,
    changesRequested: null,
    updatedAt: at,
  };
  return { ...plan, updatedAt: at, reports: { ...plan.reports, [period]: { ...before, ...change, updatedAt: at } } };
};

/**
 * An agency's action plan: filed by its agency admin → amended (each a new plan version) →
 * withdrawn; progress per step; one progress report per plan year (draft → submitted → accepted,
 * or changes requested → resubmitted); reminders before and after each report's deadline.
 */
export const actionPlanDecider: Decider<ActionPlanState, ActionPlanCommand, ActionPlanEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, context) {
    switch (command.type) {
      case 'FileActionPlan':
        return file(command, state, context);
      case 'AmendActionPlan':
        return amend(command, state, context);
      case 'WithdrawActionPlan':
        return withdraw(command, state, context);
      case 'RecordStepProgress':
        return progress(command, state, context);
      case 'DraftProgressReport':
        return draft(command, state, context);
      case 'SubmitProgressReport':
        return submit(command, state, context);
      case 'ReviewProgressReport':
        return review(command, state, context);
      case 'SendReportReminder':
        return remind(command, state, context);
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${(unknown as { type: string }).type}`);
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'ActionPlanFiled') {
      const d = event.data;
      return {
        status: 'active',
        planId: d.planId,
        agencyId: d.agencyId,
        title: d.title,
        planYearStart: d.planYearStart,
        years: d.years,
        reportDueDays: d.reportDueDays,
        planVersion: 1,
        goals: d.goals,
        progress: [],
        reports: {},
        reminders: [],
        filedAt: d.filedAt,
        updatedAt: d.filedAt,
        withdrawnAt: null,
      };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'ActionPlanAmended':
        return {
          ...state,
          title: event.data.title,
          goals: event.data.goals,
          planVersion: event.data.planVersion,
          updatedAt: event.data.amendedAt,
        };
      case 'ActionPlanWithdrawn':
        return {
          ...state,
          status: 'withdrawn',
          withdrawnAt: event.data.withdrawnAt,
          updatedAt: event.data.withdrawnAt,
        };
      case 'StepProgressRecorded': {
        const d = event.data;
        const entry: ProgressEntry = {
          goalKey: d.goalKey,
          stepKey: d.stepKey,
          status: d.status,
          values: d.values,
          note: d.note,
          recordedBy: d.recordedBy.userId,
          recordedAt: d.recordedAt,
        };
        return { ...state, progress: [...state.progress, entry], updatedAt: d.recordedAt };
      }
      case 'ProgressReportDrafted': {
        const d = event.data;
        const prior = state.reports[d.period];
        return withReport(state, d.period, d.draftedAt, {
          // Redrafting after changes were requested keeps the reason on show until resubmission.
          status: prior?.status === 'changes-requested' ? 'changes-requested' : 'draft',
          learning: d.learning,
          challenges: d.challenges,
        });
      }
      case 'ProgressReportSubmitted': {
        const d = event.data;
        const prior = state.reports[d.period];
        return withReport(state, d.period, d.submittedAt, {
          status: 'submitted',
          learning: d.learning,
          challenges: d.challenges,
          figures: d.figures,
          submissions: (prior?.submissions ?? 0) + 1,
          submittedAt: d.submittedAt,
        });
      }
      case 'ProgressReportAccepted':
        return withReport(state, event.data.period, event.data.reviewedAt, {
          status: 'accepted',
          reviewedAt: event.data.reviewedAt,
          changesRequested: null,
        });
      case 'ProgressReportChangesRequested':
        return withReport(state, event.data.period, event.data.reviewedAt, {
          status: 'changes-requested',
          reviewedAt: event.data.reviewedAt,
          changesRequested: event.data.reason,
        });
      case 'ProgressReportReminderSent': {
        const d = event.data;
        return { ...state, reminders: [...state.reminders, reminderKey(d.period, d.kind, d.leadDays)] };
      }
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};
