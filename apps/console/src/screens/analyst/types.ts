/** The reports API's shapes (libs/reporting/src/http/report.responses.ts). */
export const ANALYST = ['analyst'];

export interface Catalogue {
  k: number;
  rounding: boolean;
  period: string;
  protection: string;
  reports: {
    name: string;
    measures: { name: string; percentiles: boolean; dimensions: string[] }[];
    dimensions: Record<string, string[]>;
  }[];
}

export interface Cell {
  row?: string;
  column?: string;
  count: number | null;
  suppressed?: boolean;
  median?: number | null;
  p90?: number | null;
}

export interface Slice {
  period: string;
  cells: Cell[];
  rowTotals?: Cell[];
  columnTotals?: Cell[];
  total: Cell;
}

export interface ReportTable {
  report: string;
  measure: string;
  period: string;
  from: string;
  to: string;
  rows: string | null;
  columns: string | null;
  filter: { dimension: string; value: string } | null;
  k: number;
  rounding: boolean;
  privacy: { mode: 'suppression' | 'differential-privacy'; epsilon?: number; spent?: number; remaining?: number };
  slices: Slice[];
}

export interface Budget {
  budget: number;
  spent: number;
  remaining: number;
}

/** What a report request names (the query of the route and of the hash). */
export interface ReportQuery {
  report: string;
  measure: string;
  rows?: string;
  columns?: string;
  from: string;
  to: string;
  filterDimension?: string;
  filterValue?: string;
}

/** The API's query: filters are named by their dimension (`?urgency=high`). */
export function apiQuery(q: ReportQuery): Record<string, string | undefined> {
  return {
    measure: q.measure,
    rows: q.rows || undefined,
    columns: q.columns || undefined,
    from: q.from,
    to: q.to,
    ...(q.filterDimension && q.filterValue ? { [q.filterDimension]: q.filterValue } : {}),
  };
}

export function reportUrl(q: ReportQuery, format: 'csv' | 'svg'): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...apiQuery(q), format })) if (v) params.set(k, v);
  return `/v1/reports/${encodeURIComponent(q.report)}?${params.toString()}`;
}
