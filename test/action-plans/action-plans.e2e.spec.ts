import type request from 'supertest';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActionPlanReminders } from '@harbour/action-plans';
import { AggregateRepository, EventStore } from '@harbour/event-store';
import { AlwaysHeldJobLock, CLOCK, type FixedClock, HarbourConfig, PeriodicJobs } from '@harbour/kernel';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';

/** Synthetic plan text: none of it may reach the network view, the reminders or another agency. */
const MARKER = 'SYNTH-PLAN-TEXT-4417';
const DAY = 86_400_000;

const goals = (over: { name?: string; unit?: string; target?: number } = {}) => [
  {
    key: 'supply-chain',
    title: `Supply chain free of forced labour ${MARKER}`,
    steps: [
      {
        key: 'train',
        description: `Train procurement officers ${MARKER}`,
        ownerRole: 'Head of procurement',
        dueDate: '2026-12-31',
        indicators: [
          {
            key: 'trained',
            name: over.name ?? 'Staff trained',
            unit: over.unit ?? 'people',
            target: over.target ?? 40,
          },
        ],
      },
      {
        key: 'audit',
        description: 'Audit tier-1 suppliers',
        ownerRole: 'Compliance lead',
        dueDate: '2027-06-30',
        indicators: [{ key: 'audits', name: 'Supplier audits', unit: 'audits', target: 10 }],
      },
    ],
  },
];
const PLAN = { title: `Synthetic Retail plan ${MARKER}`, planYearStart: '2026-01-01', years: 2, goals: goals() };
// Plan year 1 ends 2027-01-01; its report is due 60 days later.
const DUE_1 = Date.parse('2027-03-02T00:00:00.000Z');

describe('action plans over HTTP: file, progress, annual report and review, reminders, network view', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let net: TestNetwork;
  let clock: FixedClock;
  let reminders: ActionPlanReminders;
  const ids: Record<string, string> = {};
  const auth = (userId: string) => net.auth(userId);
  const as = async (userId: string, r: request.Test) => r.set('Authorization', await auth(userId));

  beforeAll(async () => {
    t = await startTestApp();
    clock = t.clock as FixedClock;
    net = await buildNetwork(t, { name: 'Synthetic Network Secretariat', sector: 'other' });
    http = net.http;
    reminders = t.app.get(ActionPlanReminders);
    await reminders.stop(); // the test drives the job itself, moving the clock by months
    ids.shelter = await net.apply('Synthetic Shelter', 'shelter');
    await net.admit(ids.shelter);
    await net.staff(ids.shelter, 'shelter-admin', ['agency-admin']);
    for (const [key, name] of [
      ['retail', 'Synthetic Retail Co'],
      ['bank', 'Synthetic Bank'],
    ]) {
      ids[key] = await net.apply(name, 'corporate');
      await net.endorse(ids[key], ['admin', 'shelter-admin']);
    }
    await net.staff(ids.retail, 'rita', ['agency-admin']);
    await net.staff(ids.retail, 'cas', ['caseworker']);
    await net.staff(ids.bank, 'bob', ['agency-admin']);
  });
  afterAll(() => t.close());

  const file = async (by: string, body: object, key?: string) => {
    const r = http.post('/v1/action-plans').set('Authorization', await auth(by));
    if (key) r.set('Idempotency-Key', key);
    return r.send(body);
  };
  const plan = async (planId: string, by = 'rita') =>
    http.get(`/v1/action-plans/${planId}`).set('Authorization', await auth(by));
  const progress = async (planId: string, step: string, body: object, by = 'rita') =>
    http
      .post(`/v1/action-plans/${planId}/steps/${step}/progress`)
      .set('Authorization', await auth(by))
      .send(body);
  const network = async (query = '') => as('admin', http.get(`/v1/action-plans/network${query}`));
  const stream = async (id: string) =>
    (await t.app.get(EventStore).readStream(id)).map((e) => ({ type: e.type, data: e.data as any }));

  it('refuses bad input naming the field, and callers who are not agency admins', async () => {
    const bad = await file('rita', {
      ...PLAN,
      goals: [{ ...PLAN.goals[0], steps: [{ ...PLAN.goals[0].steps[0], dueDate: 'soon' }] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'validation-failed' });
    expect(bad.body.errors).toContainEqual(expect.objectContaining({ field: 'goals.0.steps.0.dueDate' }));

    const twice = goals();
    twice[0].steps[1].key = 'train';
    const dup = await file('rita', { ...PLAN, goals: twice });
    expect(dup.body).toMatchObject({ status: 400, code: 'invalid-action-plan' });
    expect(dup.body.errors).toEqual([{ field: 'goals.0.steps.1.key', problem: 'is used by another step of the plan' }]);
    expect(JSON.stringify(dup.body)).not.toContain(MARKER);

    expect((await file('rita', { ...PLAN, years: 9 })).body).toMatchObject({ status: 400, code: 'validation-failed' });
    expect((await file('cas', PLAN)).body).toMatchObject({ status: 403, code: 'missing-role' });
  });

  it('an agency admin files a plan (idempotently); only their agency and the network admin can see it', async () => {
    const filed = await file('rita', PLAN, 'file-retail-plan-1');
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      agencyId: ids.retail,
      status: 'active',
      planVersion: 1,
      version: 0,
      report: null,
    });
    ids.plan = filed.body.planId;
    // The same key again answers the same plan; with another body it is refused.
    expect((await file('rita', PLAN, 'file-retail-plan-1')).body.planId).toBe(ids.plan);
    expect((await file('rita', { ...PLAN, years: 1 }, 'file-retail-plan-1')).body).toMatchObject({
      status: 400,
      code: 'idempotency-key-reused',
    });
    expect((await stream(`action-plan-${ids.plan}`)).map((e) => e.type)).toEqual(['ActionPlanFiled']);

    const own = await eventually(async () => {
      const r = await plan(ids.plan);
      expect(r.status).toBe(200);
      return r;
    });
    expect(own.body).toMatchObject({
      planId: ids.plan,
      agencyName: 'Synthetic Retail Co',
      years: 2,
      endsAt: '2028-01-01T00:00:00.000Z',
      periods: [
        {
          period: 1,
          endsAt: '2027-01-01T00:00:00.000Z',
          dueAt: '2027-03-02T00:00:00.000Z',
          overdue: false,
          report: null,
        },
        { period: 2, dueAt: '2028-03-01T00:00:00.000Z' },
      ],
    });
    expect(own.body.goals[0].steps[0]).toMatchObject({ key: 'train', status: 'not-started', lastUpdateAt: null });
    expect((await plan(ids.plan, 'admin')).status).toBe(200);

    // Another agency cannot read or touch it, and is not told it exists.
    expect((await plan(ids.plan, 'bob')).body).toMatchObject({ status: 404, code: 'action-plan-not-found' });
    expect(
      (await as('bob', http.put(`/v1/action-plans/${ids.plan}`).send({ title: 'Mine', goals: goals() }))).body,
    ).toMatchObject({
      status: 404,
      code: 'action-plan-not-found',
    });
    expect((await progress(ids.plan, 'train', { status: 'done' }, 'bob')).body).toMatchObject({
      code: 'action-plan-not-found',
    });
    expect((await as('bob', http.post(`/v1/action-plans/${ids.plan}/withdrawal`).send({}))).body).toMatchObject({
      code: 'action-plan-not-found',
    });
    expect((await plan(ids.plan, 'cas')).body).toMatchObject({ status: 403, code: 'missing-role' });
    const lists = await as('bob', http.get('/v1/action-plans'));
    expect(lists.body.items).toEqual([]);
  });

  it('records progress per step and amends the plan as a new version, keeping progress by key', async () => {
    const r = await progress(ids.plan, 'train', {
      status: 'underway',
      indicators: [{ key: 'trained', value: 12 }],
      note: `First cohort ${MARKER}`,
    });
    expect(r.status).toBe(201);
    expect((await progress(ids.plan, 'train', { status: 'finished' })).body).toMatchObject({
      status: 400,
      code: 'validation-failed',
    });
    expect(
      (await progress(ids.plan, 'train', { status: 'done', indicators: [{ key: 'audits', value: 1 }] })).body,
    ).toMatchObject({
      status: 400,
      code: 'invalid-progress',
      errors: [{ field: 'indicators.0.key', problem: 'is not an indicator of this step' }],
    });
    expect((await progress(ids.plan, 'nope', { status: 'done' })).body).toMatchObject({
      status: 404,
      code: 'step-not-found',
    });

    const amended = goals({ target: 50 });
    // If-Match with a version the plan has moved on from: refused, nothing written.
    const stale = await as(
      'rita',
      http.put(`/v1/action-plans/${ids.plan}`).set('If-Match', '"0"').send({ title: PLAN.title, goals: amended }),
    );
    expect(stale.body).toMatchObject({ status: 409, code: 'concurrency-conflict' });
    const a = await as('rita', http.put(`/v1/action-plans/${ids.plan}`).send({ title: PLAN.title, goals: amended }));
    expect(a.body).toMatchObject({ planVersion: 2, version: 2 });
    await eventually(async () => {
      const view = (await plan(ids.plan)).body;
      expect(view.planVersion).toBe(2);
      expect(view.goals[0].steps[0]).toMatchObject({
        status: 'underway',
        indicators: [{ key: 'trained', target: 50, value: 12 }],
      });
      expect(view.updates).toHaveLength(1);
    });
  });

  it('reminds the agency 30 and 7 days before the deadline and when overdue: once each, ids only, also after a restart', async () => {
    clock.set(new Date(DUE_1 - 31 * DAY));
    expect(await reminders.sweep()).toBe(0);
    clock.set(new Date(DUE_1 - 29 * DAY));
    expect(await reminders.sweep()).toBe(1);
    expect(await reminders.sweep()).toBe(0);
    // A fresh job (as after a restart: it keeps no memory of its own) sends nothing again.
    const fresh = new ActionPlanReminders(
      t.app.get(AggregateRepository),
      t.app.get<DataSource>(getDataSourceToken()),
      t.app.get(CLOCK),
      t.app.get(HarbourConfig),
      new PeriodicJobs(t.app.get(HarbourConfig), new AlwaysHeldJobLock()),
    );
    expect(await fresh.sweep()).toBe(0);
    clock.set(new Date(DUE_1 - 6 * DAY));
    const [a, b] = await Promise.all([reminders.sweep(), fresh.sweep()]);
    expect(a + b).toBe(1); // two processes at once: one reminder
    clock.set(new Date(DUE_1 + DAY));
    expect(await reminders.sweep()).toBe(1);
    expect(await reminders.sweep()).toBe(0);

    const sent = (await stream(`action-plan-${ids.plan}`)).filter((e) => e.type === 'ProgressReportReminderSent');
    expect(sent.map((e) => [e.data.kind, e.data.leadDays])).toEqual([
      ['due-soon', 30],
      ['due-soon', 7],
      ['overdue', 0],
    ]);
    expect(Object.keys(sent[0].data).sort()).toEqual([
      'agencyId',
      'dueAt',
      'kind',
      'leadDays',
      'period',
      'planId',
      'reminderId',
      'sentAt',
    ]);
    expect(sent[0].data).toMatchObject({
      agencyId: ids.retail,
      planId: ids.plan,
      period: 1,
      dueAt: '2027-03-02T00:00:00.000Z',
    });

    const listed = await eventually(async () => {
      const r = await as('rita', http.get('/v1/action-plans/reminders'));
      expect(r.body.items).toHaveLength(3);
      return r;
    });
    expect(listed.body.items[0]).toMatchObject({ kind: 'overdue', planId: ids.plan, agencyId: ids.retail, period: 1 });
    expect(JSON.stringify(listed.body)).not.toContain(MARKER);
    expect((await as('bob', http.get('/v1/action-plans/reminders'))).body.items).toEqual([]);

    // Each reminder also reaches the agency as a notification (in-app and its webhook), ids only.
    const notified = await eventually(async () => {
      const r = await as('rita', http.get('/v1/notifications'));
      const mine = r.body.items.filter((n: { type: string }) => n.type === 'action-plan.report-reminder');
      expect(mine).toHaveLength(3);
      return mine as Array<{ subject: Record<string, unknown> }>;
    });
    expect(notified.map((n) => n.subject.kind).sort()).toEqual(['due-soon', 'due-soon', 'overdue']);
    for (const n of notified)
      expect(n.subject).toEqual({
        reminderId: expect.any(String),
        planId: ids.plan,
        period: 1,
        dueAt: '2027-03-02T00:00:00.000Z',
        kind: expect.any(String),
      });
    expect(JSON.stringify(notified)).not.toContain(MARKER);
    const others = (await as('bob', http.get('/v1/notifications'))).body.items as Array<{ type: string }>;
    expect(others.filter((n) => n.type === 'action-plan.report-reminder')).toEqual([]);
  });

  it('the network view shows the overdue report next to the member’s standing; agencies cannot see it', async () => {
    const view = await eventually(async () => {
      const r = await network();
      expect(r.body.overdue).toHaveLength(1);
      return r;
    });
    expect(view.status).toBe(200);
    const retail = view.body.members.find((m: { agencyId: string }) => m.agencyId === ids.retail);
    expect(retail).toEqual({
      agencyId: ids.retail,
      name: 'Synthetic Retail Co',
      sector: 'corporate',
      tier: 'core',
      status: 'active',
      openRemovalMotion: false,
      currentPlans: 1,
      overdueReports: 1,
      oldestOverdueDueAt: '2027-03-02T00:00:00.000Z',
    });
    expect(view.body.overdue[0]).toMatchObject({ planId: ids.plan, period: 1, reportStatus: 'none' });
    expect(JSON.stringify(view.body)).not.toContain(MARKER);
    expect((await as('rita', http.get('/v1/action-plans/network'))).body).toMatchObject({
      status: 403,
      code: 'missing-role',
    });
  });

  it('the annual report: drafted, submitted with figures from the updates, changes requested, resubmitted, accepted', async () => {
    const report = `/v1/action-plans/${ids.plan}/reports/1`;
    expect((await as('rita', http.post(`${report}/submission`))).body).toMatchObject({
      status: 409,
      code: 'report-not-drafted',
    });
    expect(
      (await as('rita', http.put(`/v1/action-plans/${ids.plan}/reports/0`).send({ learning: 'a', challenges: 'b' })))
        .body,
    ).toMatchObject({
      status: 400,
      code: 'validation-failed',
    });
    expect(
      (await as('rita', http.put(`/v1/action-plans/${ids.plan}/reports/3`).send({ learning: 'a', challenges: 'b' })))
        .body,
    ).toMatchObject({
      status: 404,
      code: 'report-period-not-found',
    });
    const draft = { learning: `Announced audits work ${MARKER}`, challenges: 'Tier-2 suppliers are hard to reach' };
    expect((await as('rita', http.put(report).send(draft))).body).toMatchObject({
      report: { period: 1, status: 'draft' },
    });
    expect((await as('rita', http.post(`${report}/submission`))).body).toMatchObject({
      report: { period: 1, status: 'submitted' },
    });

    // Only a network admin reviews: not a caseworker, not the agency's own admin.
    expect((await as('cas', http.post(`${report}/review`).send({ outcome: 'accepted' }))).body).toMatchObject({
      status: 403,
      code: 'missing-role',
    });
    expect((await as('rita', http.post(`${report}/review`).send({ outcome: 'accepted' }))).body).toMatchObject({
      status: 403,
      code: 'missing-role',
    });
    expect(
      (await as('admin', http.post(`${report}/review`).send({ outcome: 'changes-requested' }))).body,
    ).toMatchObject({
      status: 400,
      code: 'invalid-review',
      errors: [{ field: 'reason' }],
    });
    const changes = await as(
      'admin',
      http.post(`${report}/review`).send({ outcome: 'changes-requested', reason: 'Add the audit plan' }),
    );
    expect(changes.body).toMatchObject({ report: { status: 'changes-requested' } });
    await eventually(async () => {
      const p = (await plan(ids.plan)).body.periods[0];
      expect(p).toMatchObject({
        overdue: true,
        report: { status: 'changes-requested', changesRequested: 'Add the audit plan' },
      });
      expect(p.report.figures).toMatchObject({
        asOf: '2027-01-01T00:00:00.000Z',
        planVersion: 2,
        steps: { total: 2, notStarted: 1, underway: 1, done: 0, dropped: 0 },
        indicators: [
          { stepKey: 'train', name: 'Staff trained', unit: 'people', target: 50, value: 12, percentOfTarget: 24 },
          { stepKey: 'audit', value: null, percentOfTarget: null },
        ],
      });
    });
    expect(
      (await as('rita', http.put(report).send({ ...draft, challenges: 'Tier-2 suppliers; audit plan added' }))).status,
    ).toBe(200);
    expect((await as('rita', http.post(`${report}/submission`))).status).toBe(200);
    expect((await as('admin', http.post(`${report}/review`).send({ outcome: 'accepted' }))).body).toMatchObject({
      report: { status: 'accepted' },
    });
    expect((await as('rita', http.put(report).send(draft))).body).toMatchObject({
      status: 409,
      code: 'report-not-editable',
    });
    await eventually(async () => {
      const p = (await plan(ids.plan)).body.periods[0];
      expect(p).toMatchObject({ overdue: false, report: { status: 'accepted', submissions: 2 } });
    });
    // Settled: no more reminders for it, and nothing overdue in the network view.
    expect(await reminders.sweep()).toBe(0);
    await eventually(async () => expect((await network()).body.overdue).toEqual([]));
  });

  it('indicator totals add up per name and unit across members; CSV and the page escape what agencies typed', async () => {
    const bank = await file('bob', {
      title: 'Synthetic Bank plan',
      planYearStart: '2027-01-01',
      goals: [
        {
          key: 'staff',
          title: 'Trained staff',
          steps: [
            {
              key: 'train',
              description: 'Train branch staff',
              ownerRole: 'HR lead',
              dueDate: '2027-09-30',
              indicators: [
                { key: 'trained', name: 'staff  trained', unit: 'People', target: 20 },
                { key: 'screened', name: '=Accounts <b>screened</b>', unit: 'accounts', target: 100 },
              ],
            },
          ],
        },
      ],
    });
    expect(bank.status).toBe(201);
    await eventually(async () => expect((await plan(bank.body.planId, 'bob')).status).toBe(200));
    expect(
      (
        await progress(
          bank.body.planId,
          'train',
          { status: 'underway', indicators: [{ key: 'trained', value: 5 }] },
          'bob',
        )
      ).status,
    ).toBe(201);

    const view = await eventually(async () => {
      const r = await network();
      expect(r.body.indicators.find((i: { name: string }) => i.name === 'Staff trained')).toMatchObject({ value: 17 });
      return r;
    });
    expect(view.body.indicators).toEqual([
      { name: '=Accounts <b>screened</b>', unit: 'accounts', agencies: 1, plans: 1, value: 0, target: 100 },
      { name: 'Staff trained', unit: 'people', agencies: 2, plans: 2, value: 17, target: 70 },
      { name: 'Supplier audits', unit: 'audits', agencies: 1, plans: 1, value: 0, target: 10 },
    ]);

    const csv = await network('?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'agency_id,name,sector,tier,status,open_removal_motion,current_plans,overdue_reports,oldest_overdue_due_at',
    );
    expect(lines).toContain(`${ids.retail},Synthetic Retail Co,corporate,core,active,no,1,0,`);
    expect(lines).toContain(`${ids.bank},Synthetic Bank,corporate,core,active,no,1,0,`);
    const totals = await network('?format=csv&table=indicators');
    expect(totals.text.trim().split('\n')).toEqual([
      'name,unit,agencies,indicators,value,target',
      "'=Accounts <b>screened</b>,accounts,1,1,0,100",
      'Staff trained,people,2,2,17,70',
      'Supplier audits,audits,1,1,0,10',
    ]);

    const page = await network('?format=html');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('=Accounts &lt;b&gt;screened&lt;/b&gt;');
    expect(page.text).not.toContain('<b>screened');
    expect(page.text).toContain('Synthetic Retail Co');
    for (const body of [JSON.stringify(view.body), csv.text, totals.text, page.text])
      expect(body).not.toContain(MARKER);

    // Withdrawn: no longer a current plan, nor in the totals; and it takes no more changes.
    const w = await as(
      'bob',
      http.post(`/v1/action-plans/${bank.body.planId}/withdrawal`).send({ reason: 'Replaced by the group plan' }),
    );
    expect(w.body).toMatchObject({ status: 'withdrawn' });
    expect((await progress(bank.body.planId, 'train', { status: 'done' }, 'bob')).body).toMatchObject({
      status: 409,
      code: 'action-plan-withdrawn',
    });
    await eventually(async () => {
      const r = (await network()).body;
      expect(r.members.find((m: { agencyId: string }) => m.agencyId === ids.bank)).toMatchObject({ currentPlans: 0 });
      expect(r.indicators.map((i: { name: string }) => i.name)).toEqual(['Staff trained', 'Supplier audits']);
    });
  });
});
