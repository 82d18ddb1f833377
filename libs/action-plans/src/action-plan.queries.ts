import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '@harbour/auth';
import { DomainError } from '@harbour/kernel';
import {
  type ActionPlanState,
  figuresOf,
  isOverdue,
  NETWORK_ADMIN,
  type PlanDetails,
  periodsOf,
  planEndsAt,
} from './action-plan.decider.js';
import { ActionPlanErrors as E } from './errors.js';

type Plan = Extract<ActionPlanState, { status: 'active' | 'withdrawn' }>;
const iso = (d: Date | string) => new Date(d).toISOString();
const round = (n: number) => Math.round(n * 1e6) / 1e6;

interface ReminderRow {
  reminder_id: string;
  agency_id: string;
  plan_id: string;
  period: number;
  kind: string;
  lead_days: number;
  due_at: Date;
  sent_at: Date;
}
const reminderView = (r: ReminderRow) => ({
  reminderId: r.reminder_id,
  agencyId: r.agency_id,
  planId: r.plan_id,
  period: r.period,
  kind: r.kind,
  leadDays: r.lead_days,
  dueAt: iso(r.due_at),
  sentAt: iso(r.sent_at),
});

/** The plan's steps with their latest status and indicator values. */
function goalsView(plan: PlanDetails) {
  const latest = new Map<string, { status: string; at: string }>();
  const values = new Map<string, number>();
  for (const p of plan.progress) {
    latest.set(p.stepKey, { status: p.status, at: p.recordedAt });
    for (const v of p.values) values.set(`${p.stepKey}/${v.indicatorKey}`, v.value);
  }
  return plan.goals.map((g) => ({
    key: g.key,
    title: g.title,
    steps: g.steps.map((s) => ({
      key: s.key,
      description: s.description,
      ownerRole: s.ownerRole,
      dueDate: s.dueDate,
      status: latest.get(s.key)?.status ?? 'not-started',
      lastUpdateAt: latest.get(s.key)?.at ?? null,
      indicators: s.indicators.map((i) => ({ ...i, value: values.get(`${s.key}/${i.key}`) ?? null })),
    })),
  }));
}

/** The latest value of every indicator of a plan (the basis of the network's totals). */
function latestValues(plan: PlanDetails) {
  const values = new Map<string, number>();
  for (const p of plan.progress) for (const v of p.values) values.set(`${p.stepKey}/${v.indicatorKey}`, v.value);
  return plan.goals.flatMap((g) =>
    g.steps.flatMap((s) =>
      s.indicators.map((i) => ({
        name: i.name,
        unit: i.unit,
        target: i.target,
        value: values.get(`${s.key}/${i.key}`) ?? null,
      })),
    ),
  );
}

export interface MemberRow {
  agencyId: string;
  name: string;
  sector: string;
  tier: string | null;
  status: string;
  openRemovalMotion: boolean;
  currentPlans: number;
  overdueReports: number;
  oldestOverdueDueAt: string | null;
}

export interface IndicatorTotal {
  name: string;
  unit: string;
  agencies: number;
  plans: number;
  value: number;
  target: number;
}

export interface NetworkView {
  asOf: string;
  members: MemberRow[];
  overdue: Array<{
    agencyId: string;
    agencyName: string;
    planId: string;
    period: number;
    dueAt: string;
    reportStatus: string;
  }>;
  indicators: IndicatorTotal[];
}

/** Reads of action plans (read models only). Agencies see their own plans; network admins see every plan. */
@Injectable()
export class ActionPlanQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private async plans(where: string, params: unknown[]): Promise<Plan[]> {
    const rows: Array<{ doc: Plan }> = await this.db.query(`SELECT doc FROM action_plans ${where}`, params);
    return rows.map((r) => r.doc);
  }

  private canSee(principal: Principal, agencyId: string) {
    return principal.roles.includes(NETWORK_ADMIN) || principal.agencyId === agencyId;
  }

  async get(principal: Principal, planId: string, now: Date) {
    const [plan] = await this.plans('WHERE plan_id = $1', [planId]);
    // Another agency's plan is not found: the answer says nothing of which plans exist.
    if (!plan || !this.canSee(principal, plan.agencyId)) throw DomainError.of(E.actionPlanNotFound);
    const [names, reminders] = await Promise.all([
      this.db.query<Array<{ name: string }>>('SELECT name FROM network_agencies WHERE agency_id = $1', [plan.agencyId]),
      this.db.query<ReminderRow[]>(
        'SELECT * FROM action_plan_reminders WHERE plan_id = $1 ORDER BY sent_at, reminder_id',
        [planId],
      ),
    ]);
    return {
      planId: plan.planId,
      agencyId: plan.agencyId,
      agencyName: names[0]?.name ?? null,
      status: plan.status,
      title: plan.title,
      planYearStart: plan.planYearStart,
      years: plan.years,
      endsAt: planEndsAt(plan),
      planVersion: plan.planVersion,
      filedAt: plan.filedAt,
      updatedAt: plan.updatedAt,
      withdrawnAt: plan.withdrawnAt,
      goals: goalsView(plan),
      updates: plan.progress.map((p) => ({ ...p })),
      periods: periodsOf(plan).map((p) => {
        const report = plan.reports[p.period];
        const asOf = new Date(Math.min(now.getTime(), Date.parse(p.endsAt)));
        return {
          ...p,
          overdue: plan.status === 'active' && isOverdue(p, report, now),
          report: report
            ? {
                ...report,
                // A draft shows the figures it would be submitted with; a submitted report its frozen ones.
                figures: report.figures ?? figuresOf(plan, asOf),
              }
            : null,
        };
      }),
      reminders: reminders.map(reminderView),
    };
  }

  async list(principal: Principal, limit: number) {
    const all = principal.roles.includes(NETWORK_ADMIN);
    const rows: Array<{
      plan_id: string;
      agency_id: string;
      status: string;
      title: string;
      plan_year_start: string;
      ends_at: Date;
      plan_version: number;
      filed_at: Date;
      updated_at: Date;
    }> = await this.db.query(
      `SELECT plan_id, agency_id, status, title, to_char(plan_year_start, 'YYYY-MM-DD') AS plan_year_start, ends_at,
              plan_version, filed_at, updated_at
         FROM action_plans WHERE ($1::boolean OR agency_id = $2::uuid) ORDER BY filed_at DESC, plan_id LIMIT $3`,
      [all, principal.agencyId, limit],
    );
    return {
      items: rows.map((r) => ({
        planId: r.plan_id,
        agencyId: r.agency_id,
        status: r.status,
        title: r.title,
        planYearStart: r.plan_year_start,
        endsAt: iso(r.ends_at),
        planVersion: r.plan_version,
        filedAt: iso(r.filed_at),
        updatedAt: iso(r.updated_at),
      })),
    };
  }

  /** The reminders sent to the caller's agency, newest first (ids and dates only). */
  async reminders(principal: Principal, limit: number) {
    const rows = await this.db.query<ReminderRow[]>(
      'SELECT * FROM action_plan_reminders WHERE agency_id = $1 ORDER BY sent_at DESC, reminder_id LIMIT $2',
      [principal.agencyId, limit],
    );
    return { agencyId: principal.agencyId, items: rows.map(reminderView) };
  }

  /**
   * The network admin's view: every member (active or suspended) with its standing (tier, status,
   * an open removal motion), its current plans and overdue reports; the overdue reports; and the
   * indicator totals of current plans (latest values and targets summed per name and unit).
   */
  async network(now: Date): Promise<NetworkView> {
    const [agencies, motions, plans, names] = await Promise.all([
      this.db.query<Array<{ agency_id: string; name: string; sector: string; tier: string | null; status: string }>>(
        "SELECT agency_id, name, sector, tier, status FROM network_agencies WHERE status IN ('active', 'suspended') ORDER BY name, agency_id",
      ),
      this.db.query<Array<{ agency_id: string }>>(
        "SELECT DISTINCT agency_id FROM network_motions WHERE outcome = 'open'",
      ),
      this.plans("WHERE status = 'active' ORDER BY filed_at, plan_id", []),
      this.db.query<Array<{ agency_id: string; name: string }>>('SELECT agency_id, name FROM network_agencies'),
    ]);
    const nameOf = new Map(names.map((n) => [n.agency_id, n.name]));
    const motion = new Set(motions.map((m) => m.agency_id));
    const overdue: NetworkView['overdue'] = [];
    const current = new Map<string, number>();
    const totals = new Map<string, IndicatorTotal & { agencySet: Set<string> }>();
    const memberIds = new Set(agencies.map((a) => a.agency_id));
    for (const plan of plans) {
      // Plans of agencies no longer members (removed, or back to applicant) count for nothing here.
      if (!memberIds.has(plan.agencyId)) continue;
      for (const p of periodsOf(plan)) {
        const report = plan.reports[p.period];
        if (isOverdue(p, report, now))
          overdue.push({
            agencyId: plan.agencyId,
            agencyName: nameOf.get(plan.agencyId) ?? '',
            planId: plan.planId,
            period: p.period,
            dueAt: p.dueAt,
            reportStatus: report?.status ?? 'none',
          });
      }
      if (Date.parse(planEndsAt(plan)) <= now.getTime()) continue;
      current.set(plan.agencyId, (current.get(plan.agencyId) ?? 0) + 1);
      for (const ind of latestValues(plan)) {
        const key = `${ind.name.toLowerCase().replace(/\s+/g, ' ')}\n${ind.unit.toLowerCase()}`;
        const t = totals.get(key) ?? {
          name: ind.name,
          unit: ind.unit,
          agencies: 0,
          plans: 0,
          value: 0,
          target: 0,
          agencySet: new Set(),
        };
        t.agencySet.add(plan.agencyId);
        t.plans++;
        t.value += ind.value ?? 0;
        t.target += ind.target;
        totals.set(key, t);
      }
    }
    overdue.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.planId.localeCompare(b.planId) || a.period - b.period);
    const members = agencies.map((a) => {
      const own = overdue.filter((o) => o.agencyId === a.agency_id);
      return {
        agencyId: a.agency_id,
        name: a.name,
        sector: a.sector,
        tier: a.tier,
        status: a.status,
        openRemovalMotion: motion.has(a.agency_id),
        currentPlans: current.get(a.agency_id) ?? 0,
        overdueReports: own.length,
        oldestOverdueDueAt: own[0]?.dueAt ?? null,
      };
    });
    const indicators = [...totals.values()]
      .map(({ agencySet, ...t }) => ({
        ...t,
        value: round(t.value),
        target: round(t.target),
        agencies: agencySet.size,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.unit.localeCompare(b.unit));
    return { asOf: now.toISOString(), members, overdue, indicators };
  }
}
