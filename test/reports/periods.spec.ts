import { ProjectionRunner } from '@harbour/event-store';
import { newId } from '@harbour/kernel';
import { grantConsent, referral, type ReportsWorld, startReportsWorld } from './scenario.js';

/** Periods are protected one by one and never totalled across: a shorter range cannot be subtracted from a longer one. */
describe('reports over time: whole months, one grain, no totals across periods', () => {
  const seed = async (w: ReportsWorld) => {
    const consents: Array<[string, string]> = [];
    // January: toronto 6, north 2. February: toronto 4, north 1. March: toronto 5.
    const plan: Array<[string, string, number]> = [
      ['2026-01-10', 'on-toronto', 6],
      ['2026-01-11', 'on-sudbury', 2],
      ['2026-02-10', 'on-toronto', 4],
      ['2026-02-11', 'on-sudbury', 1],
      ['2026-03-10', 'on-toronto', 5],
    ];
    for (const [day, region, n] of plan) {
      for (let i = 0; i < n; i++) {
        const survivorId = newId();
        consents.push([survivorId, await grantConsent(w, survivorId, ['statistics'])]);
        await referral(w, {
          survivorId,
          requestedAt: `${day}T10:00:00Z`,
          toSector: 'shelter',
          urgency: 'high',
          needs: ['housing'],
          region,
          language: 'en',
        });
      }
    }
    await w.catchUp();
    return consents;
  };

  describe('by month', () => {
    let w: ReportsWorld;
    let analyst: string;
    let consents: Array<[string, string]>;
    beforeAll(async () => {
      w = await startReportsWorld();
      await w.addStaff('ana', ['analyst']);
      analyst = await w.token('ana');
      consents = await seed(w);
    });
    afterAll(() => w.t.close());

    it('answers each month exactly as it would alone, so ranges cannot be differenced', async () => {
      const q = async (from: string, to: string) =>
        (
          await w.http
            .get(`/v1/reports/referrals?measure=requested&rows=region&from=${from}&to=${to}`)
            .set('Authorization', analyst)
            .expect(200)
        ).body;
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

    it('rebuilds every reports projection from the log to the same answers', async () => {
      const q = async () =>
        (
          await w.http
            .get('/v1/reports/referrals?measure=requested&rows=region&from=2026-01&to=2026-03')
            .set('Authorization', analyst)
            .expect(200)
        ).body;
      const before = await q();
      const runner = w.t.app.get(ProjectionRunner);
      for (const name of ['reports-referrals', 'reports-consents', 'reports-needs', 'reports-notices'])
        await runner.rebuild(name);
      await w.catchUp();
      expect(await q()).toEqual(before);
    });

    it('stops counting a survivor whose consent is amended to drop statistics', async () => {
      const [survivorId, consentId] = consents[0]; // a January toronto referral
      await w.at('2026-02-20T10:00:00Z', () =>
        w.store.append(
          `consent-${survivorId}`,
          'any',
          [
            {
              type: 'ConsentAmended',
              data: {
                consentId,
                version: 2,
                sections: ['needs'],
                purposes: ['referral'],
                validFrom: '2025-12-01T00:00:00Z',
                validUntil: '2027-12-01T00:00:00Z',
                method: 'written',
                language: 'en',
                recordedBy: { userId: 'w', agencyId: w.agencyId },
                recordedAt: '2026-02-20T10:00:00Z',
              },
            },
          ],
          { actor: { userId: 'w', agencyId: null, role: 'caseworker' } },
        ),
      );
      await w.catchUp();
      const jan = (
        await w.http
          .get('/v1/reports/referrals?measure=requested&rows=region&from=2026-01&to=2026-01')
          .set('Authorization', analyst)
          .expect(200)
      ).body;
      // January was toronto 6, north 2 (total 8); now 7. Toronto's 5 beside it would show north's exact 2: withheld.
      expect(jan.slices[0].total).toEqual({ count: 7 });
      expect(jan.slices[0].cells[1]).toEqual({ row: 'toronto', count: null, suppressed: true });
    });
  });

  describe('rounded to base 5 (HARBOUR_REPORT_ROUNDING=true)', () => {
    let w: ReportsWorld;
    let analyst: string;
    beforeAll(async () => {
      w = await startReportsWorld({ HARBOUR_REPORT_ROUNDING: 'true' });
      await w.addStaff('ana', ['analyst']);
      analyst = await w.token('ana');
      await seed(w);
    });
    afterAll(() => w.t.close());

    it('rounds every published count, the same way every time, after suppression', async () => {
      const q = async () =>
        (
          await w.http
            .get('/v1/reports/referrals?measure=requested&rows=region&from=2026-01&to=2026-03')
            .set('Authorization', analyst)
            .expect(200)
        ).body;
      const first = await q();
      // Totals: January 8 → 10, February 5, March 5. Toronto is withheld every month: beside the total it would show
      // what the other regions add up to (north's 2, north's 1, zeros). Margins are audited at their exact value even
      // when rounded, since other tables over the same counts could narrow a rounded figure.
      expect(
        first.slices.map((s: { cells: Array<{ count: number | null }>; total: { count: number } }) => [
          s.cells[1].count,
          s.total.count,
        ]),
      ).toEqual([
        [null, 10],
        [null, 5],
        [null, 5],
      ]);
      expect(first.rounding).toBe(true);
      expect(await q()).toEqual(first);
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
      const res = await w.http
        .get('/v1/reports/referrals?measure=requested&rows=region&from=2026-01&to=2026-03')
        .set('Authorization', analyst)
        .expect(200);
      expect(res.body.period).toBe('quarter');
      expect(res.body.slices).toEqual([
        {
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
        },
      ]);
      const partial = await w.http
        .get('/v1/reports/referrals?measure=requested&rows=region&from=2026-02&to=2026-03')
        .set('Authorization', analyst)
        .expect(400);
      expect(partial.body.errors).toEqual([
        { field: 'from', problem: 'reports are by quarter: must be the first month of a quarter' },
      ]);
    });
  });
});
