import { Inject, Injectable } from '@nestjs/common';
import { type Actor, CLOCK, type Clock, ValidationFailed } from '@harbour/kernel';
import { type Dimension, DIMENSIONS, vocabulary } from './catalogue.js';
import type { Highs } from 'highs';
import { solver } from './disclosure/interval-audit.js';
import { ProtectionCache } from './disclosure/protection-cache.js';
import {
  type Disclosure,
  protectOneWay,
  protectTwoWay,
  roundToFive,
  type SliceProtection,
} from './disclosure/suppression.js';
import { sampleDiscreteLaplace } from './dp/discrete-laplace.js';
import { PrivacyBudget } from './dp/privacy-budget.js';
import { type FactGroup, ReportReader } from './report-reader.js';
import { checkReportRequest, type RawReportQuery, type ReportRequest } from './report-request.js';
import { MICRO, REPORTS_SETTINGS, type ReportsSettings } from './reports.settings.js';
import { NEED_CATEGORIES } from '@harbour/vocabulary';

/** One published figure; `count` is null when withheld, and so are the percentiles. */
export interface Figure {
  count: number | null;
  suppressed?: true;
  median?: number | null;
  p90?: number | null;
}
export interface Slice {
  period: string;
  cells: Array<{ row: string; column?: string } & Figure>;
  rowTotals?: Array<{ row: string } & Figure>;
  columnTotals?: Array<{ column: string } & Figure>;
  total: Figure;
}
export interface ReportTable {
  report: string;
  measure: string;
  period: 'month' | 'quarter';
  from: string;
  to: string;
  rows: Dimension | null;
  columns: Dimension | null;
  filter: { dimension: Dimension; value: string } | null;
  k: number;
  rounding: boolean;
  privacy:
    { mode: 'suppression' } | { mode: 'differential-privacy'; epsilon: number; spent: number; remaining: number };
  slices: Slice[];
}

/**
 * Builds every answer from canonical tables: a period's table by (rows) or (rows × columns) is
 * protected the same way whatever else is asked, a filter is answered as one column of the
 * canonical two-way table, and periods are protected one by one with no total across them —
 * so no two allowed requests can be subtracted to expose a withheld count.
 */
@Injectable()
export class ReportService {
  private readonly protections = new ProtectionCache();

  constructor(
    private readonly reader: ReportReader,
    private readonly budget: PrivacyBudget,
    @Inject(REPORTS_SETTINGS) private readonly settings: ReportsSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  check(report: string, query: RawReportQuery): ReportRequest {
    return checkReportRequest(report, query, this.settings);
  }

  async build(request: ReportRequest): Promise<ReportTable> {
    const groups = await this.reader.groups(request, this.dims(request), this.settings.period, this.clock.now());
    return this.assemble(await solver(), request, groups, { mode: 'suppression' }, (n) => n, this.protections);
  }

  /** Differential privacy: spend first (refused when the budget is spent), then add discrete Laplace noise to every cell. */
  async buildPrivate(request: ReportRequest, epsilon: number, analyst: Actor): Promise<ReportTable> {
    if (request.measureDef.days) {
      throw new ValidationFailed([
        { field: 'measure', problem: 'percentile measures are not offered with differential privacy' },
      ]);
    }
    const microEpsilon = Math.round(epsilon * MICRO);
    if (microEpsilon < 1) throw new ValidationFailed([{ field: 'epsilon', problem: 'must be at least 0.000001' }]);
    const { spent, remaining } = await this.budget.spend(analyst, microEpsilon, request.report, request.measure);
    // One referral counts under each of its needs: with need as a dimension a fact moves up to that many cells.
    const sensitivity = this.dims(request).includes('need') ? NEED_CATEGORIES.length : 1;
    const groups = await this.reader.groups(request, this.dims(request), this.settings.period, this.clock.now());
    const noisy = (n: number) => Math.max(0, n + sampleDiscreteLaplace(microEpsilon, sensitivity * MICRO));
    // Noisy counts differ every time: nothing to reuse.
    return this.assemble(
      await solver(),
      request,
      groups,
      { mode: 'differential-privacy', epsilon: microEpsilon / MICRO, spent, remaining },
      noisy,
      new ProtectionCache(0),
    );
  }

  /** The dimensions of the canonical table behind a request: rows, then columns or the filtered dimension. */
  private dims(request: ReportRequest): Dimension[] {
    return [request.rows, request.columns ?? request.filter?.dimension ?? null].filter(
      (d): d is Dimension => d !== null,
    );
  }

  private assemble(
    highs: Highs,
    request: ReportRequest,
    groups: FactGroup[],
    privacy: ReportTable['privacy'],
    perturb: (n: number) => number,
    cache: ProtectionCache,
  ): ReportTable {
    const { k, rounding } = this.settings;
    const disclosure: Disclosure = { k, rounding };
    const dims = this.dims(request);
    const settings = `${k}|${rounding}|${dims.join('×')}`;
    const A = dims[0] ? vocabulary(dims[0], this.settings) : [''];
    const B = dims[1] ? vocabulary(dims[1], this.settings) : [''];
    const key = (period: string, a: string | null, b: string | null) => `${period}\u0000${a ?? '*'}\u0000${b ?? '*'}`;
    const byKey = new Map(groups.map((g) => [key(g.period, g.a, g.b), g]));
    const finest = (period: string, a: string, b: string) =>
      byKey.get(key(period, dims[0] ? a : null, dims[1] ? b : null));
    const publish = (count: number, suppressed: boolean, stats?: FactGroup): Figure => {
      if (suppressed)
        return { count: null, suppressed: true, ...(request.measureDef.days ? { median: null, p90: null } : {}) };
      const figure: Figure = { count: rounding ? roundToFive(count) : count };
      if (request.measureDef.days) {
        figure.median = stats?.median == null ? null : Math.round(stats.median * 10) / 10;
        figure.p90 = stats?.p90 == null ? null : Math.round(stats.p90 * 10) / 10;
      }
      return figure;
    };
    const slices = request.periods.map((period): Slice => {
      const cells = A.map((a) => B.map((b) => perturb(finest(period, a, b)?.n ?? 0)));
      const rowSums = cells.map((r) => r.reduce((x, y) => x + y, 0));
      const colSums = B.map((_, j) => cells.reduce((x, r) => x + r[j], 0));
      const total = rowSums.reduce((x, y) => x + y, 0);
      const margin = (a: string | null, b: string | null) => byKey.get(key(period, a, b));
      if (dims.length === 0) return { period, cells: [], total: publish(total, total < k, margin(null, null)) };
      if (dims.length === 1) {
        const p = cache.get(`1|${settings}|${rowSums.join(',')}`, () => protectOneWay(highs, rowSums, disclosure));
        if (request.filter) {
          // Only a filter: one cell of the canonical one-way table.
          const i = A.indexOf(request.filter.value);
          return { period, cells: [], total: publish(rowSums[i], p.cells[i], margin(A[i], null)) };
        }
        return {
          period,
          cells: A.map((a, i) => ({ row: a, ...publish(rowSums[i], p.cells[i], margin(a, null)) })),
          total: publish(total, p.total, margin(null, null)),
        };
      }
      const p = cache.get(`2|${settings}|${cells.map((r) => r.join(',')).join(';')}`, () =>
        canonicalTwoWay(highs, cells, dims, disclosure),
      );
      if (request.filter) {
        // One column of the canonical two-way table; its total is that column's margin.
        const j = B.indexOf(request.filter.value);
        return {
          period,
          cells: A.map((a, i) => ({ row: a, ...publish(cells[i][j], p.cells[i][j], margin(a, B[j])) })),
          total: publish(colSums[j], p.columnTotals![j], margin(null, B[j])),
        };
      }
      return {
        period,
        cells: A.flatMap((a, i) =>
          B.map((b, j) => ({ row: a, column: b, ...publish(cells[i][j], p.cells[i][j], margin(a, b)) })),
        ),
        rowTotals: A.map((a, i) => ({ row: a, ...publish(rowSums[i], p.rowTotals[i], margin(a, null)) })),
        columnTotals: B.map((b, j) => ({ column: b, ...publish(colSums[j], p.columnTotals![j], margin(null, b)) })),
        total: publish(total, p.total, margin(null, null)),
      };
    });
    return {
      report: request.report,
      measure: request.measure,
      period: this.settings.period,
      from: request.fromMonth.slice(0, 7),
      to: request.toMonth.slice(0, 7),
      rows: request.rows,
      columns: request.columns,
      filter: request.filter,
      k,
      rounding,
      privacy,
      slices,
    };
  }
}

const transpose = <T>(m: T[][]): T[][] => (m.length ? m[0].map((_, j) => m.map((row) => row[j])) : []);

/**
 * Two dimensions always make the same canonical table, in catalogue order, whichever is asked
 * as rows: otherwise `rows=a&columns=b` and `rows=b&columns=a` could pick different
 * complementary cells and be laid together.
 */
function canonicalTwoWay(highs: Highs, cells: number[][], dims: Dimension[], disclosure: Disclosure): SliceProtection {
  if (DIMENSIONS.indexOf(dims[0]) < DIMENSIONS.indexOf(dims[1])) return protectTwoWay(highs, cells, disclosure);
  const t = protectTwoWay(highs, transpose(cells), disclosure);
  return { cells: transpose(t.cells), rowTotals: t.columnTotals!, columnTotals: t.rowTotals, total: t.total };
}
