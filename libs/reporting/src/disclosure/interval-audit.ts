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

/**
 * Rounded half up to base 5: a published v stands for any count from v−2 to v+2 (never below 0,
 * nor below `floor`: an analyst who knows k knows a published count is at least k).
 */
const boundsOf = (p: Published, floor: number): [number, number] =>
  p.withheld ? [0, UNBOUNDED] : p.rounded ? [Math.max(0, floor, p.value - 2), p.value + 2] : [p.value, p.value];

/**
 * The protection rule (docs/reporting.md), for a withheld count and for the sum of the withheld
 * counts of one line: the range an analyst can derive for it lies wholly at or above k (a count
 * that large would have been published anyway), or spans more than k values (hi − lo ≥ k), or
 * holds every value from 0 to k−1 (which says no more than the suppression mark: "fewer than k").
 */
export const isProtected = (iv: Interval, k: number): boolean => iv.lo >= k || isWide(iv, k);

/** The part of the rule that a range only found from inside (from feasible points) can already prove. */
const isWide = ({ lo, hi }: Interval, k: number): boolean => hi - lo >= k || (lo <= 0 && hi >= k - 1);

/**
 * The rule for every analyst between two extremes. `exact` is the range left when the audit's
 * margins are known exactly (the most anyone holding several tables over them can know): every
 * analyst's range contains it. `looseLo` is the least value left when every published figure of
 * this table is read as the range its rounded figure stands for (the least anyone holding this
 * table knows): no analyst's range starts below it. Widening a range keeps the "wide" part of the
 * rule, but can break "at or above k" — [9, 14] is safe for k = 9, [6, 14] is not — so an exact
 * range at or above k is only safe if the loose lower bound is too, or if the range stays wide
 * from any start below k (from k − 1: hi ≥ 2k − 1).
 */
export const isProtectedAmid = (exact: Interval, looseLo: number, k: number): boolean =>
  isWide(exact, k) || (exact.lo >= k && (looseLo >= k || isWide({ lo: k - 1, hi: exact.hi }, k)));

export interface AuditInput {
  /** The true counts, one per entry (cells, margins, total): they are one feasible point. */
  values: readonly number[];
  equations: readonly Equation[];
  published: readonly Published[];
  /**
   * With rounding: what the table publishes when every published figure (margins and totals too)
   * is read as the range its rounded figure stands for — the least an analyst holding this table
   * knows. A count the exact audit puts at or above k must also start at or above k here (see
   * isProtectedAmid). Absent: the published figures are exact.
   */
  loose?: readonly Published[];
  k: number;
  /**
   * Entries whose feasible interval must contain the given one (a margin withheld in the
   * one-way table must not be narrowed by the two-way table it is a margin of).
   */
  mustContain?: ReadonlyMap<number, Interval>;
  /**
   * Symmetries of the table: for each entry (and each equation), an entry (equation) whose
   * range is the same because swapping two identical rows or columns maps one onto the other
   * and leaves everything published unchanged. Only the first of each is solved for.
   */
  twins?: { entries: readonly number[]; lines: readonly number[] };
}

export interface AuditResult {
  /** Withheld entries whose range fails the rule (or narrows a `mustContain` interval), in index order. */
  entries: number[];
  /**
   * Equations whose withheld parts, taken together, fail the rule: a group of withheld cells in
   * one line ("every other region") is a count too, since the analyst can add them up.
   */
  lines: number[];
  /** Feasible points found; they stay feasible when more is withheld, so the next audit starts from them. */
  points: Point[];
}

type Point = Float64Array | readonly number[];

/** Everything the published table lets an analyst narrow below the rule. `known`: feasible points from an earlier audit of the same counts with less withheld. */
export function audit(highs: Highs, input: AuditInput, known: readonly Point[] = []): AuditResult {
  const { values, equations, published, k, mustContain } = input;
  const contains = (i: number, iv: Interval) => {
    const outer = mustContain?.get(i);
    return !outer || (iv.lo <= outer.lo && iv.hi >= outer.hi);
  };
  // A range seen from inside can only grow: it proves the wide part of the rule, never "at or above k".
  const settled = (i: number, inner: Interval) => isWide(inner, k) && contains(i, inner);
  // The loose model is only built when a count the exact audit puts at or above k needs its check.
  let loose: Opened | undefined;
  const looseLo = (entries: readonly number[]) => {
    if (!input.loose) return Infinity;
    loose ??= openBounds(highs, { equations, published: input.loose });
    return loose.bound(entries, 'min');
  };
  const safe = (entries: readonly number[], exact: Interval) =>
    isWide(exact, k) || (exact.lo >= k && isProtectedAmid(exact, looseLo(entries), k));
  const satisfied = (i: number, exact: Interval) => contains(i, exact) && safe([i], exact);
  const entryTwin = input.twins?.entries ?? values.map((_, i) => i);
  const lineTwin = input.twins?.lines ?? equations.map((_, l) => l);
  const withheld = published.flatMap((p, i) => (p.withheld ? [i] : []));
  const candidates = withheld.filter((i) => entryTwin[i] === i);
  const groups = equations.map((eq) => eq.parts.filter((p) => published[p].withheld));
  const lineCandidates = groups.flatMap((g, l) => (g.length >= 2 && lineTwin[l] === l ? [l] : []));
  if (candidates.length === 0) return { entries: [], lines: [], points: [...known] };
  // What fails for one of a pair of twins fails for the other.
  const withTwins = (failing: number[], all: readonly number[], twin: readonly number[]) => {
    const failed = new Set(failing);
    return all.filter((i) => failed.has(twin[i]));
  };
  try {
    // The exact model also knows that every published count is at least k (the most an analyst knows).
    return withBounds(highs, input, (bound) => auditWith(bound), k);
  } finally {
    loose?.dispose();
  }
  function auditWith(bound: Bound): AuditResult {
    // Feasible points seen so far bound each interval from inside: the true counts are the first.
    const points: Point[] = [];
    const seen = values.map((v) => ({ lo: v, hi: v }));
    const note = (x: Point) => {
      points.push(x);
      x.forEach((v, j) => {
        const r = Math.round(v);
        if (r < seen[j].lo) seen[j].lo = r;
        if (r > seen[j].hi) seen[j].hi = r;
      });
    };
    [values, ...known].forEach(note);
    // Batches first: one solve pushing several open entries up (or down) at once is a feasible
    // point that settles many of them. A batch takes at most one entry per line, so its entries
    // do not compete for the same slack; single solves are left for the few that stay open.
    const open = (sense: 'min' | 'max') =>
      candidates.filter((i) => !settled(i, seen[i]) && (sense === 'max' || seen[i].lo > 0));
    // Each entry of a batch is held to the value that would settle it (never tighter than a point
    // already seen, so the batch stays feasible): the solver then spreads the slack over as many
    // of them as it can, instead of piling it onto one.
    const target = (i: number, sense: 'min' | 'max') =>
      sense === 'max' ? Math.max(seen[i].hi, seen[i].lo + k, k - 1) : Math.min(seen[i].lo, Math.max(0, seen[i].hi - k));
    for (const sense of ['max', 'min'] as const) {
      for (let left = open(sense); left.length > 1;) {
        bound(left, sense, note, new Map(left.map((i) => [i, target(i, sense)])));
        const next = open(sense);
        if (left.length - next.length < 2) break; // no better than single solves any more
        left = next;
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
      const eq = equations[l];
      const total = published[eq.total];
      // All withheld, total too: the group is the total, audited above as an entry.
      if (total.withheld && group.length === eq.parts.length) continue;
      // An exact total and exact parts: the group's sum is simply known.
      if (
        !total.withheld &&
        !total.rounded &&
        eq.parts.every((p) => {
          const q = published[p];
          return q.withheld || !q.rounded;
        })
      ) {
        const sum = eq.parts.reduce((a, p) => {
          const q = published[p];
          return q.withheld ? a : a - q.value;
        }, total.value);
        if (!safe(group, { lo: sum, hi: sum })) lines.push(l);
        continue;
      }
      const sums = points.map((x) => group.reduce((a, j) => a + Math.round(x[j]), 0));
      const inner = { lo: Math.min(...sums), hi: Math.max(...sums) };
      if (isWide(inner, k)) continue;
      if (!safe(group, { lo: bound(group, 'min'), hi: bound(group, 'max') })) lines.push(l);
    }
    return {
      entries: withTwins(entries, withheld, entryTwin),
      lines: withTwins(
        lines,
        equations.map((_, l) => l),
        lineTwin,
      ),
      points,
    };
  }
}

/** The exact feasible interval of every entry listed (an analyst's attack, used by tests and the benchmark). */
export function feasibleIntervals(
  highs: Highs,
  input: Omit<AuditInput, 'k'>,
  entries: readonly number[],
): Map<number, Interval> {
  return withBounds(
    highs,
    input,
    (bound) => new Map(entries.map((i) => [i, { lo: bound([i], 'min'), hi: bound([i], 'max') }])),
  );
}

/**
 * The least or greatest feasible value of the sum of `entries`; with `limits`, each listed entry
 * is held at most (max) or at least (min) at its limit for this solve only.
 */
type Bound = (
  entries: readonly number[],
  sense: 'min' | 'max',
  onPoint?: (x: Point) => void,
  limits?: ReadonlyMap<number, number>,
) => number;

function withBounds<T>(
  highs: Highs,
  input: Pick<AuditInput, 'equations' | 'published'>,
  use: (bound: Bound) => T,
  floor = 0,
): T {
  const opened = openBounds(highs, input, floor);
  try {
    return use(opened.bound);
  } finally {
    opened.dispose();
  }
}

interface Opened {
  bound: Bound;
  dispose: () => void;
}

/** One LP model of what `published` says about the table (published counts at least `floor`); dispose() frees it. */
function openBounds(
  highs: Highs,
  { equations, published }: Pick<AuditInput, 'equations' | 'published'>,
  floor = 0,
): Opened {
  // Only the unknowns are columns (withheld entries, and rounded ones): an exact figure is a constant.
  const column = published.map(() => -1);
  const lower: number[] = [];
  const upper: number[] = [];
  const fixed = published.map((p, i) => {
    const [lo, hi] = boundsOf(p, floor);
    if (lo === hi) return lo;
    column[i] = lower.length;
    lower.push(lo);
    upper.push(hi);
    return null;
  });
  const n = lower.length;
  // One row per equation with an unknown in it: Σ parts − total = −(the same over the constants).
  const entriesOf: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  const rhs: number[] = [];
  for (const eq of equations) {
    let constant = 0;
    const terms: Array<[number, number]> = [];
    for (const [entry, sign] of [[eq.total, -1], ...eq.parts.map((p) => [p, 1])] as Array<[number, number]>) {
      if (column[entry] < 0) constant += sign * fixed[entry]!;
      else terms.push([column[entry], sign]);
    }
    if (terms.length === 0) continue;
    for (const [c, sign] of terms) entriesOf[c].push([rhs.length, sign]);
    rhs.push(-constant);
  }
  const starts = [0];
  const indices: number[] = [];
  const coefficients: number[] = [];
  for (const col of entriesOf) {
    for (const [r, c] of col) {
      indices.push(r);
      coefficients.push(c);
    }
    starts.push(indices.length);
  }
  const bounds = Float64Array.from(rhs);
  const model = highs.createModel({
    numCols: n,
    numRows: rhs.length,
    colCost: new Float64Array(n),
    colLower: Float64Array.from(lower),
    colUpper: Float64Array.from(upper),
    rowLower: bounds,
    rowUpper: bounds,
    matrix: { format: 'csc', numRows: rhs.length, numCols: n, starts, indices, values: coefficients },
  });
  try {
    // Small models solved many times: no log, no presolve, dual simplex from the last basis.
    model.options.set({
      output_flag: false,
      log_to_console: false,
      presolve: 'off',
      solver: 'simplex',
      simplex_strategy: 1,
    });
  } catch (error) {
    model.dispose();
    throw error;
  }
  let costed: number[] = [];
  const bound: Bound = (entries, sense, onPoint, limits) => {
    const cols = entries.filter((j) => column[j] >= 0).map((j) => column[j]);
    const constant = entries.reduce((a, j) => (column[j] >= 0 ? a : a + fixed[j]!), 0);
    if (cols.length === 0) return constant;
    for (const c of costed) model.changeColCost(c, 0);
    for (const c of cols) model.changeColCost(c, 1);
    costed = cols;
    model.changeObjectiveSense(
      sense === 'min' ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize,
    );
    const held = [...(limits ?? [])].filter(([j]) => column[j] >= 0);
    for (const [j, limit] of held)
      model.changeColBounds(
        column[j],
        sense === 'min' ? Math.max(lower[column[j]], limit) : lower[column[j]],
        sense === 'max' ? Math.min(upper[column[j]], limit) : upper[column[j]],
      );
    let x: Float64Array | readonly number[];
    try {
      x = solved(model, highs);
      if (x.some((v) => Math.abs(v - Math.round(v)) > 1e-6)) x = integerOptimum(highs, model, n);
    } finally {
      for (const [j] of held) model.changeColBounds(column[j], lower[column[j]], upper[column[j]]);
    }
    const point = published.map((_, i) => (column[i] >= 0 ? Math.round(x[column[i]]) : fixed[i]!));
    onPoint?.(point);
    return entries.reduce((a, j) => a + point[j], 0);
  };
  return { bound, dispose: () => model.dispose() };
}

type Model = ReturnType<Highs['createModel']>;

/**
 * Run from the last basis; if that ends in anything but an optimum, once more from scratch.
 * The true counts are feasible and every bound is finite, so a second failure is a fault: the
 * report is refused (fail closed), never published unaudited.
 */
function solved(model: Model, highs: Highs): Float64Array | readonly number[] {
  model.run();
  if (model.getModelStatus() !== highs.constants.modelStatus.optimal) {
    model.clearSolver();
    model.run();
  }
  const status = model.getModelStatus();
  if (status !== highs.constants.modelStatus.optimal) throw new Error(`interval audit: solver status ${status}`);
  return model.getSolution().colValue;
}

/** The same objective with every entry a whole number (branch and bound), for an optimum that came out fractional. */
function integerOptimum(highs: Highs, model: Model, n: number): Float64Array | readonly number[] {
  model.changeColsIntegrality(
    { kind: 'range', from: 0, to: n - 1 },
    new Int32Array(n).fill(highs.constants.variableType.integer),
  );
  try {
    return solved(model, highs);
  } finally {
    model.clearIntegrality();
  }
}
