import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AnalystRoute, Exposes, Meta, type RequestMeta, Roles, actorOf } from '@harbour/auth';
import { EventStore, fold } from '@harbour/event-store';
import { type Dimension, dimensionsOf, REPORTS, vocabulary } from '../catalogue.js';
import { type BudgetEvent, budgetDecider, budgetStream } from '../dp/privacy-budget.js';
import { reportCsv } from '../output/csv.js';
import { reportSvg } from '../output/chart.js';
import { ReportService, type ReportTable } from '../report.service.js';
import { REPORTS_SETTINGS, type ReportsSettings } from '../reports.settings.js';
import { filtersOf, PrivateReportDto, ReportQueryDto } from './report.dto.js';
import { Problems } from '@harbour/kernel';
import { ReportingErrors } from '../errors.js';
import { PrivacyBudgetView, ReportCatalogueView, ReportTableView } from './report.responses.js';

/** Aggregate reports: the only routes an analyst reaches. Never a person-level row. */
@ApiTags('reports')
@ApiExtraModels(ReportTableView)
@ApiBearerAuth()
@AnalystRoute()
@Exposes('none') // counts from de-identified fact tables, disclosure-controlled
@Roles('analyst')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportService,
    private readonly store: EventStore,
    @Inject(REPORTS_SETTINGS) private readonly settings: ReportsSettings,
  ) {}

  @Get()
  @ApiOperation({ summary: 'What can be asked: reports, measures, dimensions and their values, disclosure settings' })
  @ApiOkResponse({ type: ReportCatalogueView })
  catalogue() {
    return {
      k: this.settings.k,
      rounding: this.settings.rounding,
      period: this.settings.period,
      // What a withheld figure means (docs/reporting.md, "Disclosure control").
      protection:
        'Every table is audited before it is published: no withheld count, and no sum of the withheld counts of a row or column, ' +
        'can be narrowed from what the table publishes to a range that starts below k and spans fewer than k + 1 values, unless it holds all of 0 to k - 1.',
      reports: Object.entries(REPORTS).map(([name, def]) => ({
        name,
        measures: Object.entries(def.measures).map(([measure, m]) => ({
          name: measure,
          percentiles: Boolean(m.days),
          dimensions: dimensionsOf(def, m),
        })),
        dimensions: Object.fromEntries(
          (Object.keys(def.dimensions) as Dimension[]).map((d) => [d, vocabulary(d, this.settings)]),
        ),
      })),
    };
  }

  @Get('privacy-budget')
  @ApiOperation({ summary: "The caller's differential-privacy budget: total, spent, remaining" })
  @ApiOkResponse({ type: PrivacyBudgetView })
  async budget(@Meta() meta: RequestMeta) {
    const events = (await this.store.readStream(budgetStream(meta.principal.userId))) as unknown as BudgetEvent[];
    const { spentMicro } = fold(budgetDecider, events);
    const total = this.settings.dpBudgetMicro;
    return { budget: total / 1e6, spent: spentMicro / 1e6, remaining: Math.max(0, total - spentMicro) / 1e6 };
  }

  @Get(':report')
  @ApiOperation({ summary: 'A report with disclosure control (format=json|csv|svg)' })
  @ApiOkResponse({
    description: 'JSON (default), CSV or an SVG chart (format=)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ReportTableView) } },
      'text/csv': { schema: { type: 'string' } },
      'image/svg+xml': { schema: { type: 'string' } },
    },
  })
  async report(@Param('report') report: string, @Query() query: ReportQueryDto, @Res() res: FastifyReply) {
    const table = await this.reports.build(this.reports.check(report, { ...query, filters: filtersOf(query) }));
    await send(res, table, query.format ?? 'json');
  }

  @Post(':report/private')
  @HttpCode(200)
  @ApiOperation({ summary: 'A report with differential privacy: spends epsilon from your budget, refused when spent' })
  @Problems(ReportingErrors.privacyBudgetSpent)
  @ApiOkResponse({
    description: 'JSON (default), CSV or an SVG chart (format=)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ReportTableView) } },
      'text/csv': { schema: { type: 'string' } },
      'image/svg+xml': { schema: { type: 'string' } },
    },
  })
  async private(
    @Param('report') report: string,
    @Body() body: PrivateReportDto,
    @Meta() meta: RequestMeta,
    @Res() res: FastifyReply,
  ) {
    const request = this.reports.check(report, { ...body, filters: filtersOf(body) });
    const table = await this.reports.buildPrivate(request, body.epsilon, actorOf(meta.principal, 'analyst'));
    await send(res, table, body.format ?? 'json');
  }
}

async function send(res: FastifyReply, table: ReportTable, format: 'json' | 'csv' | 'svg'): Promise<void> {
  if (format === 'csv') {
    await res
      .type('text/csv')
      .header('Content-Disposition', `attachment; filename="${table.report}-${table.measure}.csv"`)
      .send(reportCsv(table));
  } else if (format === 'svg') {
    await res.type('image/svg+xml').send(await reportSvg(table));
  } else {
    await res.type('application/json; charset=utf-8').send(JSON.stringify(table));
  }
}
