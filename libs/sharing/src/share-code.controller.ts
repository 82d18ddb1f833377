import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccess, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import { AuditErrors, PRIVACY_ROLES } from '@harbour/audit';
import { CLOCK, type Clock, Problems } from '@harbour/kernel';
import { SharingErrors as E } from './errors.js';
import { NewShareCodeDto, OfficerQueryDto, RedemptionDto } from './share-code.dto.js';
import { IssueShareCode, RedeemShareCode, RevokeShareCode } from './share-code.handlers.js';
import { ShareCodeQueries } from './share-code.queries.js';
import {
  ShareCodeIssuedView,
  ShareCodePageView,
  ShareCodeRedeemedView,
  ShareCodeWritten,
  SurvivorShareCodesView,
} from './share-code.responses.js';

const UUID = new ParseUUIDPipe();
const Worker = () => applyDecorators(CaseAccess(), Roles('caseworker', 'supervisor'));
/** What the care team's routes can answer besides their own problems (an unrelated caller: not found). */
const CARE_TEAM_PROBLEMS = [E.intakeNotFound, E.notAWorker, E.notOnCareTeam];

/** The care team's share codes for one survivor: issue, list, revoke. */
@ApiTags('share codes')
@ApiBearerAuth()
@RecordsRefusals()
@Controller('intakes')
export class SurvivorShareCodesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ShareCodeQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Exposes('none') // ids, dates and the code itself: nothing of the record
  @Worker()
  @Post(':survivorId/share-codes')
  @ApiOperation({
    summary:
      'Issue the survivor a share code (care team): the code is in this answer only, to print for them; Harbour keeps a keyed hash',
  })
  @Problems(...CARE_TEAM_PROBLEMS, E.recordErased, E.invalidShareCode)
  @ApiCreatedResponse({ type: ShareCodeIssuedView, description: 'Created' })
  issue(@Param('survivorId', UUID) survivorId: string, @Body() body: NewShareCodeDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new IssueShareCode(meta, survivorId, { ...body }));
  }

  @Exposes('survivor-data')
  @Worker()
  @Get(':survivorId/share-codes')
  @ApiOperation({ summary: "The survivor's share codes: scope, status, when and where used (never the codes)" })
  @Problems(E.intakeNotFound, E.accessDenied, E.recordErased, AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: SurvivorShareCodesView })
  list(@Param('survivorId', UUID) survivorId: string, @Meta() meta: RequestMeta) {
    return this.queries.forCareTeam(meta.principal, survivorId, meta.requestId ?? 'unknown', this.clock.now());
  }

  @Exposes('none')
  @Worker()
  @Post(':survivorId/share-codes/:codeId/revocation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an unused share code (care team): it can never open the record again' })
  @Problems(...CARE_TEAM_PROBLEMS, E.shareCodeNotFound, E.shareCodeNotRevocable)
  @ApiOkResponse({ type: ShareCodeWritten })
  revoke(
    @Param('survivorId', UUID) survivorId: string,
    @Param('codeId', UUID) codeId: string,
    @Meta() meta: RequestMeta,
  ) {
    return this.commands.execute(new RevokeShareCode(meta, survivorId, codeId));
  }
}

/** Another agency's worker enters the code with the survivor. */
@ApiTags('share codes')
@ApiBearerAuth()
@Controller('share-codes')
export class ShareCodeRedemptionController {
  constructor(private readonly commands: CommandBus) {}

  // Answers ids only: the survivor's id, to a worker the survivor has just let in (then read through GET /v1/intakes/{id}).
  @Exposes('none')
  @Worker()
  @Post('redemption')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Use a survivor's share code, with them: records their consent for your agency (the code's sections and purposes, method share-code) and adds you to their team",
  })
  @Problems(
    E.notAWorker,
    E.shareCodeNotValid,
    E.shareCodeExcluded,
    E.alreadyOnCareTeam,
    E.recordErased,
    E.attemptsLocked,
  )
  @ApiOkResponse({ type: ShareCodeRedeemedView })
  redeem(@Body() body: RedemptionDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new RedeemShareCode(meta, body.code));
  }
}

/** The issuing agency's privacy officer: when and where its codes were used. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit/share-codes')
export class ShareCodeAuditController {
  constructor(
    private readonly queries: ShareCodeQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Roles(...PRIVACY_ROLES)
  @Exposes('access-log')
  @Get()
  @ApiOperation({
    summary:
      'Share codes your agency issued (network officers: all), newest first: status, and when, where and by whom each was used',
  })
  @Problems(AuditErrors.notAPrivacyOfficer, AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: ShareCodePageView })
  list(@Query() query: OfficerQueryDto, @Meta() meta: RequestMeta) {
    return this.queries.forOfficer(meta.principal, meta.requestId, this.clock.now(), query.limit ?? 50);
  }
}
