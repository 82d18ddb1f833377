import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import escapeHtml from 'escape-html';
import type { NetworkView } from './action-plan.queries.js';

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is kept as text. */
const csvOptions = { cast: { string: (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) } };

/** One line per member: standing next to plans and overdue reports (csv-stringify, RFC 4180 quoting). */
export function membersCsv(view: NetworkView): string {
  return stringify(
    [
      [
        'agency_id',
        'name',
        'sector',
        'tier',
        'status',
        'open_removal_motion',
        'current_plans',
        'overdue_reports',
        'oldest_overdue_due_at',
      ],
      ...view.members.map((m) => [
        m.agencyId,
        m.name,
        m.sector,
        m.tier ?? '',
        m.status,
        m.openRemovalMotion ? 'yes' : 'no',
        m.currentPlans,
        m.overdueReports,
        m.oldestOverdueDueAt ?? '',
      ]),
    ],
    csvOptions,
  );
}

/** One line per indicator name and unit: the network's totals of current plans. */
export function indicatorsCsv(view: NetworkView): string {
  return stringify(
    [
      ['name', 'unit', 'agencies', 'indicators', 'value', 'target'],
      ...view.indicators.map((i) => [i.name, i.unit, i.agencies, i.plans, i.value, i.target]),
    ],
    csvOptions,
  );
}

const CSS = [
  'body{font:16px/1.5 system-ui,sans-serif;color:#111;max-width:60rem;margin:2rem auto;padding:0 1rem}',
  'h1{font-size:1.8rem}h2{font-size:1.4rem;border-bottom:2px solid #333;margin-top:2rem}',
  'table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.3rem .4rem;text-align:left;vertical-align:top}',
  'td.n{text-align:right}.late{font-weight:700}',
  '@media print{body{margin:0;max-width:none;font-size:10pt}tr{break-inside:avoid}}',
].join('');

/** Nothing may load or run on the page; only its one style block (by hash). */
export const NETWORK_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const e = (value: unknown) => escapeHtml(String(value));
const day = (iso: string | null) => (iso ? e(iso.slice(0, 10)) : '');
const table = (head: string[], rows: string[][]) =>
  `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.join('')}</tr>`)
    .join('')}</tbody></table>`;
const td = (v: unknown) => `<td>${e(v)}</td>`;
const num = (v: number) => `<td class="n">${e(v.toLocaleString('en'))}</td>`;

/** The network view as a printable page. Every value is HTML-escaped. */
export function networkHtml(view: NetworkView): string {
  const members = table(
    [
      'Member',
      'Sector',
      'Tier',
      'Status',
      'Open removal motion',
      'Current plans',
      'Overdue reports',
      'Oldest overdue due',
    ],
    view.members.map((m) => [
      td(m.name),
      td(m.sector),
      td(m.tier ?? ''),
      td(m.status),
      td(m.openRemovalMotion ? 'yes' : 'no'),
      num(m.currentPlans),
      m.overdueReports ? `<td class="n late">${e(m.overdueReports)}</td>` : num(0),
      `<td>${day(m.oldestOverdueDueAt)}</td>`,
    ]),
  );
  const overdue = view.overdue.length
    ? table(
        ['Member', 'Plan', 'Plan year', 'Due', 'Report'],
        view.overdue.map((o) => [
          td(o.agencyName),
          td(o.planId),
          num(o.period),
          `<td>${day(o.dueAt)}</td>`,
          td(o.reportStatus),
        ]),
      )
    : '<p>No progress report is overdue.</p>';
  const indicators = view.indicators.length
    ? table(
        ['Indicator', 'Unit', 'Agencies', 'Value (latest, summed)', 'Target (summed)'],
        view.indicators.map((i) => [td(i.name), td(i.unit), num(i.agencies), num(i.value), num(i.target)]),
      )
    : '<p>No current plan has indicators yet.</p>';
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<title>Action plans across the network</title>',
    `<style>${CSS}</style></head><body>`,
    `<h1>Action plans across the network</h1><p>As of ${e(view.asOf)}</p>`,
    `<h2>Members</h2>${members}`,
    `<h2>Overdue progress reports</h2>${overdue}`,
    `<h2>Indicator totals (current plans)</h2>${indicators}`,
    '</body></html>',
  ].join('');
}
