import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccess, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import { AccessRecorder, AuditErrors, officerScope, PRIVACY_ROLES } from '@harbour/audit';
import { Problems, ValidationFailed } from '@harbour/kernel';
import { PrivacyErrors } from '@harbour/privacy';
import { IntakeErrors } from '../errors.js';
import { ChangeErasure } from './erasure.commands.js';
import { ErasureDecisionDto, ErasureRequestDto, RetentionQueryDto } from './erasure.dto.js';
import { APPROVAL_REASONS, type ApprovalReason, type RefusalReason } from './erasure.events.js';
import { ErasureWritten, RetentionDueListView } from './erasure.responses.js';
import { RetentionService } from './retention.js';

const UUID = new ParseUUIDPipe();

/** Erasure at the survivor's request: recorded by the care team, decided by a privacy officer. */
@ApiTags('erasure and retention')
@ApiBearerAuth()
@Controller()
export class ErasureController {
  constructor(
    private readonly commands: CommandBus,
    private readonly retention: RetentionService,
    private readonly recorder: AccessRecorder,
  ) {}

  @CaseAccess()
  @Roles('caseworker', 'supervisor')
  @Exposes('none') // answers ids and versions only
  @RecordsRefusals()
  @Post('intakes/:survivorId/erasure-requests')
  @ApiOperation({
    summary: "Record the survivor's erasure request (whole record or chosen sections, and how it was obtained)",
  })
  @Problems(
    IntakeErrors.notAWorker,
    IntakeErrors.intakeNotFound,
    IntakeErrors.notOnCareTeam,
    IntakeErrors.recordErased,
    IntakeErrors.erasureRequestExists,
    IntakeErrors.nothingToErase,
  )
  @ApiCreatedResponse({ type: ErasureWritten, description: 'Created' })
  request(@Param('survivorId', UUID) survivorId: string, @Body() body: ErasureRequestDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(
      new ChangeErasure(meta, survivorId, {
        type: 'request',
        scope: body.scope,
        sections: body.scope === 'record' ? [] : (body.sections ?? []),
        obtainedHow: body.obtainedHow,
      }),
    );
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('none') // answers ids, versions and section names only
  @RecordsRefusals()
  @Post('intakes/:survivorId/erasure-requests/:requestId/decision')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Approve (and carry out) or refuse an erasure request, with a reason: a privacy officer of a care-team agency or of the network',
  })
  @Problems(
    AuditErrors.notAPrivacyOfficer,
    IntakeErrors.intakeNotFound,
    IntakeErrors.notOfficerOfCareTeam,
    IntakeErrors.recordErased,
    IntakeErrors.erasureRequestNotFound,
    IntakeErrors.erasureAlreadyDecided,
    PrivacyErrors.masterKeyUnavailable,
  )
  @ApiOkResponse({ type: ErasureWritten })
  decide(
    @Param('survivorId', UUID) survivorId: string,
    @Param('requestId', UUID) requestId: string,
    @Body() body: ErasureDecisionDto,
    @Meta() meta: RequestMeta,
  ) {
    const approving = (APPROVAL_REASONS as readonly string[]).includes(body.reason);
    if (approving !== (body.decision === 'approve'))
      throw new ValidationFailed([{ field: 'reason', problem: `reason does not fit decision ${body.decision}` }]);
    return this.commands.execute(
      new ChangeErasure(
        meta,
        survivorId,
        body.decision === 'approve'
          ? { type: 'approve', requestId, reason: body.reason as ApprovalReason }
          : { type: 'refuse', requestId, reason: body.reason as RefusalReason },
      ),
    );
  }

  @Roles(...PRIVACY_ROLES)
  @Exposes('access-log') // survivor ids with section names and times: one AccessLogViewed per survivor listed
  @Get('privacy/retention/due')
  @ApiOperation({
    summary:
      'Dry run of retention: the sections the retention job would erase at an instant (agency officers: their care teams)',
  })
  @Problems(AuditErrors.notAPrivacyOfficer, AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: RetentionDueListView })
  async due(@Query() query: RetentionQueryDto, @Meta() meta: RequestMeta) {
    const scope = officerScope(meta.principal);
    const at = query.at ? new Date(query.at) : undefined;
    const items = await this.retention.due({ at, agencyId: scope.kind === 'agency' ? scope.agencyId : undefined });
    const role = meta.principal.roles.includes('network-privacy-officer')
      ? 'network-privacy-officer'
      : 'privacy-officer';
    const viewer = { userId: meta.principal.userId, agencyId: meta.principal.agencyId, role };
    const requestId = meta.requestId ?? randomUUID();
    await this.recorder.recordLogViews(
      [...new Set(items.map((i) => i.survivorId))].map((survivorId) => ({
        survivorId,
        viewer,
        view: 'retention-due' as const,
        requestId,
        route: 'GET /v1/privacy/retention/due',
      })),
    );
    return { at: (at ?? new Date()).toISOString(), items };
  }
}
