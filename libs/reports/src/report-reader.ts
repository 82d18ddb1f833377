import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Dimension } from './catalogue.js';
import type { ReportRequest } from './report-request.js';

/** One group of facts: `a`/`b` are null where the group is a margin over that dimension. */
export interface FactGroup {
  period: string;
  a: string | null;
  b: string | null;
  n: number;
  median: number | null;
  p90: number | null;
}

/**
 * The only SQL of the reports: counts (and, for timing measures, percentiles) grouped by period
 * and up to two dimensions, over the de-identified facts of survivors whose consent permits
 * `statistics` at `now` (anonymous notices always count). Values only ever come in as bind
 * parameters; column expressions come from the fixed catalogue.
 */
@Injectable()
export class ReportReader {
  constructor(private readonly dataSource: DataSource) {}

  async groups(request: ReportRequest, dims: Dimension[], period: 'month' | 'quarter', now: Date): Promise<FactGroup[]> {
    const { def, measureDef } = request;
    const expr = (d: Dimension) => def.dimensions[d]!;
    const a = dims[0] ? expr(dims[0]) : 'NULL::text';
    const b = dims[1] ? expr(dims[1]) : 'NULL::text';
    const periodExpr = period === 'quarter' ? `to_char(f.month, 'YYYY-"Q"Q')` : `to_char(f.month, 'YYYY-MM')`;
    const unnest = dims.includes('need') && def.needArray ? `CROSS JOIN LATERAL unnest(f.${def.needArray}) AS n(need)` : '';
    const consent = def.needsStatisticsConsent
      ? `AND f.subject_key IN (SELECT subject_key FROM reports_consent_state
           WHERE 'statistics' = ANY (purposes) AND NOT revoked AND valid_from <= $3 AND valid_until > $3)`
      : '';
    const days = measureDef.days ? `f.${measureDef.days}` : null;
    const stats = days
      ? `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days}) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${days}) AS p90`
      : 'NULL::float8 AS median, NULL::float8 AS p90';
    // Timing measures need percentiles of every margin too; counts are summed from the cells.
    const keys = [periodExpr, ...dims.map(expr)];
    const sets = days
      ? [keys, ...(dims.length === 2 ? [[periodExpr, keys[1]], [periodExpr, keys[2]]] : []), ...(dims.length > 0 ? [[periodExpr]] : [])]
      : [keys];
    const grouped = (i: number) => (dims[i] && sets.length > 1 ? `GROUPING(${keys[i + 1]})` : '0');
    const rows: Array<{ period: string; a: string | null; b: string | null; ga: number; gb: number; n: number; median: number | null; p90: number | null }> =
      await this.dataSource.query(
        `SELECT ${periodExpr} AS period, ${a} AS a, ${b} AS b, ${grouped(0)} AS ga, ${grouped(1)} AS gb, count(*)::int AS n, ${stats}
         FROM ${def.table} f ${unnest}
         WHERE f.month >= $1 AND f.month <= $2 AND ${measureDef.where} ${consent}
         GROUP BY GROUPING SETS (${sets.map((set) => `(${set.join(', ')})`).join(', ')})`,
        def.needsStatisticsConsent ? [request.fromMonth, request.toMonth, now] : [request.fromMonth, request.toMonth],
      );
    return rows.map((r) => ({
      period: r.period,
      a: dims[0] && !r.ga ? r.a : null,
      b: dims[1] && !r.gb ? r.b : null,
      n: r.n,
      median: r.median,
      p90: r.p90,
    }));
  }
}
