import { type FieldProblem, ValidationFailed } from '@harbour/kernel';
import {
  type Dimension,
  DIMENSIONS,
  dimensionsOf,
  type MeasureDef,
  type ReportDef,
  REPORTS,
  vocabulary,
} from './catalogue.js';
import type { ReportsSettings } from './reports.settings.js';

/** A checked request: whole dimension values and whole months only, at most two dimensions in all. */
export interface ReportRequest {
  report: string;
  def: ReportDef;
  measure: string;
  measureDef: MeasureDef;
  rows: Dimension | null;
  columns: Dimension | null;
  filter: { dimension: Dimension; value: string } | null;
  /** Period labels in order (`2026-01` or `2026-Q1`). */
  periods: string[];
  /** First day of the first month and of the last month in range (`YYYY-MM-01`). */
  fromMonth: string;
  toMonth: string;
}

export interface RawReportQuery {
  measure?: string;
  rows?: string;
  columns?: string;
  from?: string;
  to?: string;
  /** Filters: dimension name → one whole value. */
  filters: Partial<Record<string, string>>;
}

const MONTH = /^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/;
/** Longest range one request may cover (slices are protected one by one, so this only bounds the work). */
export const MAX_MONTHS = 120;

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthLabel = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
export const quarterLabel = (i: number) => `${Math.floor(i / 12)}-Q${Math.floor((i % 12) / 3) + 1}`;

/** An own entry only: a name from the request such as `valueOf` or `constructor` must not find Object.prototype's (a 500; found by the fuzz suite). */
const own = <T>(table: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

export function checkReportRequest(report: string, q: RawReportQuery, settings: ReportsSettings): ReportRequest {
  const def = own(REPORTS, report);
  if (!def)
    throw new ValidationFailed(
      [{ field: 'report', problem: `must be one of ${Object.keys(REPORTS).join(', ')}` }],
      'Unknown report',
    );
  const problems: FieldProblem[] = [];
  const measureDef = q.measure ? own(def.measures, q.measure) : undefined;
  if (!measureDef)
    problems.push({ field: 'measure', problem: `must be one of ${Object.keys(def.measures).join(', ')}` });
  const allowed = measureDef ? dimensionsOf(def, measureDef) : (Object.keys(def.dimensions) as Dimension[]);
  const dim = (field: 'rows' | 'columns'): Dimension | null => {
    const v = q[field];
    if (v === undefined) return null;
    if (!(allowed as string[]).includes(v)) {
      problems.push({ field, problem: `must be one of ${allowed.join(', ')}` });
      return null;
    }
    return v as Dimension;
  };
  const rows = dim('rows');
  const columns = dim('columns');
  if (columns && !q.rows) problems.push({ field: 'columns', problem: 'needs rows' });
  if (rows && columns && rows === columns) problems.push({ field: 'columns', problem: 'must differ from rows' });
  let filter: ReportRequest['filter'] = null;
  for (const [name, value] of Object.entries(q.filters)) {
    if (value === undefined) continue;
    if (!(DIMENSIONS as readonly string[]).includes(name) || !(allowed as string[]).includes(name)) {
      problems.push({ field: name, problem: `this report filters only by ${allowed.join(', ')}` });
      continue;
    }
    if (!vocabulary(name as Dimension, settings).includes(value)) {
      problems.push({
        field: name,
        problem: `must be one whole value of ${name}: ${vocabulary(name as Dimension, settings).join(', ')}`,
      });
      continue;
    }
    if (name === q.rows || name === q.columns)
      problems.push({ field: name, problem: 'cannot filter the dimension the report is broken down by' });
    if (filter) problems.push({ field: name, problem: 'only one filter per request' });
    filter = { dimension: name as Dimension, value };
  }
  if (filter && columns)
    problems.push({
      field: filter.dimension,
      problem: 'a report has at most two dimensions, counting its filter: drop columns or the filter',
    });
  for (const field of ['from', 'to'] as const) {
    if (!q[field] || !MONTH.test(q[field])) problems.push({ field, problem: 'must be a whole month, YYYY-MM' });
  }
  if (problems.length) throw new ValidationFailed(problems);
  const from = monthIndex(q.from!);
  const to = monthIndex(q.to!);
  if (to < from) throw new ValidationFailed([{ field: 'to', problem: 'must not be before from' }]);
  if (to - from + 1 > MAX_MONTHS)
    throw new ValidationFailed([{ field: 'to', problem: `a report covers at most ${MAX_MONTHS} months` }]);
  let periods: string[];
  if (settings.period === 'quarter') {
    if (from % 3 !== 0)
      throw new ValidationFailed([
        { field: 'from', problem: 'reports are by quarter: must be the first month of a quarter' },
      ]);
    if (to % 3 !== 2)
      throw new ValidationFailed([
        { field: 'to', problem: 'reports are by quarter: must be the last month of a quarter' },
      ]);
    periods = [];
    for (let i = from; i <= to; i += 3) periods.push(quarterLabel(i));
  } else {
    periods = Array.from({ length: to - from + 1 }, (_, i) => monthLabel(from + i));
  }
  return {
    report,
    def,
    measure: q.measure!,
    measureDef: measureDef!,
    rows,
    columns,
    filter,
    periods,
    fromMonth: `${q.from}-01`,
    toMonth: `${q.to}-01`,
  };
}
