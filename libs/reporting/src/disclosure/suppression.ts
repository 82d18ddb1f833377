import type { Highs } from 'highs';
import {
  audit,
  type AuditInput,
  type AuditResult,
  feasibleIntervals,
  type Interval,
  type Published,
} from './interval-audit.js';

/** k below 3 protects nobody: a pair can recognise each other in a cell of 2. */
export const MIN_K = 3;

/** `total = Σ parts`: a margin (or total) and the entries it adds up (indices into one table's entries). */
export interface Equation {
  total: number;
  parts: number[];
}

export interface Disclosure {
  k: number;
  /** Published counts are rounded to base 5 (HARBOUR_REPORT_ROUNDING). */
  rounding: boolean;
}

/** Deterministic rounding to base 5 (half up): the same count always publishes the same figure. */
export const roundToFive = (n: number) => 5 * Math.floor((n + 2.5) / 5);

const publication = (
  values: readonly number[],
  suppressed: readonly boolean[],
  rounded: readonly boolean[],
): Published[] =>
  values.map((v, i) =>
    suppressed[i]
      ? { withheld: true }
      : { withheld: false, value: rounded[i] ? roundToFive(v) : v, rounded: rounded[i] },
  );

export interface Audited {
  k: number;
  /**
   * The published entries the audit may take for the ranges their rounded figures stand for.
   * Only a two-way table's inner cells: margins and totals are also published by other tables
   * (the one-way tables, every two-way table over the same dimension), whose figures together
   * can narrow a rounded margin, so the audit takes margins at their exact value — never looser
   * than what an analyst holding several tables knows.
   */
  rounded: readonly boolean[];
  /**
   * Every published figure is rounded (HARBOUR_REPORT_ROUNDING), margins and totals too: the
   * audit also reads the table that way (the least an analyst holding it knows), since a count
   * that the exact margins put at or above k can be narrowed below it once they are read as
   * ranges (see isProtectedAmid).
   */
  rounding?: boolean;
  /** Withheld margins whose range in this table must contain the given one (see protectedCores). */
  mustContain?: ReadonlyMap<number, Interval>;
  /** The table's symmetries under the current suppression (see AuditInput.twins). */
  twins?: (suppressed: readonly boolean[]) => AuditInput['twins'];
}

/**
 * Primary and complementary suppression over one table's linked entries.
 * `fixed[i]` is the decision already taken for entry i by a less detailed table (a margin
 * published or withheld there must be treated the same here, or two requests could be laid
 * together); `null` marks this table's own cells, which may be withheld as needed.
 * Own cells below k are withheld; then, until the interval audit passes (every withheld entry's
 * and every line's withheld sum's feasible range meets the protection rule, and no margin listed
 * in `mustContain` is narrowed), each failing count gets one more own cell withheld beside it:
 * the smallest published one in a line with it (ties: the first), so the figures lost are the
 * smallest. Deterministic for the same counts. Withholding every own cell always ends the loop.
 */
export function protect(
  highs: Highs,
  values: readonly number[],
  fixed: ReadonlyArray<boolean | null>,
  equations: readonly Equation[],
  { k, rounded, rounding, mustContain, twins }: Audited,
): boolean[] {
  if (!(k >= MIN_K)) throw new RangeError(`k must be at least ${MIN_K}`);
  const suppressed = values.map((v, i) => fixed[i] ?? v < k);
  const free = (i: number) => fixed[i] === null && !suppressed[i];
  const linesOf = (entry: number) => equations.filter((eq) => eq.total === entry || eq.parts.includes(entry));
  const smallestFreeIn = (eqs: readonly Equation[]): number | undefined => {
    let best: number | undefined;
    for (const eq of eqs)
      for (const p of eq.parts)
        if (free(p) && (best === undefined || values[p] < values[best] || (values[p] === values[best] && p < best)))
          best = p;
    return best;
  };
  // Cheap passes first, no solver needed: a line with exactly one withheld entry gives it away
  // (a withheld total beside published parts too), and so does a published line total whose
  // withheld parts add up to fewer than k (exact figures).
  for (let changed = true; changed;) {
    changed = false;
    for (const eq of equations) {
      const withheld = eq.parts.filter((p) => suppressed[p]);
      const single = withheld.length + (suppressed[eq.total] ? 1 : 0) === 1;
      const rest = values[eq.total] - eq.parts.reduce((a, p) => a + (suppressed[p] ? 0 : values[p]), 0);
      const exact = !rounded[eq.total] && eq.parts.every((p) => suppressed[p] || !rounded[p]);
      const small = exact && !suppressed[eq.total] && withheld.length > 0 && rest < k;
      if (!single && !small) continue;
      const pick = smallestFreeIn([eq]);
      if (pick !== undefined) changed = suppressed[pick] = true;
    }
  }
  let points: AuditResult['points'] = [];
  for (;;) {
    const failing = audit(
      highs,
      {
        values,
        equations,
        published: publication(values, suppressed, rounded),
        loose: rounding
          ? publication(
              values,
              suppressed,
              values.map(() => true),
            )
          : undefined,
        k,
        mustContain,
        twins: twins?.(suppressed),
      },
      points,
    );
    points = failing.points;
    const picked = new Set<number>();
    // A line whose withheld cells add up to a small count: withhold one more of its cells.
    for (const l of failing.lines) {
      const pick = smallestFreeIn([equations[l]]);
      if (pick === undefined) continue;
      suppressed[pick] = true;
      picked.add(pick);
    }
    for (const entry of failing.entries) {
      const lines = linesOf(entry);
      if (lines.some((eq) => eq.parts.some((p) => picked.has(p)))) continue; // already widened this round
      // Beside it, or else in a line crossing one of its withheld parts (a withheld margin whose
      // own cells are all withheld is narrowed through the cells of the other lines).
      const crossing = () => lines.flatMap((eq) => eq.parts.filter((p) => suppressed[p]).flatMap(linesOf));
      const pick =
        smallestFreeIn(lines) ??
        smallestFreeIn(crossing()) ??
        smallestFreeIn(equations.filter((eq) => [eq.total, ...eq.parts].some((e) => suppressed[e])));
      if (pick === undefined) continue;
      suppressed[pick] = true;
      picked.add(pick);
    }
    if (picked.size === 0) return suppressed; // passed, or every own cell that could help is withheld
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

/** The entries of a one-way table (its cells, then the total) and its one equation. */
const oneWayTable = (values: readonly number[]) => ({
  entries: [...values, sum(values)],
  equations: [{ total: values.length, parts: values.map((_, i) => i) }],
});

/**
 * A one-dimensional table and its total (the total is fixed by the zero-dimensional table:
 * withheld iff below k). Its cells are the margins of every two-way table over its dimension,
 * so they are audited at their exact value even when published rounded (see Audited).
 */
export function protectOneWay(
  highs: Highs,
  values: readonly number[],
  { k, rounding }: Disclosure,
): { cells: boolean[]; total: boolean } {
  const { entries, equations } = oneWayTable(values);
  const totalSuppressed = entries[values.length] < k;
  const fixed: Array<boolean | null> = [...values.map(() => null), totalSuppressed];
  const s = protect(highs, entries, fixed, equations, { k, rounded: entries.map(() => false), rounding });
  return { cells: s.slice(0, values.length), total: totalSuppressed };
}

/**
 * For each withheld cell of a one-way table, a range that every table over the same dimension
 * must leave open (null: none needed). The one-way table leaves the cell a range [lo, hi] that
 * meets the protection rule; if every two-way table sharing the dimension leaves open the same
 * part of it that still meets the rule on its own, then so does their intersection — whatever
 * an analyst lays together. That part: nothing when lo ≥ k (any narrower range still starts at
 * or above k) — with rounding, only if the range read from the rounded figures starts there too —
 * else a window of k + 1 values around the count, or all of 0..k−1; or, for a range at or above
 * k that rounding can start below k, the count up to 2k − 1 (from any start below k, that is
 * still k values wide).
 */
function protectedCores(
  highs: Highs,
  values: readonly number[],
  side: { cells: boolean[]; total: boolean },
  { k, rounding }: Disclosure,
): Array<Interval | null> {
  const { entries, equations } = oneWayTable(values);
  const withheld = [...side.cells, side.total];
  const published = publication(
    entries,
    withheld,
    entries.map(() => false),
  );
  const withheldCells = values.flatMap((_, i) => (side.cells[i] ? [i] : []));
  const bounds = feasibleIntervals(highs, { values: entries, equations, published }, withheldCells);
  const loose = rounding
    ? feasibleIntervals(
        highs,
        {
          values: entries,
          equations,
          published: publication(
            entries,
            withheld,
            entries.map(() => true),
          ),
        },
        withheldCells,
      )
    : undefined;
  return values.map((v, i) => {
    const range = bounds.get(i);
    if (!range) return null;
    if (range.lo >= k) {
      if (!loose || loose.get(i)!.lo >= k) return null;
      if (range.hi - range.lo < k) return { lo: v, hi: Math.min(range.hi, Math.max(v, 2 * k - 1)) };
    } else if (range.hi - range.lo < k) return { lo: 0, hi: k - 1 };
    const lo = Math.min(Math.max(v - Math.floor(k / 2), range.lo), range.hi - k);
    return { lo, hi: lo + k };
  });
}

const sameCore = (a: Interval | undefined, b: Interval | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.lo === b.lo && a.hi === b.hi);

/**
 * A two-way table, built on the canonical one-way tables of its margins: the row totals are
 * protected exactly as the one-dimensional report by the row dimension would be, the column
 * totals likewise, so either report and this one can be laid side by side. Only inner cells
 * are added as complementary suppressions, and the audit also requires that this table leaves
 * each withheld margin's protected core open — so two two-way tables sharing a dimension, laid
 * together, still leave every shared margin a range that meets the rule.
 */
export function protectTwoWay(highs: Highs, cells: readonly number[][], disclosure: Disclosure): SliceProtection {
  const rows = cells.length;
  const cols = rows ? cells[0].length : 0;
  const rowTotals = cells.map(sum);
  const colTotals = Array.from({ length: cols }, (_, c) => sum(cells.map((r) => r[c])));
  const total = sum(rowTotals);
  const rowSide = protectOneWay(highs, rowTotals, disclosure);
  const colSide = protectOneWay(highs, colTotals, disclosure);
  // Entries: inner r*cols+c, then row totals, then column totals, then the total.
  const inner = rows * cols;
  const R = (r: number) => inner + r;
  const C = (c: number) => inner + rows + c;
  const T = inner + rows + cols;
  const values = [...cells.flat(), ...rowTotals, ...colTotals, total];
  const fixed: Array<boolean | null> = [
    ...new Array<null>(inner).fill(null),
    ...rowSide.cells,
    ...colSide.cells,
    rowSide.total,
  ];
  const equations: Equation[] = [
    ...Array.from({ length: rows }, (_, r) => ({
      total: R(r),
      parts: Array.from({ length: cols }, (_, c) => r * cols + c),
    })),
    ...Array.from({ length: cols }, (_, c) => ({
      total: C(c),
      parts: Array.from({ length: rows }, (_, r) => r * cols + c),
    })),
    { total: T, parts: Array.from({ length: rows }, (_, r) => R(r)) },
    { total: T, parts: Array.from({ length: cols }, (_, c) => C(c)) },
  ];
  const mustContain = new Map<number, Interval>();
  protectedCores(highs, rowTotals, rowSide, disclosure).forEach((core, r) => core && mustContain.set(R(r), core));
  protectedCores(highs, colTotals, colSide, disclosure).forEach((core, c) => core && mustContain.set(C(c), core));
  const rounded = values.map((_, i) => disclosure.rounding && i < inner);
  // Identical rows (e.g. need categories nobody had this month) are twins: one stands for all.
  const twins = (s: readonly boolean[]) => {
    const same = (a: number, b: number) =>
      a === b || (values[a] === values[b] && s[a] === s[b] && sameCore(mustContain.get(a), mustContain.get(b)));
    const rowRep = Array.from({ length: rows }, (_, r) => r);
    const colRep = Array.from({ length: cols }, (_, c) => c);
    for (let r = 0; r < rows; r++)
      rowRep[r] = rowRep.findIndex(
        (_, q) =>
          q <= r &&
          same(R(q), R(r)) &&
          Array.from({ length: cols }, (_, c) => c).every((c) => same(q * cols + c, r * cols + c)),
      );
    for (let c = 0; c < cols; c++)
      colRep[c] = colRep.findIndex(
        (_, q) =>
          q <= c &&
          same(C(q), C(c)) &&
          Array.from({ length: rows }, (_, r) => r).every((r) => same(r * cols + q, r * cols + c)),
      );
    const entries = values.map((_, i) => {
      if (i < inner) return rowRep[Math.floor(i / cols)] * cols + colRep[i % cols];
      if (i < inner + rows) return R(rowRep[i - inner]);
      if (i < T) return C(colRep[i - inner - rows]);
      return i;
    });
    // Equations: row lines first, then column lines, then the two total lines.
    const lines = equations.map((_, l) => (l < rows ? rowRep[l] : l < rows + cols ? rows + colRep[l - rows] : l));
    return { entries, lines };
  };
  const s = protect(highs, values, fixed, equations, {
    k: disclosure.k,
    rounded,
    rounding: disclosure.rounding,
    mustContain,
    twins,
  });
  return {
    cells: Array.from({ length: rows }, (_, r) => s.slice(r * cols, r * cols + cols)),
    rowTotals: rowSide.cells,
    columnTotals: colSide.cells,
    total: rowSide.total,
  };
}
