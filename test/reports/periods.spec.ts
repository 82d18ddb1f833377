import { newId } from '@harbour/kernel';
import { grantConsent, referral, type ReportsWorld, startReportsWorld } from './scenario.js';

/** Periods are protected one by one and never totalled across: a shorter range cannot be subtracted from a longer one. */
describe('reports over time: whole months, one grain, no totals across periods', () => {
  const seed = async (w: ReportsWorld) => {
    // January: toronto 6, north 2. February: toronto 4, north 1. March: toronto 5.
    const plan: Array<[string, string, number]> = [['2026-01-10', 'on-toronto', 6], ['2026-01-11', 'on-sudbury', 2], ['2026-02-10', 'on-toronto', 4], ['2026-02-11', 'on-sudbury', 1], ['2026-03-10', 'on-toronto', 5]];
    for (const [day, region, n] of plan) {
      for (let i = 0; i < n; i++) {
        const survivorId = newId();
        await grantConsent(w, survivorId, ['statistics']);
        await referral(w, { survivorId, requestedAt: `${day}T10:00:00Z`, toSector: 'shelter', urgency: 'high', needs: ['housing'], region, language: 'en' });
      }
    }
    await w.catchUp();
  };

  describe('by month', () => {
    let w: ReportsWorld;
    let analyst: string;
    beforeAll(async () => {
      w = await startReportsWorld();
      await w.addStaff('ana', ['analyst']);
      analyst = await w.token('ana');
      await seed(w);
    });
    afterAll(() => w.t.close());

    it('answers each month exactly as it would alone, so ranges cannot be differenced', async () => {
      const q = async (from: string, to: string) => (await w.http.get(`/v1/reports/referrals?measure=requested&rows=region&from=${from}&to=${to}`).set('Authorization', analyst).expect(200)).body;
      const jan = await q('2026-01', '2026-01');
      const janFeb = await q('2026-01', '2026-02');
      const janMar = await q('2026-01', '2026-03');
      expect(janFeb.slices[0]).toEqual(jan.slices[0]);
      expect(janMar.slices.slice(0, 2)).toEqual(janFeb.slices);
      expect(janMar.slices.map((s: { period: string }) => s.period)).toEqual(['2026-01', '2026-02', '2026-03']);
      // February's north (1) is withheld, and nothing across the range would let it be recovered: no cross-period total exists.
      expect(janMar.slices[1].cells[0]).toEqual({ row: 'north', count: null, suppressed: true });
      expect(Object.keys(janMar)).not.toContain('total');
      expect(janMar.slices[2].total).toEqual({ count: 5 });
    });
  });

  describe('by quarter (HARBOUR_REPORT_PERIOD=quarter)', () => {
    let w: ReportsWorld;
    let analyst: string;
    beforeAll(async () => {
      w = await startReportsWorld({ HARBOUR_REPORT_PERIOD: 'quarter' });
      await w.addStaff('ana', ['analyst']);
      analyst = await w.token('ana');
      await seed(w);
    });
    afterAll(() => w.t.close());

    it('reports whole quarters only', async () => {
      const res = await w.http.get('/v1/reports/referrals?measure=requested&rows=region&from=2026-01&to=2026-03').set('Authorization', analyst).expect(200);
      expect(res.body.period).toBe('quarter');
      expect(res.body.slices).toEqual([{
        period: '2026-Q1',
        cells: [
          // north (3) reaches k, but other and unknown are 0: with north published, total − toronto − north = 0 would
          // prove both empty. The smallest published cell is withheld to protect them.
          { row: 'north', count: null, suppressed: true },
          { row: 'toronto', count: 15 },
          { row: 'other', count: null, suppressed: true },
          { row: 'unknown', count: null, suppressed: true },
        ],
        total: { count: 18 },
      }]);
      const partial = await w.http.get('/v1/reports/referrals?measure=requested&rows=region&from=2026-02&to=2026-03').set('Authorization', analyst).expect(400);
      expect(partial.body.errors).toEqual([{ field: 'from', problem: 'reports are by quarter: must be the first month of a quarter' }]);
    });
  });
});
