import { startReportsWorld, type ReportsWorld } from './scenario.js';

describe('differential-privacy mode: discrete Laplace noise and a per-analyst epsilon ledger', () => {
  let w: ReportsWorld;
  let ana: string;
  const body = { measure: 'requested', rows: 'region', from: '2026-01', to: '2026-03' };
  const post = async (token: string, payload: unknown, raw = false) => {
    const call = w.http.post('/v1/reports/referrals/private').set('Authorization', token);
    return raw ? call.set('Content-Type', 'application/json').send(payload as string) : call.send(payload as object);
  };

  beforeAll(async () => {
    w = await startReportsWorld({ HARBOUR_REPORT_DP_BUDGET: '0.5' });
    await w.addStaff('ana-analyst', ['analyst']);
    await w.addStaff('bo-analyst', ['analyst']);
    ana = await w.token('ana-analyst');
  });
  afterAll(() => w.t.close());

  it('rejects negative, zero, NaN, infinite or missing epsilon with a 400 naming the field, spending nothing', async () => {
    for (const payload of [
      { ...body, epsilon: -0.1 },
      { ...body, epsilon: 0 },
      { ...body, epsilon: 'NaN' },
      { ...body, epsilon: null },
      { ...body },
    ]) {
      const res = await post(ana, payload);
      expect(res.status).toBe(400);
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))]).toEqual(['epsilon']);
    }
    // JSON has no Infinity, but 1e999 parses to it.
    const infinite = await post(ana, `{"measure":"requested","from":"2026-01","to":"2026-03","epsilon":1e999}`, true);
    expect(infinite.status).toBe(400);
    expect([...new Set(infinite.body.errors.map((e: { field: string }) => e.field))]).toEqual(['epsilon']);
    const tiny = await post(ana, { ...body, epsilon: 1e-9 });
    expect(tiny.body.errors).toEqual([{ field: 'epsilon', problem: 'must be at least 0.000001' }]);
    expect((await w.store.readStream('privacy-budget-ana-analyst')).length).toBe(0);
  });

  it('answers noisy counts, records each spend in the ledger, and refuses once the budget is spent', async () => {
    const first = await post(ana, { ...body, epsilon: 0.2 });
    expect(first.status).toBe(200);
    expect(first.body.privacy).toEqual({ mode: 'differential-privacy', epsilon: 0.2, spent: 0.2, remaining: 0.3 });
    expect(first.body.slices).toHaveLength(3);
    expect(first.body.slices[0].cells.every((c: { count: number | null }) => c.count === null || c.count >= 3)).toBe(
      true,
    );
    expect((await post(ana, { ...body, epsilon: 0.3 })).status).toBe(200);
    const refused = await post(ana, { ...body, epsilon: 0.01 });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'privacy-budget-spent', remaining: 0 });
    const ledger = await w.store.readStream('privacy-budget-ana-analyst');
    expect(ledger.map((e) => [e.type, (e.data as { microEpsilon: number }).microEpsilon])).toEqual([
      ['PrivacyBudgetSpent', 200_000],
      ['PrivacyBudgetSpent', 300_000],
    ]);
    const budget = await w.http.get('/v1/reports/privacy-budget').set('Authorization', ana).expect(200);
    expect(budget.body).toEqual({ budget: 0.5, spent: 0.5, remaining: 0 });
  });

  it('keeps budgets per analyst and never lets concurrent spends pass the budget together', async () => {
    const bo = await w.token('bo-analyst');
    const results = await Promise.all(Array.from({ length: 8 }, () => post(bo, { ...body, epsilon: 0.1 })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 403, 403, 403]);
    expect((await w.store.readStream('privacy-budget-bo-analyst')).length).toBe(5);
  });

  it('does not offer percentiles under differential privacy', async () => {
    w.clock.set(new Date('2026-03-01T12:00:00Z'));
    await w.addStaff('cy-analyst', ['analyst']);
    const res = await post(await w.token('cy-analyst'), { ...body, measure: 'days-to-acceptance', epsilon: 0.1 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'measure', problem: 'percentile measures are not offered with differential privacy' },
    ]);
    expect((await w.store.readStream('privacy-budget-cy-analyst')).length).toBe(0);
  });
});
