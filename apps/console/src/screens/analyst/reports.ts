/**
 * Analyst: pick a report, measure, dimensions and period; the table with withheld cells marked and
 * explained, the server's chart (an <img> of the same-origin SVG: never SVG markup in the page),
 * a CSV download link, and the differential-privacy variant with the remaining budget.
 */
import { api } from '../../api.js';
import { type Child, h, replace } from '../../dom.js';
import { t } from '../../i18n.js';
import type { Screen, ScreenContext } from '../../screen.js';
import { field, form, hashWith, input, select, staleness, submit, value } from '../oversight-kit.js';
import { reportTables, valueLabel } from './report-table.js';
import {
  ANALYST,
  apiQuery,
  type Budget,
  type Catalogue,
  type ReportQuery,
  type ReportTable,
  reportUrl,
} from './types.js';

function month(offset: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return d.toISOString().slice(0, 7);
}

function queryOf(ctx: ScreenContext, catalogue: Catalogue): ReportQuery {
  const report = catalogue.reports.find((r) => r.name === ctx.query.get('report')) ?? catalogue.reports[0];
  const measure = report.measures.find((m) => m.name === ctx.query.get('measure')) ?? report.measures[0];
  const dims = measure.dimensions;
  const pick = (name: string) => {
    const v = ctx.query.get(name) ?? '';
    return dims.includes(v) ? v : '';
  };
  return {
    report: report.name,
    measure: measure.name,
    rows: pick('rows') || (ctx.query.has('report') ? '' : (dims[0] ?? '')),
    columns: pick('columns'),
    from: ctx.query.get('from') ?? month(-5),
    to: ctx.query.get('to') ?? month(0),
    filterDimension: pick('filterDimension'),
    filterValue: ctx.query.get('filterValue') ?? '',
  };
}

/** The choice of report: changing the report or measure redraws the choices that depend on it. */
function chooser(ctx: ScreenContext, catalogue: Catalogue, q: ReportQuery): HTMLFormElement {
  const holder = h('div', { class: 'dependent' });
  const drawDependent = (reportName: string, measureName: string) => {
    const report = catalogue.reports.find((r) => r.name === reportName) ?? catalogue.reports[0];
    const measure = report.measures.find((m) => m.name === measureName) ?? report.measures[0];
    const dims = measure.dimensions;
    const dimLabel = (d: string) => t(`dim.${d}`);
    const filterDimension = dims.includes(q.filterDimension ?? '') ? (q.filterDimension ?? '') : '';
    const measureSelect = select(
      'measure',
      report.measures.map((m) => m.name),
      { value: measure.name },
    );
    measureSelect.addEventListener('change', () => drawDependent(report.name, measureSelect.value));
    const valueSelect = (dimension: string) =>
      select('filterValue', dimension ? (report.dimensions[dimension] ?? []) : [], {
        any: true,
        value: q.filterValue,
        label: (v) => valueLabel(dimension, v),
      });
    const filterValueField = h('div', {}, field(t('analyst.filter-value'), valueSelect(filterDimension)));
    const filterSelect = select('filterDimension', dims, { any: true, value: filterDimension, label: dimLabel });
    filterSelect.addEventListener('change', () =>
      replace(filterValueField, field(t('analyst.filter-value'), valueSelect(filterSelect.value))),
    );
    replace(
      holder,
      field(t('analyst.measure'), measureSelect),
      field(t('analyst.rows'), select('rows', dims, { any: true, value: q.rows, label: dimLabel }), {
        hint: t('analyst.hint.rows'),
      }),
      field(t('analyst.columns'), select('columns', dims, { any: true, value: q.columns, label: dimLabel })),
      h(
        'fieldset',
        {},
        h('legend', {}, t('analyst.filter')),
        field(t('analyst.filter-dimension'), filterSelect),
        filterValueField,
      ),
    );
  };
  const reportSelect = select(
    'report',
    catalogue.reports.map((r) => r.name),
    { value: q.report, label: (r) => t(`report.${r}`) },
  );
  reportSelect.addEventListener('change', () => drawDependent(reportSelect.value, ''));
  drawDependent(q.report, q.measure);
  return h(
    'form',
    {
      class: 'filters',
      'aria-label': t('analyst.choose'),
      onsubmit: (event: Event) => {
        event.preventDefault();
        const f = event.currentTarget as HTMLFormElement;
        const names = ['report', 'measure', 'rows', 'columns', 'from', 'to', 'filterDimension', 'filterValue'];
        ctx.navigate(hashWith('#/reports', Object.fromEntries(names.map((n) => [n, value(f, n)]))));
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, t('analyst.choose')),
      field(t('analyst.report'), reportSelect),
      holder,
      field(t('analyst.from'), input('from', { type: 'month', value: q.from }), { hint: t('analyst.hint.month') }),
      field(t('analyst.to'), input('to', { type: 'month', value: q.to }), { hint: t('analyst.hint.month') }),
    ),
    submit(t('analyst.show')),
  );
}

function budgetText(b: Budget): string {
  return t('analyst.budget', { remaining: b.remaining, budget: b.budget, spent: b.spent });
}

/** The differential-privacy variant: spends epsilon from the analyst's lifetime budget. */
function privateReport(ctx: ScreenContext, q: ReportQuery, budget: Budget, percentiles: boolean): HTMLElement {
  const remaining = h('p', { class: 'budget', id: 'dp-budget' }, budgetText(budget));
  const result = h('div', { 'aria-live': 'polite' });
  return h(
    'section',
    { 'aria-labelledby': 'dp-heading' },
    h('h2', { id: 'dp-heading' }, t('analyst.dp.heading')),
    h('p', {}, t('analyst.dp.intro')),
    remaining,
    form(
      ctx,
      { label: t('analyst.dp.heading'), busyLabel: t('analyst.dp.busy') },
      [
        field(t('analyst.dp.epsilon'), input('epsilon', { type: 'number', step: '0.01', min: '0.01', value: '0.1' }), {
          required: true,
          hint: t('analyst.hint.epsilon'),
        }),
        submit(t('analyst.dp.run')),
      ],
      async (f) => {
        const raw = value(f, 'epsilon');
        const epsilon = raw === '' ? Number.NaN : Number(raw);
        const body = {
          ...Object.fromEntries(Object.entries(apiQuery(q)).filter(([, v]) => v !== undefined)),
          epsilon: Number.isFinite(epsilon) ? epsilon : raw,
        };
        const { body: table } = await api.post<ReportTable>(
          `/v1/reports/${encodeURIComponent(q.report)}/private`,
          body,
        );
        replace(result, reportTables(table, percentiles));
        const { body: now } = await api.get<Budget>('/v1/reports/privacy-budget');
        remaining.textContent = budgetText(now);
        ctx.announce(budgetText(now));
      },
    ),
    result,
  );
}

export const reportsScreen: Screen = {
  route: '#/reports',
  title: 'analyst.title',
  nav: { roles: ANALYST, order: 50 },
  roles: ANALYST,
  async render(ctx) {
    const [{ body: catalogue }, { body: budget }] = await Promise.all([
      api.get<Catalogue>('/v1/reports'),
      api.get<Budget>('/v1/reports/privacy-budget'),
    ]);
    const q = queryOf(ctx, catalogue);
    const parts: Child[] = [h('p', {}, t('analyst.intro', { k: catalogue.k })), chooser(ctx, catalogue, q)];
    if (!ctx.query.has('report')) {
      parts.push(h('p', { class: 'empty' }, t('analyst.pick')));
      return parts;
    }
    const percentiles =
      catalogue.reports.find((r) => r.name === q.report)?.measures.find((m) => m.name === q.measure)?.percentiles ??
      false;
    const { body: table, headers } = await api.get<ReportTable>(`/v1/reports/${encodeURIComponent(q.report)}`, {
      query: apiQuery(q),
    });
    const describe = t('analyst.chart-alt', {
      measure: q.measure,
      rows: q.rows ? t(`dim.${q.rows}`) : t('analyst.total'),
      from: q.from,
      to: q.to,
    });
    parts.push(
      h('h2', {}, t('analyst.result', { report: t(`report.${q.report}`), measure: q.measure })),
      staleness(headers),
      reportTables(table, percentiles),
      h('p', { class: 'protection' }, h('strong', {}, t('analyst.protection'), ' '), catalogue.protection),
      h('h2', {}, t('analyst.chart')),
      h('img', { class: 'chart', src: reportUrl(q, 'svg'), alt: describe }),
      h(
        'p',
        {},
        h(
          'a',
          { href: reportUrl(q, 'csv'), download: `${q.report}-${q.measure}.csv`, class: 'button' },
          t('analyst.csv'),
        ),
      ),
      privateReport(ctx, q, budget, percentiles),
    );
    return parts;
  },
};
