import { Injectable } from '@nestjs/common';
import { ReplicaReads } from '@harbour/database';
import type { Dimension } from './catalogue.js';
import type { ReportRequest } from './report-request.js';
import { NEED_CATEGORIES } from '@harbour/vocabulary';

/** One group of facts: `a`/`b` are null where the group is a margin over that dimension. */
export interface FactGroup {
  period: string;
  a: string | null;
  b: string | null;
  n: number;
  median: number | null;
  p90: number | null;
}

type Row = Record<string, unknown> & { period: string };

/** Every non-empty subset of the grouping keys after the period, period always kept (for margins' percentiles). */
const subsets = <T>(xs: T[]): T[][] => xs.reduce<T[][]>((acc, x) => [...acc.map((s) => [...s, x]), ...acc], [[]]);

/**
 * The only SQL of the reports: counts (and, for timing measures, percentiles) grouped by period
 * and up to two dimensions, over the de-identified facts of survivors whose consent permits
 * `statistics` at `now` (anonymous notices always count). Values only ever come in as bind
 * parameters; column expressions come from the fixed catalogue. Facts listing several needs
 * are counted per need with one filtered aggregate per category over the need bit set — one pass
 * over the facts, no unnesting.
 */
@Injectable()
export class ReportReader {
  constructor(private readonly reads: ReplicaReads) {}

  async groups(
    request: ReportRequest,
    dims: Dimension[],
    period: 'month' | 'quarter',
    now: Date,
  ): Promise<FactGroup[]> {
    const { def, measureDef } = request;
    const bitwise = dims.includes('need') && def.needBits !== undefined;
    const grouped = dims.filter((d) => !(bitwise && d === 'need'));
    const exprs = grouped.map((d) => def.dimensions[d]!);
    const periodExpr = period === 'quarter' ? `date_trunc('quarter', f.month)::date` : 'f.month';
    const days = measureDef.days ? `f.${measureDef.days}` : null;
    const stats = (filter: string) =>
      days
        ? `, percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days}) ${filter} AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${days}) ${filter} AS p90`
        : '';
    const aggregates = bitwise
      ? NEED_CATEGORIES.map((_, i) => {
          const filter = `FILTER (WHERE f.${def.needBits} & ${1 << i} <> 0)`;
          return `count(*) ${filter}::int AS c${i}${days ? `, percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days}) ${filter} AS m${i}, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${days}) ${filter} AS q${i}` : ''}`;
        }).join(', ') + stats('')
      : `count(*)::int AS n${stats('')}`;
    // Timing measures need percentiles of every margin too; counts are summed from the cells.
    const sets = days ? subsets(exprs.map((_, i) => i)) : [exprs.map((_, i) => i)];
    const groupingFlags = exprs.map((e, i) => (sets.length > 1 ? `GROUPING(${e}) AS g${i}` : `0 AS g${i}`));
    // Counted: survivors with a consent permitting statistics now, whose data was not erased
    // (an erased survivor's key row is kept, destroyed; their subject is found by the same digest refOf makes).
    const consent = def.needsStatisticsConsent
      ? `AND f.subject_key IN (SELECT subject_key FROM reports_consent_state
           WHERE 'statistics' = ANY (purposes) AND NOT revoked AND valid_from <= $3 AND valid_until > $3)
         AND f.subject_key NOT IN (SELECT s.subject_key FROM privacy_data_keys k
           JOIN reports_subjects s ON s.survivor_ref = sha256('survivor'::bytea || '\\x00'::bytea || convert_to(k.survivor_id, 'UTF8'))
           WHERE k.destroyed_at IS NOT NULL)`
      : '';
    const label = period === 'quarter' ? `to_char(q.p, 'YYYY-"Q"Q')` : `to_char(q.p, 'YYYY-MM')`;
    const rows: Row[] = await this.reads.query(
      `SELECT ${label} AS period, q.* FROM (
         SELECT ${periodExpr} AS p${exprs.map((e, i) => `, ${e} AS d${i}`).join('')}${groupingFlags.map((g) => `, ${g}`).join('')}, ${aggregates}
         FROM ${def.table} f
         WHERE f.month >= $1 AND f.month <= $2 AND ${measureDef.where} ${consent}
         GROUP BY GROUPING SETS (${sets.map((set) => `(${[periodExpr, ...set.map((i) => exprs[i])].join(', ')})`).join(', ')})
       ) q`,
      def.needsStatisticsConsent ? [request.fromMonth, request.toMonth, now] : [request.fromMonth, request.toMonth],
    );
    const out: FactGroup[] = [];
    const num = (v: unknown) => (v == null ? null : Number(v));
    for (const row of rows) {
      const values = grouped.map((_, i) => (row[`g${i}`] ? null : (row[`d${i}`] as string)));
      const place = (need: string | null) => {
        const byDim = new Map<Dimension, string | null>(grouped.map((d, i) => [d, values[i]]));
        if (bitwise) byDim.set('need', need);
        return { a: dims[0] ? (byDim.get(dims[0]) ?? null) : null, b: dims[1] ? (byDim.get(dims[1]) ?? null) : null };
      };
      if (!bitwise) {
        out.push({ period: row.period, ...place(null), n: Number(row.n), median: num(row.median), p90: num(row.p90) });
        continue;
      }
      NEED_CATEGORIES.forEach((need, i) =>
        out.push({
          period: row.period,
          ...place(need),
          n: Number(row[`c${i}`]),
          median: num(row[`m${i}`]),
          p90: num(row[`q${i}`]),
        }),
      );
      // The margin over needs: percentiles over the facts themselves (a fact with two needs counts once here).
      if (days) out.push({ period: row.period, ...place(null), n: 0, median: num(row.median), p90: num(row.p90) });
    }
    return out;
  }
}
