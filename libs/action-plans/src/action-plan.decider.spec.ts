import { given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import {
  type ActionPlanCommand,
  actionPlanDecider,
  figuresOf,
  periodsOf,
  reminderDue,
  reminderIdOf,
} from './action-plan.decider.js';
import type { ActionPlanEvent, Goal } from './action-plan.events.js';

const at = new Date('2027-01-15T09:00:00Z');
const on = (iso: string) => ({ now: new Date(iso), actor: admin });
const admin: Actor = { userId: 'ada', agencyId: 'retail', role: 'agency-admin' };
const other: Actor = { userId: 'oli', agencyId: 'bank', role: 'agency-admin' };
const worker: Actor = { userId: 'cas', agencyId: 'retail', role: 'caseworker' };
const network: Actor = { userId: 'net', agencyId: 'secretariat', role: 'network-admin' };
const system: Actor = { userId: 'system:action-plan-reminders', agencyId: null, role: 'system' };
const facts = { agencyStatus: 'active' };

const GOALS: Goal[] = [
  {
    key: 'supply-chain',
    title: 'No forced labour in our supply chain',
    steps: [
      {
        key: 'train',
        description: 'Train procurement officers',
        ownerRole: 'Head of procurement',
        dueDate: '2027-06-30',
        indicators: [{ key: 'trained', name: 'Staff trained', unit: 'people', target: 40 }],
      },
      {
        key: 'audit',
        description: 'Audit tier-1 suppliers',
        ownerRole: 'Compliance lead',
        dueDate: '2027-12-31',
        indicators: [{ key: 'audits', name: 'Supplier audits', unit: 'audits', target: 10 }],
      },
    ],
  },
];

const fileCmd = (over: Partial<Extract<ActionPlanCommand, { type: 'FileActionPlan' }>> = {}): ActionPlanCommand => ({
  type: 'FileActionPlan',
  planId: 'p1',
  title: 'Retail plan',
  planYearStart: '2027-01-01',
  years: 2,
  reportDueDays: 60,
  goals: GOALS,
  facts,
  ...over,
});
const filed: ActionPlanEvent = {
  type: 'ActionPlanFiled',
  data: {
    planId: 'p1',
    agencyId: 'retail',
    title: 'Retail plan',
    planYearStart: '2027-01-01',
    years: 2,
    reportDueDays: 60,
    goals: GOALS,
    filedBy: { userId: 'ada', agencyId: 'retail' },
    filedAt: at.toISOString(),
  },
};
const progressed = (
  stepKey: string,
  status: 'underway' | 'done',
  values: Array<{ indicatorKey: string; value: number }>,
  when: string,
): ActionPlanEvent => ({
  type: 'StepProgressRecorded',
  data: {
    planId: 'p1',
    agencyId: 'retail',
    goalKey: 'supply-chain',
    stepKey,
    status,
    values,
    note: null,
    recordedBy: { userId: 'ada', agencyId: 'retail' },
    recordedAt: when,
  },
});
const drafted = (when = '2028-01-10T09:00:00.000Z'): ActionPlanEvent => ({
  type: 'ProgressReportDrafted',
  data: {
    planId: 'p1',
    agencyId: 'retail',
    period: 1,
    learning: 'Announced audits work',
    challenges: 'Tier-2 is hard to reach',
    draftedBy: { userId: 'ada', agencyId: 'retail' },
    draftedAt: when,
  },
});

describe('action plan decider', () => {
  describe('filing', () => {
    it('an agency admin files a plan for their own agency', () => {
      given(actionPlanDecider).when(fileCmd(), { now: at, actor: admin }).then([filed]);
    });
    it('only an agency admin, of an active or suspended member', () => {
      given(actionPlanDecider)
        .when(fileCmd(), { now: at, actor: worker })
        .thenThrows('not-an-agency-admin', 'forbidden');
      given(actionPlanDecider)
        .when(fileCmd({ facts: { agencyStatus: 'applicant' } }), { now: at, actor: admin })
        .thenThrows('not-a-member', 'forbidden');
    });
    it('keys are unique across the plan, dates are real dates, every step is measurable', () => {
      const dup: Goal[] = [
        {
          ...GOALS[0],
          steps: [
            { ...GOALS[0].steps[0], dueDate: '0000-00-00' },
            { ...GOALS[0].steps[1], key: 'train', indicators: [] },
          ],
        },
      ];
      const error = given(actionPlanDecider)
        .when(fileCmd({ goals: dup, planYearStart: '2027-02-30', years: 9 }), { now: at, actor: admin })
        .thenThrows('invalid-action-plan', 'invalid');
      expect(error.fields.map((f) => f.field)).toEqual([
        'goals.0.steps.0.dueDate',
        'goals.0.steps.1.key',
        'goals.0.steps.1.indicators',
        'planYearStart',
        'years',
      ]);
    });
    it('a plan is filed once', () => {
      given(actionPlanDecider, [filed]).when(fileCmd(), { now: at, actor: admin }).thenThrows('action-plan-exists');
    });
  });

  describe('amending and withdrawing', () => {
    it('an amendment is a new plan version', () => {
      const goals = [{ ...GOALS[0], title: 'Revised goal' }];
      given(actionPlanDecider, [filed])
        .when({ type: 'AmendActionPlan', title: 'Retail plan v2', goals, facts }, on('2027-03-01T00:00:00Z'))
        .then([
          {
            type: 'ActionPlanAmended',
            data: {
              planId: 'p1',
              agencyId: 'retail',
              planVersion: 2,
              title: 'Retail plan v2',
              goals,
              amendedBy: { userId: 'ada', agencyId: 'retail' },
              amendedAt: '2027-03-01T00:00:00.000Z',
            },
          },
        ]);
    });
    it("another agency's admin is told the plan does not exist", () => {
      given(actionPlanDecider, [filed])
        .when({ type: 'AmendActionPlan', title: 'Mine now', goals: GOALS, facts }, { now: at, actor: other })
        .thenThrows('action-plan-not-found', 'not-found');
      given(actionPlanDecider, [filed])
        .when({ type: 'WithdrawActionPlan', reason: null, facts }, { now: at, actor: other })
        .thenThrows('action-plan-not-found');
    });
    it('a withdrawn plan takes no more changes, progress or reports', () => {
      const withdrawn: ActionPlanEvent = {
        type: 'ActionPlanWithdrawn',
        data: {
          planId: 'p1',
          agencyId: 'retail',
          reason: 'Replaced',
          withdrawnBy: { userId: 'ada', agencyId: 'retail' },
          withdrawnAt: at.toISOString(),
        },
      };
      given(actionPlanDecider, [filed])
        .when({ type: 'WithdrawActionPlan', reason: ' Replaced ', facts }, { now: at, actor: admin })
        .then([withdrawn]);
      given(actionPlanDecider, [filed, withdrawn])
        .when(
          { type: 'RecordStepProgress', stepKey: 'train', status: 'done', values: [], note: null, facts },
          { now: at, actor: admin },
        )
        .thenThrows('action-plan-withdrawn', 'conflict');
      given(actionPlanDecider, [filed, withdrawn])
        .when(
          { type: 'SendReportReminder', period: 1, kind: 'overdue', leadDays: 0 },
          { now: new Date('2029-01-01'), actor: system },
        )
        .thenThrows('action-plan-not-found');
    });
  });

  describe('progress', () => {
    it('records a status and values of the step’s own indicators only', () => {
      given(actionPlanDecider, [filed])
        .when(
          {
            type: 'RecordStepProgress',
            stepKey: 'train',
            status: 'underway',
            values: [{ indicatorKey: 'trained', value: 12 }],
            note: null,
            facts,
          },
          on('2027-02-01T00:00:00Z'),
        )
        .then([progressed('train', 'underway', [{ indicatorKey: 'trained', value: 12 }], '2027-02-01T00:00:00.000Z')]);
      const error = given(actionPlanDecider, [filed])
        .when(
          {
            type: 'RecordStepProgress',
            stepKey: 'train',
            status: 'underway',
            values: [{ indicatorKey: 'audits', value: 3 }],
            note: null,
            facts,
          },
          { now: at, actor: admin },
        )
        .thenThrows('invalid-progress', 'invalid');
      expect(error.fields).toEqual([{ field: 'indicators.0.key', problem: 'is not an indicator of this step' }]);
      given(actionPlanDecider, [filed])
        .when(
          { type: 'RecordStepProgress', stepKey: 'nope', status: 'done', values: [], note: null, facts },
          { now: at, actor: admin },
        )
        .thenThrows('step-not-found', 'not-found');
    });
  });

  describe('the annual report', () => {
    const history = [
      filed,
      progressed('train', 'underway', [{ indicatorKey: 'trained', value: 12 }], '2027-03-01T00:00:00.000Z'),
      progressed('train', 'done', [{ indicatorKey: 'trained', value: 40 }], '2027-11-01T00:00:00.000Z'),
      // After plan year 1 ended: belongs to year 2's figures, not year 1's.
      progressed('audit', 'underway', [{ indicatorKey: 'audits', value: 2 }], '2028-01-05T00:00:00.000Z'),
    ];
    it('periods are plan years, each due 60 days after it ends', () => {
      expect(periodsOf(filed.data as never).map((p) => [p.period, p.endsAt, p.dueAt])).toEqual([
        [1, '2028-01-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
        [2, '2029-01-01T00:00:00.000Z', '2029-03-02T00:00:00.000Z'],
      ]);
    });
    it('a report cannot be written before its plan year starts, nor for a year the plan does not have', () => {
      given(actionPlanDecider, history)
        .when(
          { type: 'DraftProgressReport', period: 2, learning: 'x', challenges: 'y', facts },
          on('2027-06-01T00:00:00Z'),
        )
        .thenThrows('report-period-not-started');
      given(actionPlanDecider, history)
        .when(
          { type: 'DraftProgressReport', period: 3, learning: 'x', challenges: 'y', facts },
          on('2027-06-01T00:00:00Z'),
        )
        .thenThrows('report-period-not-found', 'not-found');
    });
    it('submitting needs a draft, and freezes figures computed from the updates as of the plan year’s end', () => {
      given(actionPlanDecider, history)
        .when({ type: 'SubmitProgressReport', period: 1, facts }, on('2028-01-10T00:00:00Z'))
        .thenThrows('report-not-drafted', 'conflict');
      const [submitted] = given(actionPlanDecider, [...history, drafted()])
        .when({ type: 'SubmitProgressReport', period: 1, facts }, on('2028-01-20T00:00:00Z'))
        .then([
          {
            type: 'ProgressReportSubmitted',
            data: {
              planId: 'p1',
              agencyId: 'retail',
              period: 1,
              learning: 'Announced audits work',
              challenges: 'Tier-2 is hard to reach',
              figures: {
                asOf: '2028-01-01T00:00:00.000Z',
                planVersion: 1,
                steps: { total: 2, notStarted: 1, underway: 0, done: 1, dropped: 0 },
                indicators: [
                  {
                    goalKey: 'supply-chain',
                    stepKey: 'train',
                    indicatorKey: 'trained',
                    name: 'Staff trained',
                    unit: 'people',
                    target: 40,
                    value: 40,
                    percentOfTarget: 100,
                  },
                  {
                    goalKey: 'supply-chain',
                    stepKey: 'audit',
                    indicatorKey: 'audits',
                    name: 'Supplier audits',
                    unit: 'audits',
                    target: 10,
                    value: null,
                    percentOfTarget: null,
                  },
                ],
              },
              submittedBy: { userId: 'ada', agencyId: 'retail' },
              submittedAt: '2028-01-20T00:00:00.000Z',
            },
          },
        ]);
      // Once submitted it cannot be redrafted until the network admin asks for changes.
      given(actionPlanDecider, [...history, drafted(), submitted])
        .when(
          { type: 'DraftProgressReport', period: 1, learning: 'more', challenges: 'more', facts },
          on('2028-01-21T00:00:00Z'),
        )
        .thenThrows('report-not-editable', 'conflict');
    });
    it('the network admin accepts, or requests changes with a reason; the agency resubmits', () => {
      const state = [...history, drafted()].reduce(actionPlanDecider.evolve, actionPlanDecider.initialState());
      const [submitted] = actionPlanDecider.decide(
        { type: 'SubmitProgressReport', period: 1, facts },
        state,
        on('2028-01-20T00:00:00Z'),
      );
      const review = (outcome: 'accepted' | 'changes-requested', reason: string | null): ActionPlanCommand => ({
        type: 'ReviewProgressReport',
        period: 1,
        outcome,
        reason,
      });
      const when = { now: new Date('2028-02-01T00:00:00Z'), actor: network };
      const base = {
        planId: 'p1',
        agencyId: 'retail',
        period: 1,
        reviewedBy: { userId: 'net', agencyId: 'secretariat' },
        reviewedAt: '2028-02-01T00:00:00.000Z',
      };
      given(actionPlanDecider, [...history, drafted()])
        .when(review('accepted', null), when)
        .thenThrows('report-not-submitted');
      given(actionPlanDecider, [...history, drafted(), submitted])
        .when(review('accepted', null), when)
        .then([{ type: 'ProgressReportAccepted', data: base }]);
      given(actionPlanDecider, [...history, drafted(), submitted])
        .when(review('accepted', null), { ...when, actor: worker })
        .thenThrows('not-a-network-admin', 'forbidden');
      given(actionPlanDecider, [...history, drafted(), submitted])
        .when(review('changes-requested', null), when)
        .thenThrows('invalid-review', 'invalid');
      const changes: ActionPlanEvent = {
        type: 'ProgressReportChangesRequested',
        data: { ...base, reason: 'Add audit figures' },
      };
      given(actionPlanDecider, [...history, drafted(), submitted])
        .when(review('changes-requested', 'Add audit figures'), when)
        .then([changes]);
      // Changes requested: the agency redrafts and submits again (a second submission).
      const after = [...history, drafted(), submitted, changes, drafted('2028-02-02T00:00:00.000Z')];
      const [again] = given(actionPlanDecider, after)
        .when({ type: 'SubmitProgressReport', period: 1, facts }, on('2028-02-03T00:00:00Z'))
        .then([
          { ...submitted, data: { ...submitted.data, submittedAt: '2028-02-03T00:00:00.000Z' } } as ActionPlanEvent,
        ]);
      const final = [...after, again].reduce(actionPlanDecider.evolve, actionPlanDecider.initialState());
      expect(final.status === 'active' && final.reports[1]).toMatchObject({
        status: 'submitted',
        submissions: 2,
        changesRequested: 'Add audit figures',
      });
    });
  });
});

describe('reminders', () => {
  const period = periodsOf({ planYearStart: '2027-01-01', years: 1, reportDueDays: 60 })[0];
  const before = (days: number) => new Date(Date.parse(period.dueAt) - days * 86_400_000);
  it('the shortest lead whose window is open; overdue from the deadline; none once submitted', () => {
    expect(reminderDue(period, undefined, [30, 7], before(31))).toBeNull();
    expect(reminderDue(period, undefined, [30, 7], before(30))).toEqual({ kind: 'due-soon', leadDays: 30 });
    expect(reminderDue(period, undefined, [30, 7], before(6))).toEqual({ kind: 'due-soon', leadDays: 7 });
    expect(reminderDue(period, undefined, [30, 7], before(0))).toEqual({ kind: 'overdue', leadDays: 0 });
    const submitted = { status: 'submitted' } as never;
    expect(reminderDue(period, submitted, [30, 7], before(-10))).toBeNull();
  });
  const sent = (kind: 'due-soon' | 'overdue', leadDays: number, when: Date): ActionPlanEvent => ({
    type: 'ProgressReportReminderSent',
    data: {
      reminderId: reminderIdOf('p1', `1:${kind}:${leadDays}`),
      agencyId: 'retail',
      planId: 'p1',
      period: 1,
      dueAt: '2028-03-01T00:00:00.000Z',
      kind,
      leadDays,
      sentAt: when.toISOString(),
    },
  });
  const due = (days: number) => new Date(Date.parse('2028-03-01T00:00:00Z') - days * 86_400_000);
  it('is sent once (ids and dates only), never twice, and not before it is due', () => {
    given(actionPlanDecider, [filed])
      .when({ type: 'SendReportReminder', period: 1, kind: 'due-soon', leadDays: 30 }, { now: due(29), actor: system })
      .then([sent('due-soon', 30, due(29))]);
    given(actionPlanDecider, [filed, sent('due-soon', 30, due(29))])
      .when({ type: 'SendReportReminder', period: 1, kind: 'due-soon', leadDays: 30 }, { now: due(28), actor: system })
      .thenThrows('reminder-already-sent', 'conflict');
    given(actionPlanDecider, [filed])
      .when({ type: 'SendReportReminder', period: 1, kind: 'due-soon', leadDays: 7 }, { now: due(29), actor: system })
      .thenThrows('reminder-not-due');
    given(actionPlanDecider, [filed, sent('due-soon', 30, due(29))])
      .when({ type: 'SendReportReminder', period: 1, kind: 'overdue', leadDays: 0 }, { now: due(-1), actor: system })
      .then([sent('overdue', 0, due(-1))]);
  });
  it('the figures of an empty plan count every step as not started', () => {
    const state = actionPlanDecider.evolve(actionPlanDecider.initialState(), filed);
    if (state.status === 'none') throw new Error('filed');
    expect(figuresOf(state, at).steps).toEqual({ total: 2, notStarted: 2, underway: 0, done: 0, dropped: 0 });
  });
});
