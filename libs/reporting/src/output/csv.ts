import { stringify } from 'csv-stringify/sync';
import type { ReportTable } from '../report.service.js';

const ALL = '(all)';

/**
 * The report as CSV (csv-stringify, RFC 4180 quoting): one line per published or withheld
 * figure; margins carry `(all)` in the dimension they sum over. Withheld figures are empty
 * with status `suppressed`.
 */
export function reportCsv(table: ReportTable): string {
  const timing = table.slices.some((s) => s.total.median !== undefined);
  const header = [
    'period',
    table.rows ?? 'row',
    table.columns ?? 'column',
    'count',
    'status',
    ...(timing ? ['median_days', 'p90_days'] : []),
  ];
  const lines: unknown[][] = [];
  const line = (
    period: string,
    row: string,
    column: string,
    f: { count: number | null; median?: number | null; p90?: number | null },
  ) =>
    lines.push([
      period,
      row,
      column,
      f.count ?? '',
      f.count === null ? 'suppressed' : 'published',
      ...(timing ? [f.median ?? '', f.p90 ?? ''] : []),
    ]);
  for (const s of table.slices) {
    for (const c of s.cells) line(s.period, c.row, c.column ?? (table.columns ? '' : ALL), c);
    for (const r of s.rowTotals ?? []) line(s.period, r.row, ALL, r);
    for (const c of s.columnTotals ?? []) line(s.period, ALL, c.column, c);
    line(s.period, table.filter && !table.rows ? table.filter.value : ALL, ALL, s.total);
  }
  return stringify(lines, { header: true, columns: header });
}
