import type request from 'supertest';
import { EventStore } from '@harbour/event-store';
import type { FixedClock } from '@harbour/kernel';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';

/** Synthetic words only; the marker must never leave through the caseload, a refusal or a report. */
const MARKER = 'ZZ-GOAL-WORDS-7731';
const DAY = 86_400_000;

const goal = (over: Record<string, unknown> = {}) => ({
  goalId: '6a0e1f2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  inOwnWords: `A flat of my own ${MARKER}`,
  category: 'housing',
  steps: [{ step: 'Apply for the housing list', status: 'done' }],
  helpers: [{ sector: 'housing', role: 'housing worker' }],
  status: 'underway',
  progress: 2,
  ...over,
});

describe('goals, check-ins, the caseload and outcome measures over HTTP', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let net: TestNetwork;
  let today: string;
  const ids: Record<string, string> = {};
  const auth = (userId: string) => net.auth(userId);
  const dayAfter = (days: number) => new Date(t.clock.now().getTime() + days * DAY).toISOString().slice(0, 10);
  const stream = async (id: string) =>
    (await t.app.get(EventStore).readStream(id)).map((e) => ({ type: e.type, data: e.data as any }));

  beforeAll(async () => {
    t = await startTestApp({
      env: { HARBOUR_REPORT_K: '3', HARBOUR_REPORT_REGIONS: JSON.stringify({ toronto: ['on-toronto'] }) },
    });
    net = await buildNetwork(t, { name: 'Synthetic Care Network', sector: 'victim-services' });
    http = net.http;
    ids.care = net.secretariat;
    ids.shelter = await net.apply('Synthetic Shelter', 'shelter');
    await net.admit(ids.shelter);
    ids.legal = await net.apply('Synthetic Legal Aid', 'legal');
    await net.endorse(ids.legal, ['admin']);
    await net.staff(ids.care, 'ana', ['caseworker']);
    await net.staff(ids.care, 'cal', ['caseworker']);
    await net.staff(ids.care, 'sue', ['supervisor']);
    await net.staff(ids.care, 'ann', ['analyst']);
    await net.staff(ids.care, 'pat', ['privacy-officer']);
    await net.staff(ids.legal, 'lee', ['caseworker']);
    today = dayAfter(0);
  });
  afterAll(() => t.close());

  const open = async (by = 'ana') =>
    (
      await http
        .post('/v1/intakes')
        .set('Authorization', await auth(by))
        .expect(201)
    ).body.survivorId as string;
  const put = async (survivorId: string, section: string, content: unknown, by = 'ana') =>
    http
      .put(`/v1/intakes/${survivorId}/sections/${section}`)
      .set('Authorization', await auth(by))
      .send({ content });
  const consent = async (survivorId: string, body: Record<string, unknown>) =>
    http
      .post(`/v1/intakes/${survivorId}/consents`)
      .set('Authorization', await auth('ana'))
      .send({ method: 'verbal', language: 'en', ...body })
      .expect(201);
  const read = async (survivorId: string, by: string, query = 'purpose=care-coordination&sections=goals') =>
    http.get(`/v1/intakes/${survivorId}?${query}`).set('Authorization', await auth(by));
  const checkIn = async (survivorId: string, body: Record<string, unknown>, key?: string) => {
    const req = http.post(`/v1/intakes/${survivorId}/check-ins`).set('Authorization', await auth('ana'));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  it('goals are a section under consent: validated by field, encrypted, refused without consent, audited, read as of a moment', async () => {
    const s = (ids.s1 = await open());
    const bad = await put(s, 'goals', { goals: [goal({ progress: 9, category: 'lottery' })] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'content.goals.0.category',
      'content.goals.0.progress',
    ]);
    expect(JSON.stringify(bad.body)).not.toContain(MARKER);

    expect((await put(s, 'goals', { goals: [goal()] })).status).toBe(200);
    const clock = t.clock as FixedClock;
    clock.advance(30_000);
    const beforeProgress = clock.now().toISOString();
    clock.advance(30_000);
    const second = await put(s, 'goals', { goals: [goal({ progress: 4 })] });
    expect(second.body.changedFields).toEqual(['goals']);

    // Encrypted in the log: the survivor's words are nowhere in the event.
    const updates = (await stream(`intake-${s}`)).filter((e) => e.type === 'IntakeSectionUpdated');
    expect(JSON.stringify(updates)).not.toContain(MARKER);
    expect(updates.map((e) => e.data.section)).toEqual(['goals', 'goals']);

    // Legal aid, with a consent for needs only: the goals are refused, and the refusal is on record.
    await consent(s, {
      recipient: { kind: 'agency', agencyId: ids.legal },
      sections: ['needs'],
      purposes: ['care-coordination'],
      validUntil: new Date(t.clock.now().getTime() + 10 * DAY).toISOString(),
    });
    // Consent alone does not make legal aid a party to the case: the answer hides that the record exists.
    const refused = await read(s, 'lee');
    expect(refused.body).toMatchObject({ status: 404, code: 'intake-not-found' });
    expect(JSON.stringify(refused.body)).not.toContain(MARKER);
    const trail = (await stream(`access-${s}`)).map((e) => e.data);
    expect(trail.at(-1)).toMatchObject({
      actor: { userId: 'lee' },
      outcome: 'denied',
      sectionsReturned: [],
      sectionsWithheld: [{ section: 'goals' }],
    });

    // The care team reads them, now and as of before the second write.
    const now = await read(s, 'ana');
    expect(now.status).toBe(200);
    expect(now.body.sections.goals.goals[0]).toMatchObject({ progress: 4, inOwnWords: `A flat of my own ${MARKER}` });
    expect((await stream(`access-${s}`)).at(-1)!.data).toMatchObject({
      actor: { userId: 'ana' },
      sectionsReturned: ['goals'],
    });
    const then = await read(s, 'ana', `purpose=care-coordination&sections=goals&asOf=${beforeProgress}`);
    expect(then.body.sections.goals.goals[0].progress).toBe(2);
  });

  it('check-ins: the agreed cadence, due and overdue from it, recording one writes needs and goals through the section write', async () => {
    const s = ids.s1;
    await put(s, 'needs', {
      needs: [
        { category: 'housing', urgency: 'high' },
        { category: 'legal', urgency: 'low' },
      ],
    });
    const bad = await http
      .put(`/v1/intakes/${s}/check-ins/schedule`)
      .set('Authorization', await auth('ana'))
      .send({ everyDays: 0, agreed: 'verbal' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['everyDays', 'startsOn']),
    );

    const set = await http
      .put(`/v1/intakes/${s}/check-ins/schedule`)
      .set('Authorization', await auth('ana'))
      .send({ everyDays: 14, startsOn: dayAfter(-20), agreed: 'verbal' })
      .expect(200);
    expect(set.body.nextCheckIn).toEqual({
      everyDays: 14,
      nextDueOn: dayAfter(-20),
      status: 'overdue',
      lastHeldOn: null,
    });

    // Not on the care team: refused (and recorded), nothing written.
    const outsider = await http
      .put(`/v1/intakes/${s}/check-ins/schedule`)
      .set('Authorization', await auth('cal'))
      .send({ everyDays: 7, startsOn: today, agreed: 'verbal' });
    expect(outsider.body.code).toBe('not-on-care-team');

    expect((await checkIn(s, { heldOn: dayAfter(1), consentReflectsWishes: true })).body).toMatchObject({
      status: 400,
      code: 'invalid-check-in',
      errors: [{ field: 'heldOn' }],
    });
    const badNeeds = await checkIn(s, {
      heldOn: today,
      consentReflectsWishes: true,
      needs: { needs: [{ category: 'jetpack', urgency: 'low' }] },
    });
    expect(badNeeds.status).toBe(400);
    expect(badNeeds.body.errors[0].field).toBe('needs.needs.0.category');

    const body = {
      heldOn: today,
      consentReflectsWishes: false,
      needs: { needs: [{ category: 'housing', urgency: 'medium' }] },
      goals: { goals: [goal({ status: 'reached', progress: 5 })] },
    };
    const held = await checkIn(s, body, `check-in-${s}`);
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({
      survivorId: s,
      needsChanged: true,
      goalsUpdated: true,
      nextCheckIn: { everyDays: 14, nextDueOn: dayAfter(14), status: 'upcoming', lastHeldOn: today },
    });
    // The same key again answers the first result; with another request it is refused.
    const again = await checkIn(s, body, `check-in-${s}`);
    expect(again.body.checkInId).toBe(held.body.checkInId);
    const reused = await checkIn(s, { ...body, consentReflectsWishes: true }, `check-in-${s}`);
    expect(reused.body).toMatchObject({ status: 400, code: 'idempotency-key-reused' });

    // One append: both sections (encrypted, as any section write), then the check-in (no survivor data).
    const tail = (await stream(`intake-${s}`)).slice(-3);
    expect(tail.map((e) => [e.type, e.data.section ?? null])).toEqual([
      ['IntakeSectionUpdated', 'needs'],
      ['IntakeSectionUpdated', 'goals'],
      ['CheckInRecorded', null],
    ]);
    expect(tail[2].data).toMatchObject({
      heldOn: today,
      needsChanged: true,
      goalsUpdated: true,
      consentReflectsWishes: false,
    });
    const record = await read(s, 'ana', 'purpose=care-coordination&sections=needs,goals');
    expect(record.body.sections.needs).toEqual({ needs: [{ category: 'housing', urgency: 'medium' }] });
    expect(record.body.sections.goals.goals[0]).toMatchObject({ status: 'reached', progress: 5 });

    // Unchanged needs are not written again, and the check-in says so.
    const quiet = await checkIn(s, { heldOn: today, consentReflectsWishes: false, needs: body.needs });
    expect(quiet.body).toMatchObject({ needsChanged: false, goalsUpdated: false });
  });

  it('the caseload: my survivors as ids with what I may see, check-ins due, consents expiring, one access event each', async () => {
    const s2 = (ids.s2 = await open());
    await http
      .put(`/v1/intakes/${s2}/check-ins/schedule`)
      .set('Authorization', await auth('ana'))
      .send({ everyDays: 30, startsOn: dayAfter(-3), agreed: 'written' })
      .expect(200);
    const other = await open('sue'); // the supervisor's own case: not on ana's caseload
    const res = await eventually(async () => {
      const r = await http
        .get('/v1/caseload')
        .set('Authorization', await auth('ana'))
        .expect(200);
      expect(r.body.total).toBe(2);
      return r;
    });
    expect(JSON.stringify(res.body)).not.toContain(MARKER);
    expect(JSON.stringify(res.body)).not.toMatch(/missed/i);
    expect(res.body).toMatchObject({ page: 1, pageSize: 20, total: 2, expiringWithinDays: 14 });
    const byId = Object.fromEntries(res.body.survivors.map((e: { survivorId: string }) => [e.survivorId, e]));
    expect(byId[s2]).toMatchObject({
      access: { purpose: 'care-coordination' },
      checkIn: { everyDays: 30, nextDueOn: dayAfter(-3), status: 'due', lastHeldOn: null },
      consentReviewAsked: false,
      consentsExpiring: [],
    });
    expect(byId[ids.s1]).toMatchObject({
      checkIn: { status: 'upcoming' },
      consentReviewAsked: true,
      consentsExpiring: [{ purposes: ['care-coordination'] }],
    });
    expect(byId[ids.s1].access.sections).toEqual(expect.arrayContaining(['goals', 'needs', 'identity']));
    expect(byId[other]).toBeUndefined();

    // Exactly one access event per survivor shown, for this request.
    const requestId = res.headers['x-request-id'];
    for (const id of [ids.s1, s2]) {
      const events = (await stream(`access-${id}`)).filter(
        (e) =>
          e.type === 'SurvivorDataAccessed' && e.data.route === 'GET /v1/caseload' && e.data.requestId === requestId,
      );
      expect(events).toHaveLength(1);
    }
    expect((await stream(`access-${other}`)).filter((e) => e.data.requestId === requestId)).toEqual([]);

    // Paging, a colleague not on the team sees nothing, the supervisor sees the agency's whole caseload.
    const paged = await http
      .get('/v1/caseload?page=2&pageSize=1')
      .set('Authorization', await auth('ana'))
      .expect(200);
    expect(paged.body.survivors).toHaveLength(1);
    expect(
      (
        await http
          .get('/v1/caseload')
          .set('Authorization', await auth('cal'))
          .expect(200)
      ).body,
    ).toMatchObject({
      total: 0,
      survivors: [],
    });
    const sue = await eventually(async () => {
      const r = await http
        .get('/v1/caseload')
        .set('Authorization', await auth('sue'))
        .expect(200);
      expect(r.body.total).toBe(3);
      return r;
    });
    expect(sue.body.survivors.map((e: { survivorId: string }) => e.survivorId).sort()).toEqual(
      [ids.s1, s2, other].sort(),
    );
    expect((await http.get('/v1/caseload').set('Authorization', await auth('ann'))).status).toBe(403);
  });

  it('outcome reports: goals set and reached by category, check-ins kept — statistics consent only, small cells suppressed', async () => {
    const month = today.slice(0, 7);
    const counted: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await open();
      counted.push(s);
      await consent(s, {
        recipient: { kind: 'agency', agencyId: ids.care },
        sections: ['goals'],
        purposes: ['statistics'],
      });
      const category = i < 4 ? 'housing' : 'education';
      await put(s, 'goals', {
        goals: [goal({ category, goalId: `6a0e1f2b-3c4d-4e5f-8a9b-0c1d2e3f4a${String(i).padStart(2, '0')}` })],
      }).then((r) => expect(r.status).toBe(200));
      if (i < 3) {
        await put(s, 'goals', {
          goals: [
            goal({
              category,
              status: 'reached',
              goalId: `6a0e1f2b-3c4d-4e5f-8a9b-0c1d2e3f4a${String(i).padStart(2, '0')}`,
            }),
          ],
        });
        await checkIn(s, { heldOn: today, consentReflectsWishes: true }).then((r) => expect(r.status).toBe(201));
      }
    }
    const analyst = await auth('ann');
    const report = async (path: string) => (await http.get(path).set('Authorization', analyst).expect(200)).body;
    const total = async (path: string) => (await report(`${path}&from=${month}&to=${month}`)).slices[0].total;
    // s1 (no statistics consent) is not counted: five goals set, not six.
    await eventually(async () => expect(await total('/v1/reports/goals?measure=set')).toEqual({ count: 5 }));
    const byGoal = await report(`/v1/reports/goals?measure=set&rows=goal&from=${month}&to=${month}`);
    const cells: Array<{ row: string; count: number | null; suppressed?: boolean }> = byGoal.slices[0].cells;
    expect(cells.map((c) => c.row)).toEqual([
      'housing',
      'income',
      'education',
      'employment',
      'health',
      'legal-status',
      'family',
      'safety',
      'community',
      'other',
    ]);
    expect(cells.find((c) => c.row === 'education')).toMatchObject({ count: null, suppressed: true });
    for (const c of cells) expect(c.count === null || c.count >= 3).toBe(true);
    expect(await total('/v1/reports/goals?measure=reached')).toEqual({ count: 3 });
    expect(await total('/v1/reports/goals?measure=days-to-first-goal-reached')).toEqual({
      count: 3,
      median: 0,
      p90: 0,
    });
    await eventually(async () => expect(await total('/v1/reports/check-ins?measure=kept')).toEqual({ count: 3 }));
    const kept = await report(`/v1/reports/check-ins?measure=kept&rows=region&from=${month}&to=${month}`);
    expect(JSON.stringify(kept)).not.toContain(MARKER);
    const { DataSource } = await import('typeorm');
    const db = t.app.get(DataSource);
    const factsOf = async (id: string) => {
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM reports_goal_facts f JOIN reports_subjects s ON s.subject_key = f.subject_key
       WHERE s.survivor_ref = sha256('survivor'::bytea || '\\x00'::bytea || convert_to($1, 'UTF8'))`,
        [id],
      );
      return n as number;
    };
    expect(await factsOf(counted[0])).toBe(2);
    // The survivor's erasure drops their outcome facts: one goal set, one reached, one check-in fewer.
    const erasure = await http
      .post(`/v1/intakes/${counted[0]}/erasure-requests`)
      .set('Authorization', await auth('ana'))
      .send({ scope: 'record', obtainedHow: 'written' })
      .expect(201);
    await http
      .post(`/v1/intakes/${counted[0]}/erasure-requests/${erasure.body.requestId ?? erasure.body.id}/decision`)
      .set('Authorization', await auth('pat'))
      .send({ decision: 'approve', reason: 'request-verified' })
      .expect(200);
    await eventually(async () => expect(await total('/v1/reports/goals?measure=set')).toEqual({ count: 4 }));
    expect(await total('/v1/reports/goals?measure=reached')).toEqual({ count: null, suppressed: true });
    expect(await total('/v1/reports/check-ins?measure=kept')).toEqual({ count: null, suppressed: true });
    await eventually(async () => expect(await factsOf(counted[0])).toBe(0));
    const catalogue = await report('/v1/reports');
    expect(catalogue.reports.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['goals', 'check-ins', 'needs-resolved']),
    );
    // The DP endpoint takes the same reports.
    const noisy = await http
      .post('/v1/reports/goals/private')
      .set('Authorization', analyst)
      .send({ measure: 'set', rows: 'goal', from: month, to: month, epsilon: 0.5 });
    expect(noisy.status).toBe(200);
  });
});
