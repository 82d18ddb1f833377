import fc from 'fast-check';
import { protectOneWay, protectTwoWay, roundToFive } from './suppression.js';

/**
 * An attacker's view, written independently of the library's audit: the published numbers of
 * one or more tables as linear equations over the unknown (suppressed) counts. A suppressed
 * count is recovered exactly when adding "x_i = ?" as one more equation does not raise the rank
 * of the system, i.e. x_i is already a combination of what was published.
 */
type Linear = { coefficients: Map<string, number>; rhs: number };

function rank(rows: number[][]): number {
  const m = rows.map((r) => r.slice());
  let rank = 0;
  const width = m[0]?.length ?? 0;
  for (let c = 0; c < width; c++) {
    const p = m.findIndex((r, i) => i >= rank && Math.abs(r[c]) > 1e-9);
    if (p < 0) continue;
    [m[rank], m[p]] = [m[p], m[rank]];
    for (let i = 0; i < m.length; i++) {
      if (i === rank) continue;
      const f = m[i][c] / m[rank][c];
      for (let j = 0; j < width; j++) m[i][j] -= f * m[rank][j];
    }
    rank++;
  }
  return rank;
}

function recoverable(unknown: string, system: Linear[]): boolean {
  const names = [...new Set(system.flatMap((e) => [...e.coefficients.keys()]))];
  if (!names.includes(unknown)) return false;
  const rows = system.map((e) => names.map((n) => e.coefficients.get(n) ?? 0));
  const unit = names.map((n) => (n === unknown ? 1 : 0));
  return rank([...rows, unit]) === rank(rows);
}

/** "total = Σ parts", with published values moved to the right-hand side. */
function equation(total: [string, number, boolean], parts: Array<[string, number, boolean]>): Linear {
  const coefficients = new Map<string, number>();
  let rhs = 0;
  for (const [name, value, hidden] of parts) {
    if (hidden) coefficients.set(name, (coefficients.get(name) ?? 0) + 1);
    else rhs -= value;
  }
  if (total[2]) coefficients.set(total[0], (coefficients.get(total[0]) ?? 0) - 1);
  else rhs += total[1];
  return { coefficients, rhs };
}

function twoWaySystem(cells: number[][], k: number, prefix = '') {
  const p = protectTwoWay(cells, k);
  const rows = cells.length;
  const cols = cells[0].length;
  const cell = (r: number, c: number): [string, number, boolean] => [`${prefix}${r},${c}`, cells[r][c], p.cells[r][c]];
  const rowT = (r: number): [string, number, boolean] => [`row${r}`, cells[r].reduce((a, b) => a + b, 0), p.rowTotals[r]];
  const colT = (c: number): [string, number, boolean] => [`col${c}`, cells.reduce((a, r) => a + r[c], 0), p.columnTotals![c]];
  const total: [string, number, boolean] = ['total', cells.flat().reduce((a, b) => a + b, 0), p.total];
  const system: Linear[] = [];
  for (let r = 0; r < rows; r++) system.push(equation(rowT(r), Array.from({ length: cols }, (_, c) => cell(r, c))));
  for (let c = 0; c < cols; c++) system.push(equation(colT(c), Array.from({ length: rows }, (_, r) => cell(r, c))));
  system.push(equation(total, Array.from({ length: rows }, (_, r) => rowT(r))));
  system.push(equation(total, Array.from({ length: cols }, (_, c) => colT(c))));
  return { p, system, cell };
}

const counts = fc.integer({ min: 0, max: 30 });
const table = fc.integer({ min: 1, max: 6 }).chain((rows) => fc.integer({ min: 1, max: 6 }).chain((cols) => fc.array(fc.array(counts, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })));
const kArb = fc.integer({ min: 3, max: 10 });

describe('disclosure control over random tables', () => {
  it('never publishes a cell or a margin below k', () => {
    fc.assert(
      fc.property(table, kArb, (cells, k) => {
        const { p } = twoWaySystem(cells, k);
        cells.forEach((row, r) => row.forEach((v, c) => expect(p.cells[r][c] || v >= k).toBe(true)));
        cells.forEach((row, r) => expect(p.rowTotals[r] || row.reduce((a, b) => a + b, 0) >= k).toBe(true));
        const one = protectOneWay(cells[0], k);
        cells[0].forEach((v, i) => expect(one.cells[i] || v >= k).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no row or column with a single suppressed cell while its margin is published', () => {
    fc.assert(
      fc.property(table, kArb, (cells, k) => {
        const { p } = twoWaySystem(cells, k);
        p.cells.forEach((row, r) => {
          const n = row.filter(Boolean).length;
          if (n > 0) expect(n >= 2 || p.rowTotals[r]).toBe(true);
        });
        for (let c = 0; c < cells[0].length; c++) {
          const n = p.cells.filter((row) => row[c]).length;
          if (n > 0) expect(n >= 2 || p.columnTotals![c]).toBe(true);
        }
        const one = protectOneWay(cells[0], k);
        const n = one.cells.filter(Boolean).length;
        if (n > 0) expect(n >= 2 || one.total).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('lets no suppressed count be solved from the published cells and margins of its table', () => {
    fc.assert(
      fc.property(table, kArb, (cells, k) => {
        const { p, system, cell } = twoWaySystem(cells, k);
        cells.forEach((row, r) => row.forEach((_, c) => {
          if (p.cells[r][c]) expect(recoverable(cell(r, c)[0], system)).toBe(false);
        }));
      }),
      { numRuns: 200 },
    );
  });

  it('defeats differencing: the one-way report, the two-way report and a filtered report together reveal no suppressed count', () => {
    fc.assert(
      fc.property(table, kArb, fc.nat(), (cells, k, pickColumn) => {
        // Query A: rows only (the row totals). Query B: rows × columns. Query C: rows filtered to one column value.
        const { p, system, cell } = twoWaySystem(cells, k);
        const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
        const a = protectOneWay(rowTotals, k);
        const c = pickColumn % cells[0].length;
        // What A and C publish must agree with B's decisions, so the attacker learns nothing new.
        expect(a.cells).toEqual(p.rowTotals);
        const filtered = protectTwoWay(cells, k);
        expect(filtered.cells.map((row) => row[c])).toEqual(p.cells.map((row) => row[c]));
        expect(filtered.columnTotals![c]).toBe(p.columnTotals![c]);
        // And every suppressed count stays unsolvable with all three laid together.
        const combined = [...system, equation(['total', rowTotals.reduce((x, y) => x + y, 0), a.total], rowTotals.map((v, r) => [`row${r}`, v, a.cells[r]]))];
        cells.forEach((row, r) => row.forEach((_, cc) => {
          if (p.cells[r][cc]) expect(recoverable(cell(r, cc)[0], combined)).toBe(false);
        }));
        rowTotals.forEach((_, r) => {
          if (a.cells[r]) expect(recoverable(`row${r}`, combined)).toBe(false);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses k below 3', () => {
    expect(() => protectOneWay([1, 2, 3], 2)).toThrow(RangeError);
  });

  it('rounds to base 5 deterministically, half up', () => {
    expect([0, 2, 3, 7, 8, 12, 13, 105].map(roundToFive)).toEqual([0, 0, 5, 5, 10, 10, 15, 105]);
  });
});
