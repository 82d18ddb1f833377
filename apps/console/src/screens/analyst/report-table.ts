/** A report as tables, one per period: withheld cells say so in words, never as a blank or a zero. */
import { type Child, h } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Cell, ReportTable, Slice } from './types.js';

/** A dimension's value as people read it (the vocabularies the other areas name), else as the API names it. */
const NAMED: Record<string, string> = { need: 'need', purpose: 'purpose', sector: 'sector' };
export function valueLabel(dimension: string | null, value: string | undefined): string {
  if (!dimension || value === undefined) return t('analyst.total');
  const prefix = NAMED[dimension];
  return prefix ? t(`${prefix}.${value}`) : value;
}
const label = valueLabel;

/** A figure, or the plain mark of a withheld one (explained under the table). */
export function figure(cell: Cell | undefined, percentiles: boolean): Child {
  if (!cell) return t('kit.none');
  if (cell.suppressed || cell.count === null)
    return h(
      'span',
      { class: 'suppressed', title: t('analyst.withheld-title') },
      h('span', { 'aria-hidden': 'true' }, '✱ '),
      t('analyst.withheld'),
    );
  if (!percentiles) return String(cell.count);
  return t('analyst.timing', {
    count: cell.count,
    median: cell.median ?? t('kit.none'),
    p90: cell.p90 ?? t('kit.none'),
  });
}

function oneDimension(table: ReportTable, slice: Slice, percentiles: boolean): HTMLElement {
  return h(
    'table',
    {},
    h('caption', {}, t('analyst.caption', { measure: table.measure, period: slice.period })),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t(`dim.${table.rows ?? 'none'}`)),
        h('th', { scope: 'col' }, t('analyst.figure')),
      ),
    ),
    h(
      'tbody',
      {},
      slice.cells.map((c) =>
        h('tr', {}, h('th', { scope: 'row' }, label(table.rows, c.row)), h('td', {}, figure(c, percentiles))),
      ),
      h(
        'tr',
        { class: 'total' },
        h('th', { scope: 'row' }, t('analyst.total')),
        h('td', {}, figure(slice.total, percentiles)),
      ),
    ),
  );
}

function twoDimensions(table: ReportTable, slice: Slice, percentiles: boolean): HTMLElement {
  const rows = [...new Set(slice.cells.map((c) => c.row ?? ''))];
  const columns = [...new Set(slice.cells.map((c) => c.column ?? ''))];
  const at = new Map(slice.cells.map((c) => [`${c.row}\u0000${c.column}`, c]));
  const rowTotal = new Map((slice.rowTotals ?? []).map((c) => [c.row, c]));
  const columnTotal = new Map((slice.columnTotals ?? []).map((c) => [c.column, c]));
  return h(
    'table',
    {},
    h(
      'caption',
      {},
      t('analyst.caption2', {
        measure: table.measure,
        period: slice.period,
        rows: t(`dim.${table.rows}`),
        columns: t(`dim.${table.columns}`),
      }),
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t(`dim.${table.rows}`)),
        columns.map((c) => h('th', { scope: 'col' }, label(table.columns, c))),
        h('th', { scope: 'col' }, t('analyst.total')),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, label(table.rows, r)),
          columns.map((c) => h('td', {}, figure(at.get(`${r}\u0000${c}`), percentiles))),
          h('td', { class: 'total' }, figure(rowTotal.get(r), percentiles)),
        ),
      ),
      h(
        'tr',
        { class: 'total' },
        h('th', { scope: 'row' }, t('analyst.total')),
        columns.map((c) => h('td', {}, figure(columnTotal.get(c), percentiles))),
        h('td', {}, figure(slice.total, percentiles)),
      ),
    ),
  );
}

export function reportTables(table: ReportTable, percentiles: boolean): HTMLElement {
  const withheld = table.slices.some((s) =>
    [s.total, ...s.cells, ...(s.rowTotals ?? []), ...(s.columnTotals ?? [])].some(
      (c) => c.suppressed || c.count === null,
    ),
  );
  return h(
    'div',
    { class: 'report' },
    table.slices.length === 0 ? h('p', { class: 'empty' }, t('analyst.no-periods')) : null,
    table.slices.map((slice) =>
      h(
        'div',
        { class: 'table-wrap' },
        table.columns
          ? twoDimensions(table, slice, percentiles)
          : table.rows
            ? oneDimension(table, slice, percentiles)
            : oneDimension(table, { ...slice, cells: [] }, percentiles),
      ),
    ),
    h(
      'p',
      { class: withheld ? 'suppression-note has-withheld' : 'suppression-note' },
      withheld ? h('strong', {}, t('analyst.withheld-present'), ' ') : null,
      table.privacy.mode === 'differential-privacy'
        ? t('analyst.dp-explain', { epsilon: table.privacy.epsilon ?? 0 })
        : t('analyst.suppression-explain', { k: table.k }),
      table.rounding ? ` ${t('analyst.rounding')}` : '',
    ),
  );
}
