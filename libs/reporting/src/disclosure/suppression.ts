import { type Equation, solvableEntries } from './audit.js';

/** k below 3 protects nobody: a pair can recognise each other in a cell of 2. */
export const MIN_K = 3;

/**
 * Primary and complementary suppression over linked entries.
 * `fixed[i]` is the decision already taken for entry i by a less detailed table (a margin
 * published or withheld elsewhere must be treated the same here, or two queries could be
 * subtracted); `null` marks this table's own cells, which may be suppressed as needed.
 * Own cells below k are suppressed; then, while any suppressed entry can be solved from the
 * published ones (see solvableEntries), the smallest published own cell sharing an equation
 * with it is suppressed too. Suppressing every own cell always ends the loop.
 */
export function protect(values: readonly number[], fixed: ReadonlyArray<boolean | null>, equations: readonly Equation[], k: number): boolean[] {
  if (!(k >= MIN_K)) throw new RangeError(`k must be at least ${MIN_K}`);
  const suppressed = values.map((v, i) => fixed[i] ?? v < k);
  const free = (i: number) => fixed[i] === null && !suppressed[i];
  const smallestFreeIn = (eqs: readonly Equation[]): number | undefined => {
    let best: number | undefined;
    for (const eq of eqs) for (const p of eq.parts) if (free(p) && (best === undefined || values[p] < values[best] || (values[p] === values[best] && p < best))) best = p;
    return best;
  };
  for (;;) {
    // Cheap pass first: a line with exactly one unknown gives it away.
    let changed = false;
    for (const eq of equations) {
      const entries = [eq.total, ...eq.parts];
      if (entries.filter((e) => suppressed[e]).length !== 1) continue;
      const pick = smallestFreeIn([eq]);
      if (pick !== undefined) {
        suppressed[pick] = true;
        changed = true;
      }
    }
    if (changed) continue;
    const solvable = solvableEntries(values, suppressed, equations);
    if (solvable.length === 0) return suppressed;
    const target = solvable[0];
    const pick = smallestFreeIn(equations.filter((eq) => eq.total === target || eq.parts.includes(target)))
      ?? smallestFreeIn(equations.filter((eq) => [eq.total, ...eq.parts].some((e) => suppressed[e])));
    if (pick === undefined) return suppressed; // every own cell is already withheld
    suppressed[pick] = true;
  }
}

/** One period's table: counts[r][c] (one column when there is no column dimension). */
export interface SliceCounts {
  cells: number[][];
}

export interface SliceProtection {
  cells: boolean[][];
  rowTotals: boolean[];
  /** Only for two-dimensional tables. */
  columnTotals: boolean[] | null;
  total: boolean;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** A one-dimensional table and its total (the total is fixed by the zero-dimensional table: withheld iff below k). */
export function protectOneWay(values: readonly number[], k: number): { cells: boolean[]; total: boolean } {
  const total = sum(values);
  const totalSuppressed = total < k;
  const entries = [...values, total];
  const fixed: Array<boolean | null> = [...values.map(() => null), totalSuppressed];
  const s = protect(entries, fixed, [{ total: values.length, parts: values.map((_, i) => i) }], k);
  return { cells: s.slice(0, values.length), total: totalSuppressed };
}

/**
 * A two-way table, built on the canonical one-way tables of its margins: the row totals are
 * protected exactly as the one-dimensional report by the row dimension would be, the column
 * totals likewise, so either report and this one can be laid side by side without giving
 * anything away. Only inner cells are added as complementary suppressions.
 */
export function protectTwoWay(cells: readonly number[][], k: number): SliceProtection {
  const rows = cells.length;
  const cols = rows ? cells[0].length : 0;
  const rowTotals = cells.map(sum);
  const colTotals = Array.from({ length: cols }, (_, c) => sum(cells.map((r) => r[c])));
  const total = sum(rowTotals);
  const rowSide = protectOneWay(rowTotals, k);
  const colSide = protectOneWay(colTotals, k);
  // Entries: inner r*cols+c, then row totals, then column totals, then the total.
  const inner = rows * cols;
  const R = (r: number) => inner + r;
  const C = (c: number) => inner + rows + c;
  const T = inner + rows + cols;
  const values = [...cells.flat(), ...rowTotals, ...colTotals, total];
  const fixed: Array<boolean | null> = [...new Array<null>(inner).fill(null), ...rowSide.cells, ...colSide.cells, rowSide.total];
  const equations: Equation[] = [
    ...Array.from({ length: rows }, (_, r) => ({ total: R(r), parts: Array.from({ length: cols }, (_, c) => r * cols + c) })),
    ...Array.from({ length: cols }, (_, c) => ({ total: C(c), parts: Array.from({ length: rows }, (_, r) => r * cols + c) })),
    { total: T, parts: Array.from({ length: rows }, (_, r) => R(r)) },
    { total: T, parts: Array.from({ length: cols }, (_, c) => C(c)) },
  ];
  const s = protect(values, fixed, equations, k);
  return {
    cells: Array.from({ length: rows }, (_, r) => s.slice(r * cols, r * cols + cols)),
    rowTotals: rowSide.cells,
    columnTotals: colSide.cells,
    total: rowSide.total,
  };
}

/** Deterministic rounding to base 5 (half up): the same count always publishes the same figure. */
export const roundToFive = (n: number) => 5 * Math.floor((n + 2.5) / 5);
