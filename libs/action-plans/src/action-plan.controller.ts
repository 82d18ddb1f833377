import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Exposes, Meta, type RequestMeta, Roles } from '@harbour/auth';
import { CLOCK, type Clock, Problems, ValidationFailed } from '@harbour/kernel';
import { ActionPlanErrors as E } from './errors.js';
import {
  AmendActionPlanDto,
  DraftReportDto,
  ListQueryDto,
  NetworkViewQueryDto,
  NewActionPlanDto,
  ReviewReportDto,
  StepProgressDto,
  WithdrawActionPlanDto,
} from './action-plan.dto.js';
import { ActOnActionPlan, type PlanRequest } from './action-plan.handlers.js';
import { ActionPlanQueries } from './action-plan.queries.js';
import {
  ActionPlanListView,
  ActionPlanView,
  ActionPlanWrittenView,
  NetworkPlansView,
  ReminderListView,
} from './action-plan.responses.js';
import { indicatorsCsv, membersCsv, NETWORK_PAGE_CSP, networkHtml } from './network-output.js';

const UUID = new ParseUUIDPipe();
/** What every agency write can be refused with. */
const WRITE = [E.notAnAgencyAdmin, E.notAMember, E.actionPlanNotFound, E.actionPlanWithdrawn];
const REPORT = [...WRITE, E.periodNotFound, E.periodNotStarted];

const periodOf = (value: string): number => {
  if (!/^[1-9]\d{0,2}$/.test(value))
    throw new ValidationFailed([{ field: 'period', problem: 'must be a plan year number, from 1' }]);
  return Number(value);
};

/**
 * Action plans of member agencies and their annual progress reports. Agency admins keep their own
 * agency's plans; network admins read every plan, review reports and see the network view. Plans
 * are about an agency's organisation and supply chain: no route here exposes survivor data.
 */
@ApiTags('action plans')
@ApiBearerAuth()
@ApiExtraModels(NetworkPlansView)
@Exposes('none')
@Controller('action-plans')
export class ActionPlansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ActionPlanQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private act(meta: RequestMeta, planId: string | null, request: PlanRequest) {
    return this.commands.execute(new ActOnActionPlan(meta, planId, request));
  }

  @Roles('agency-admin')
  @Post()
  @ApiOperation({
    summary: "File your agency's action plan: goals, measurable steps, owner roles, due dates, indicators",
  })
  @Problems(E.notAnAgencyAdmin, E.notAMember, E.invalidActionPlan, E.actionPlanExists)
  @ApiCreatedResponse({ type: ActionPlanWrittenView, description: 'Created' })
  file(@Body() body: NewActionPlanDto, @Meta() meta: RequestMeta) {
    return this.act(meta, null, { type: 'FileActionPlan', ...body });
  }

  @Roles('agency-admin', 'network-admin')
  @Get()
  @ApiOperation({ summary: "Action plans: your agency's (network admins: every member's), newest first" })
  @ApiOkResponse({ type: ActionPlanListView })
  list(@Query() query: ListQueryDto, @Meta() meta: RequestMeta) {
    return this.queries.list(meta.principal, query.limit ?? 100);
  }

  @Roles('agency-admin')
  @Get('reminders')
  @ApiOperation({
    summary:
      'Progress-report reminders sent to your agency, newest first: ids and dates only (before the deadline and overdue)',
  })
  @ApiOkResponse({ type: ReminderListView })
  reminders(@Query() query: ListQueryDto, @Meta() meta: RequestMeta) {
    return this.queries.reminders(meta.principal, query.limit ?? 100);
  }

  @Roles('network-admin')
  @Get('network')
  @ApiOperation({
    summary:
      'The network view: every member with its standing, current plans and overdue reports, and indicator totals — JSON, CSV (table=members|indicators) or a printable page (format=)',
  })
  @ApiOkResponse({
    description: 'JSON (default), CSV or printable HTML (format=)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(NetworkPlansView) } },
      'text/csv': { schema: { type: 'string' } },
      'text/html': { schema: { type: 'string' } },
    },
  })
  async network(@Query() query: NetworkViewQueryDto, @Res() reply: FastifyReply) {
    const view = await this.queries.network(this.clock.now());
    const format = query.format ?? 'json';
    if (format === 'csv') {
      const table = query.table ?? 'members';
      await reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="action-plans-${table}.csv"`)
        .send(table === 'members' ? membersCsv(view) : indicatorsCsv(view));
    } else if (format === 'html') {
      await reply
        .type('text/html; charset=utf-8')
        .header('Content-Security-Policy', NETWORK_PAGE_CSP)
        .send(networkHtml(view));
    } else {
      await reply.type('application/json; charset=utf-8').send(JSON.stringify(view));
    }
  }

  @Roles('agency-admin', 'network-admin')
  @Get(':planId')
  @ApiOperation({ summary: 'One action plan: goals and steps with their progress, plan years, reports, reminders' })
  @Problems(E.actionPlanNotFound)
  @ApiOkResponse({ type: ActionPlanView })
  get(@Param('planId', UUID) planId: string, @Meta() meta: RequestMeta) {
    return this.queries.get(meta.principal, planId, this.clock.now());
  }

  @Roles('agency-admin')
  @Put(':planId')
  @ApiOperation({ summary: 'Amend the plan (a new plan version; keys keep steps and their progress across versions)' })
  @Problems(...WRITE, E.invalidActionPlan)
  @ApiOkResponse({ type: ActionPlanWrittenView })
  amend(@Param('planId', UUID) planId: string, @Body() body: AmendActionPlanDto, @Meta() meta: RequestMeta) {
    return this.act(meta, planId, { type: 'AmendActionPlan', ...body });
  }

  @Roles('agency-admin')
  @Post(':planId/withdrawal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw the plan: no more changes, reports or reminders' })
  @Problems(...WRITE, E.invalidActionPlan)
  @ApiOkResponse({ type: ActionPlanWrittenView })
  withdraw(@Param('planId', UUID) planId: string, @Body() body: WithdrawActionPlanDto, @Meta() meta: RequestMeta) {
    return this.act(meta, planId, { type: 'WithdrawActionPlan', ...body });
  }

  @Roles('agency-admin')
  @Post(':planId/steps/:stepKey/progress')
  @ApiOperation({ summary: "Record a step's progress: status, indicator values reached, a note" })
  @Problems(...WRITE, E.stepNotFound, E.invalidProgress)
  @ApiCreatedResponse({ type: ActionPlanWrittenView, description: 'Recorded' })
  progress(
    @Param('planId', UUID) planId: string,
    @Param('stepKey') stepKey: string,
    @Body() body: StepProgressDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.act(meta, planId, { type: 'RecordStepProgress', stepKey, ...body });
  }

  @Roles('agency-admin')
  @Put(':planId/reports/:period')
  @ApiOperation({
    summary: "Draft (or redraft) a plan year's progress report: learning and challenges; figures come from the updates",
  })
  @Problems(...REPORT, E.reportNotEditable, E.invalidActionPlan)
  @ApiOkResponse({ type: ActionPlanWrittenView })
  draft(
    @Param('planId', UUID) planId: string,
    @Param('period') period: string,
    @Body() body: DraftReportDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.act(meta, planId, { type: 'DraftProgressReport', period: periodOf(period), ...body });
  }

  @Roles('agency-admin')
  @Post(':planId/reports/:period/submission')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit the drafted report for review: its figures are computed and frozen now' })
  @Problems(...REPORT, E.reportNotDrafted, E.reportNotEditable)
  @ApiOkResponse({ type: ActionPlanWrittenView })
  submit(@Param('planId', UUID) planId: string, @Param('period') period: string, @Meta() meta: RequestMeta) {
    return this.act(meta, planId, { type: 'SubmitProgressReport', period: periodOf(period) });
  }

  @Roles('network-admin')
  @Post(':planId/reports/:period/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Review a submitted report (network admin): accept, or request changes with a reason' })
  @Problems(E.notANetworkAdmin, E.actionPlanNotFound, E.periodNotFound, E.reportNotSubmitted, E.invalidReview)
  @ApiOkResponse({ type: ActionPlanWrittenView })
  review(
    @Param('planId', UUID) planId: string,
    @Param('period') period: string,
    @Body() body: ReviewReportDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.act(meta, planId, { type: 'ReviewProgressReport', period: periodOf(period), ...body });
  }
}
