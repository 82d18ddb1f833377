import { newId } from '@harbour/kernel';
import { solver } from '@harbour/reporting';
import { attack, expectNothingPinned, type Figure, type PublishedTable } from '../support/table-attack.js';
import { grantConsent, referral, type ReportsWorld, startReportsWorld } from './scenario.js';
import { NEED_CATEGORIES, SECTORS } from '@harbour/vocabulary';

/**
 * The leak found by an analyst (issue 19), replayed over HTTP with the default k = 5: 28
 * survivors, 38 referrals in January, 39 referral-needs. The shelter sector received 28
 * referrals (29 needs), legal 10, every other sector none. The old audit published the total
 * 39, the shelter column 29 and the legal cell 10 — so the legal column was exactly 10 and every
 * other sector's column exactly 0, with every cell in them. Now the published tables are
 * attacked with the solver, laid together as an analyst could: no withheld count is pinned.
 */
describe('reports withstand an interval attack on what they publish', () => {
  let w: ReportsWorld;
  let analyst: string;
  const get = async (query: string) =>
    (
      await w.http
        .get(`/v1/reports/referrals?${query}&from=2026-01&to=2026-01`)
        .set('Authorization', analyst)
        .expect(200)
    ).body;

  beforeAll(async () => {
    w = await startReportsWorld({ HARBOUR_REPORT_K: '5' });
    await w.addStaff('ana', ['analyst']);
    analyst = await w.token('ana');
    const survivors = Array.from({ length: 28 }, () => newId());
    for (const s of survivors) await grantConsent(w, s, ['referral', 'statistics']);
    const plan: Array<[string, string[], number]> = [
      ['shelter', ['shelter'], 18],
      ['shelter', ['housing'], 9],
      ['shelter', ['shelter', 'housing'], 1],
      ['legal', ['legal'], 10],
    ];
    let i = 0;
    for (const [toSector, needs, n] of plan) {
      for (let j = 0; j < n; j++, i++) {
        await referral(w, {
          survivorId: survivors[i % survivors.length],
          requestedAt: '2026-01-12T10:00:00Z',
          toSector,
          urgency: 'high',
          needs,
          region: 'on-toronto',
          language: 'en',
        });
      }
    }
    await w.catchUp();
  });
  afterAll(() => w.t.close());

  it('publishes need × sector without pinning any withheld count, alone or beside the one-way tables', async () => {
    const [two] = (await get('measure=requested&rows=need&columns=sector')).slices;
    const [bySector] = (await get('measure=requested&rows=sector')).slices;
    const [byNeed] = (await get('measure=requested&rows=need')).slices;
    expect(two.total).toEqual({ count: 39 });
    // Published, the legal column's 10 would prove the other nine sectors 0: it is withheld with them.
    const column = (name: string) => two.columnTotals.find((c: { column: string }) => c.column === name);
    expect(column('shelter')).toEqual({ column: 'shelter', count: 29 });
    expect(column('legal')).toEqual({ column: 'legal', count: null, suppressed: true });

    const figure = (f: { count: number | null }): Figure => f.count;
    const cell = (n: string, s: string) =>
      figure(two.cells.find((c: { row: string; column: string }) => c.row === n && c.column === s));
    const table: PublishedTable = {
      name: 'ns',
      rowDim: 'need',
      colDim: 'sector',
      cells: NEED_CATEGORIES.map((n) => SECTORS.map((s) => cell(n, s))),
      rowTotals: NEED_CATEGORIES.map((n) => figure(two.rowTotals.find((r: { row: string }) => r.row === n))),
      colTotals: SECTORS.map((s) => figure(column(s))),
      total: two.total.count,
    };
    const oneWay = (
      name: string,
      dim: string,
      slice: { cells: Array<{ count: number | null }>; total: { count: number | null } },
    ): PublishedTable => ({
      name,
      rowDim: dim,
      colDim: `${name}all`,
      cells: slice.cells.map((c) => [c.count]),
      rowTotals: slice.cells.map((c) => c.count),
      colTotals: [slice.total.count],
      total: slice.total.count,
    });
    const highs = await solver();
    // By need is the need margin of the two-way table (both count referral-needs); by sector counts referrals, a count
    // of its own (a referral for two needs is one referral), attacked on its own.
    const intervals = attack(highs, [table, oneWay('n', 'need', byNeed)], false);
    expect(intervals.size).toBeGreaterThan(200);
    expectNothingPinned(intervals, 5);
    expectNothingPinned(attack(highs, [oneWay('s', 'sectorReferrals', bySector)], false), 5);
    expect(bySector.total).toEqual({ count: 38 });
    // What the analyst can say of another sector now: somewhere from 0 to 10 referral-needs.
    expect(intervals.get(`sector_${SECTORS.indexOf('health')}`)).toEqual({ lo: 0, hi: 10 });
  });

  it('tells analysts in the catalogue what a withheld figure means', async () => {
    const catalogue = (await w.http.get('/v1/reports').set('Authorization', analyst).expect(200)).body;
    expect(catalogue.k).toBe(5);
    expect(catalogue.protection).toMatch(/audited before it is published/);
  });

  it('answers the same table every time it is asked', async () => {
    expect(await get('measure=requested&rows=need&columns=sector')).toEqual(
      await get('measure=requested&rows=need&columns=sector'),
    );
  });
});
