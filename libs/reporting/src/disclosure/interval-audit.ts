import { createRequire } from 'node:module';
import type { Highs, InitOptions } from 'highs';
import type { Equation } from './suppression.js';

/**
 * The interval audit: for each withheld entry of a table, the smallest and largest value an
 * analyst can derive from everything the table publishes — its cells, margins and totals, the
 * additivity of the table, non-negativity and integrality. The bounds come from HiGHS (the
 * Edinburgh LP/MIP solver compiled to WebAssembly), one model per table, re-solved with the
 * objective set to each withheld entry in turn (the basis carries over, so each re-solve is a
 * few simplex steps).
 *
 * Integrality: the tables here are one- and two-way tables with their margins; their equations
 * form a network matrix (source → row margin → cell → column margin → sink, the total closing the
 * circulation), which is totally unimodular, so with whole-number bounds every LP optimum is a
 * whole number and equals the integer optimum. The audit still checks that each optimum is
 * whole, and solves that bound as a MIP when it is not — so a table shape that broke the
 * property could never be audited on a fractional (looser) bound.
 */
let runtime: Promise<Highs> | undefined;
// Loaded through require: the package's types describe it as CommonJS, which TypeScript's ESM view cannot call.
const loadHighs = createRequire(import.meta.url)('highs') as (options?: InitOptions) => Promise<Highs>;
export const solver = (): Promise<Highs> => (runtime ??= loadHighs());

/** A withheld count has no bound above unless a published figure gives one: this stands for "none". */
export const UNBOUNDED = 1e9;

/** What the table publishes about entry i: nothing (withheld), its exact value, or a value rounded to base 5. */
export type Published = { withheld: true } | { withheld: false; value: number; rounded: boolean };

export interface Interval {
  lo: number;
  hi: number;
}

/** Rounded half up to base 5: a published v stands for any count from v−2 to v+2 (never below 0). */
const boundsOf = (p: Published): [number, number] =>
  p.withheld ? [0, UNBOUNDED] : p.rounded ? [Math.max(0, p.value - 2), p.value + 2] : [p.value, p.value];

/**
 * The protection rule (docs/reporting.md), for a withheld count and for the sum of the withheld
 * counts of one line: the range an analyst can derive for it lies wholly at or above k (a count
 * that large would have been published anyway), or spans more than k values (hi − lo ≥ k), or
 * holds every value from 0 to k−1 (which says no more than the suppression mark: "fewer than k").
 */
export const isProtected = (iv: Interval, k: number): boolean => iv.lo >= k || isWide(iv, k);

/** The part of the rule that a range only found from inside (from feasible points) can already prove. */
const isWide = ({ lo, hi }: Interval, k: number): boolean => hi - lo >= k || (lo <= 0 && hi >= k - 1);

export interface AuditInput {
  /** The true counts, one per entry (cells, margins, total): they are one feasible point. */
  values: readonly number[];
  equations: readonly Equation[];
  published: readonly Published[];
  k: number;
  /**
   * Entries whose feasible interval must contain the given one (a margin withheld in the
   * one-way table must not be narrowed by the two-way table it is a margin of).
   */
  mustContain?: ReadonlyMap<number, Interval>;
}

export interface AuditResult {
  /** Withheld entries whose range fails the rule (or narrows a `mustContain` interval), in index order. */
  entries: number[];
  /**
   * Equations whose withheld parts, taken together, fail the rule: a group of withheld cells in
   * one line ("every other region") is a count too, since the analyst can add them up.
   */
  lines: number[];
}

/** Everything the published table lets an analyst narrow below the rule. */
export function audit(highs: Highs, input: AuditInput): AuditResult {
  const { values, equations, published, k, mustContain } = input;
  const contains = (i: number, iv: Interval) => {
    const outer = mustContain?.get(i);
    return !outer || (iv.lo <= outer.lo && iv.hi >= outer.hi);
  };
  // A range seen from inside can only grow: it proves the wide part of the rule, never "at or above k".
  const settled = (i: number, inner: Interval) => isWide(inner, k) && contains(i, inner);
  const satisfied = (i: number, exact: Interval) => isProtected(exact, k) && contains(i, exact);
  const candidates = published.flatMap((p, i) => (p.withheld ? [i] : []));
  const groups = equations.map((eq) => eq.parts.filter((p) => published[p].withheld));
  const lineCandidates = groups.flatMap((g, l) => (g.length >= 2 ? [l] : []));
  if (candidates.length === 0) return { entries: [], lines: [] };
  return withBounds(highs, input, (bound) => {
    // Feasible points seen so far bound each interval from inside: the true counts are the first.
    const points: Array<Float64Array | readonly number[]> = [values];
    const seen = values.map((v) => ({ lo: v, hi: v }));
    const note = (x: Float64Array | readonly number[]) => {
      points.push(x);
      x.forEach((v, j) => {
        const r = Math.round(v);
        if (r < seen[j].lo) seen[j].lo = r;
        if (r > seen[j].hi) seen[j].hi = r;
      });
    };
    // Batches first: one solve pushing every open entry up (or down) at once is a feasible point
    // that settles most of them; single solves are left for the few that stay open.
    const open = (sense: 'min' | 'max') =>
      candidates.filter((i) => !settled(i, seen[i]) && (sense === 'max' || seen[i].lo > 0));
    for (const sense of ['max', 'min'] as const) {
      for (let batch = open(sense); batch.length > 1; ) {
        bound(batch, sense, note);
        const next = open(sense);
        if (next.length > batch.length * 0.8) break; // no longer paying off
        batch = next;
      }
    }
    const entries: number[] = [];
    for (const i of candidates) {
      if (settled(i, seen[i])) continue;
      const hi = bound([i], 'max', note);
      if (settled(i, { lo: seen[i].lo, hi })) continue;
      const lo = seen[i].lo === 0 ? 0 : bound([i], 'min', note);
      if (!satisfied(i, { lo, hi })) entries.push(i);
    }
    const lines: number[] = [];
    for (const l of lineCandidates) {
      const group = groups[l];
      const sums = points.map((x) => group.reduce((a, j) => a + Math.round(x[j]), 0));
      const inner = { lo: Math.min(...sums), hi: Math.max(...sums) };
      if (isWide(inner, k)) continue;
      if (!isProtected({ lo: bound(group, 'min'), hi: bound(group, 'max') }, k)) lines.push(l);
    }
    return { entries, lines };
  });
}

/** The exact feasible interval of every entry listed (an analyst's attack, used by tests and the benchmark). */
export function feasibleIntervals(highs: Highs, input: Omit<AuditInput, 'k'>, entries: readonly number[]): Map<number, Interval> {
  return withBounds(highs, input, (bound) => new Map(entries.map((i) => [i, { lo: bound([i], 'min'), hi: bound([i], 'max') }])));
}

/** The least or greatest feasible value of the sum of `entries`. */
type Bound = (entries: readonly number[], sense: 'min' | 'max', onPoint?: (x: Float64Array | readonly number[]) => void) => number;

function withBounds<T>(highs: Highs, { values, equations, published }: Omit<AuditInput, 'k'>, use: (bound: Bound) => T): T {
  const n = values.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  published.forEach((p, i) => ([lower[i], upper[i]] = boundsOf(p)));
  // One row per equation: Σ parts − total = 0. Rows are built column-wise (CSC) from the parts.
  const columns: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  equations.forEach((eq, r) => {
    columns[eq.total].push([r, -1]);
    for (const p of eq.parts) columns[p].push([r, 1]);
  });
  const starts = [0];
  const indices: number[] = [];
  const coefficients: number[] = [];
  for (const col of columns) {
    for (const [r, c] of col) {
      indices.push(r);
      coefficients.push(c);
    }
    starts.push(indices.length);
  }
  const zeros = new Float64Array(equations.length);
  const model = highs.createModel({
    numCols: n,
    numRows: equations.length,
    colCost: new Float64Array(n),
    colLower: lower,
    colUpper: upper,
    rowLower: zeros,
    rowUpper: zeros,
    matrix: { format: 'csc', numRows: equations.length, numCols: n, starts, indices, values: coefficients },
  });
  try {
    // Small models solved many times: no log, no presolve, dual simplex from the last basis.
    model.options.set({ output_flag: false, log_to_console: false, presolve: 'off', solver: 'simplex', simplex_strategy: 1 });
    let costed: readonly number[] = [];
    const bound: Bound = (entries, sense, onPoint) => {
      for (const j of costed) model.changeColCost(j, 0);
      for (const j of entries) model.changeColCost(j, 1);
      costed = entries;
      model.changeObjectiveSense(sense === 'min' ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize);
      model.run();
      let x = optimum(model, highs);
      if (x.some((v) => Math.abs(v - Math.round(v)) > 1e-6)) x = integerOptimum(highs, model, n);
      onPoint?.(x);
      return entries.reduce((a, j) => a + Math.round(x[j]), 0);
    };
    return use(bound);
  } finally {
    model.dispose();
  }
}

type Model = ReturnType<Highs['createModel']>;

function optimum(model: Model, highs: Highs): Float64Array | readonly number[] {
  const status = model.getModelStatus();
  // The true counts are feasible and every bound is finite, so anything but an optimum is a fault: fail closed.
  if (status !== highs.constants.modelStatus.optimal) throw new Error(`interval audit: solver status ${status}`);
  return model.getSolution().colValue;
}

/** The same objective with every entry a whole number (branch and bound), for an optimum that came out fractional. */
function integerOptimum(highs: Highs, model: Model, n: number): Float64Array | readonly number[] {
  model.changeColsIntegrality({ kind: 'range', from: 0, to: n - 1 }, new Int32Array(n).fill(highs.constants.variableType.integer));
  try {
    model.run();
    return optimum(model, highs);
  } finally {
    model.clearIntegrality();
  }
}
