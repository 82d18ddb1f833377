import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ValidationFailed } from '@harbour/kernel';
import type { ReportTable } from '../report.service.js';

/**
 * An SVG bar chart of a one-dimension report: vega-lite compiled to vega and rendered on the
 * server (no browser, no canvas). Withheld cells are drawn as no bar and named in the caption;
 * vega escapes every text it writes.
 */
export async function reportSvg(table: ReportTable): Promise<string> {
  if (!table.rows || table.columns || table.slices.every((s) => s.cells.length === 0)) {
    throw new ValidationFailed([
      { field: 'format', problem: 'charts are drawn for one-dimension reports (rows, no columns)' },
    ]);
  }
  const values = table.slices.flatMap((s) => s.cells.map((c) => ({ period: s.period, value: c.row, count: c.count })));
  const withheld = values.filter((v) => v.count === null).length;
  const several = table.slices.length > 1;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${table.report}: ${table.measure} by ${table.rows}, ${table.from} to ${table.to}${table.filter ? ` (${table.filter.dimension} = ${table.filter.value})` : ''}`,
      subtitle: `${withheld} cell(s) withheld (fewer than ${table.k} or protecting another)${table.rounding ? '; counts rounded to base 5' : ''}`,
    },
    data: { values: values.filter((v) => v.count !== null) },
    mark: 'bar',
    width: { step: several ? 12 : 24 },
    height: 240,
    encoding: {
      x: { field: 'value', type: 'nominal', title: table.rows, sort: null },
      y: { field: 'count', type: 'quantitative', title: table.measure },
      ...(several
        ? { xOffset: { field: 'period', type: 'nominal' }, color: { field: 'period', type: 'nominal' } }
        : {}),
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
