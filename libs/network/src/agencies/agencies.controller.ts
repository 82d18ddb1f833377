import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Exposes, Meta, type RequestMeta, Roles } from '@harbour/auth';
import { AgencyListDto, ApplyDto, MotionDto, ReasonDto, VoteDto } from './agency.dto.js';
import { ChangeAgency } from './agency.handlers.js';
import { AgencyQueries } from './agency.queries.js';
import { Problems } from '@harbour/kernel';
import { NetworkErrors } from '../errors.js';
import { AgencyNotification, AgencyView, AgencyWritten } from '../network.responses.js';

const UUID = new ParseUUIDPipe();

@ApiTags('member agencies')
@ApiBearerAuth()
@Exposes('none') // nothing about any survivor (see libs/auth exposure.ts)
@Controller('agencies')
export class AgenciesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: AgencyQueries,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Member agencies and applicants' })
  @ApiOkResponse({ type: [AgencyView] })
  list(@Query() filter: AgencyListDto) {
    return this.queries.list(filter);
  }

  @Get('mine/notifications')
  @ApiOperation({ summary: "Notices to the caller's agency (removal motions, outcomes)" })
  @ApiOkResponse({ type: [AgencyNotification] })
  notifications(@Meta() meta: RequestMeta) {
    return this.queries.notifications(meta.principal.agencyId);
  }

  @Get(':agencyId')
  @Problems(NetworkErrors.agencyNotFound)
  @ApiOkResponse({ type: AgencyView })
  get(@Param('agencyId', UUID) agencyId: string) {
    return this.queries.get(agencyId);
  }

  @Post()
  @Roles('agency-admin', 'network-admin')
  @ApiOperation({
    summary: 'Submit an organisation’s application to join (sponsored by a member admin or a network admin)',
  })
  @Problems(
    NetworkErrors.invalidApplication,
    NetworkErrors.agencyExists,
    NetworkErrors.notAgencyAdmin,
    NetworkErrors.notNetworkAdmin,
  )
  @ApiCreatedResponse({ type: AgencyWritten, description: 'Created' })
  apply(@Body() body: ApplyDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeAgency(meta, { type: 'apply', ...body }));
  }

  @Post(':agencyId/admission')
  @HttpCode(200)
  @Roles('network-admin')
  @ApiOperation({ summary: 'Bootstrap: admit one of the first agencies of a new network' })
  @Problems(
    NetworkErrors.agencyNotFound,
    NetworkErrors.agencyRemoved,
    NetworkErrors.notNetworkAdmin,
    NetworkErrors.notAnApplicant,
    NetworkErrors.bootstrapClosed,
    NetworkErrors.invalidActiveCoreCount,
  )
  @ApiOkResponse({ type: AgencyWritten })
  admit(@Param('agencyId', UUID) agencyId: string, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeAgency(meta, { type: 'admit', agencyId }));
  }

  @Post(':agencyId/endorsements')
  @HttpCode(200)
  @Roles('agency-admin')
  @ApiOperation({ summary: "Endorse an application on behalf of the caller's (active core) agency" })
  @Problems(
    NetworkErrors.agencyNotFound,
    NetworkErrors.agencyRemoved,
    NetworkErrors.notAgencyAdmin,
    NetworkErrors.notActingForAgency,
    NetworkErrors.selfEndorsement,
    NetworkErrors.endorserNotActiveCore,
    NetworkErrors.notAnApplicant,
    NetworkErrors.alreadyEndorsed,
  )
  @ApiOkResponse({ type: AgencyWritten })
  endorse(@Param('agencyId', UUID) agencyId: string, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeAgency(meta, { type: 'endorse', agencyId }));
  }

  @Post(':agencyId/suspension')
  @HttpCode(200)
  @Roles('network-admin')
  @Problems(
    NetworkErrors.agencyNotFound,
    NetworkErrors.agencyRemoved,
    NetworkErrors.notNetworkAdmin,
    NetworkErrors.reasonRequired,
    NetworkErrors.agencyNotActive,
  )
  @ApiOkResponse({ type: AgencyWritten })
  suspend(@Param('agencyId', UUID) agencyId: string, @Body() body: ReasonDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeAgency(meta, { type: 'suspend', agencyId, reason: body.reason }));
  }

  @Post(':agencyId/reinstatement')
  @HttpCode(200)
  @Roles('network-admin')
  @Problems(
    NetworkErrors.agencyNotFound,
    NetworkErrors.agencyRemoved,
    NetworkErrors.notNetworkAdmin,
    NetworkErrors.reasonRequired,
    NetworkErrors.agencyNotSuspended,
  )
  @ApiOkResponse({ type: AgencyWritten })
  reinstate(@Param('agencyId', UUID) agencyId: string, @Body() body: ReasonDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeAgency(meta, { type: 'reinstate', agencyId, reason: body.reason }));
  }

  @Post(':agencyId/removal-motions')
  @Roles('agency-admin')
  @ApiOperation({ summary: 'Table a motion to remove an agency; it is notified before voting opens' })
  @Problems(
    NetworkErrors.agencyNotFound,
    NetworkErrors.agencyRemoved,
    NetworkErrors.notAgencyAdmin,
    NetworkErrors.notActingForAgency,
    NetworkErrors.selfRemovalMotion,
    NetworkErrors.tablerNotActiveCore,
    NetworkErrors.invalidMotion,
    NetworkErrors.agencyNotMember,
    NetworkErrors.motionAlreadyOpen,
    NetworkErrors.motionIdTaken,
    NetworkErrors.noEligibleVoters,
  )
  @ApiCreatedResponse({ type: AgencyWritten, description: 'Created' })
  table(@Param('agencyId', UUID) agencyId: string, @Body() body: MotionDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeAgency(meta, { type: 'table-motion', agencyId, reasons: body.reasons }));
  }

  @Post(':agencyId/removal-motions/:motionId/votes')
  @HttpCode(200)
  @Roles('agency-admin')
  @Problems(
    NetworkErrors.agencyNotFound,
    NetworkErrors.agencyRemoved,
    NetworkErrors.notAgencyAdmin,
    NetworkErrors.notActingForAgency,
    NetworkErrors.motionNotFound,
    NetworkErrors.invalidVote,
    NetworkErrors.votingNotOpen,
    NetworkErrors.votingClosed,
    NetworkErrors.voterNotEligible,
    NetworkErrors.voterNotActiveCore,
    NetworkErrors.alreadyVoted,
  )
  @ApiOkResponse({ type: AgencyWritten })
  vote(
    @Param('agencyId', UUID) agencyId: string,
    @Param('motionId', UUID) motionId: string,
    @Body() body: VoteDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.commands.execute(new ChangeAgency(meta, { type: 'vote', agencyId, motionId, vote: body.vote }));
  }

  @Post(':agencyId/removal-motions/:motionId/close')
  @HttpCode(200)
  @Roles('agency-admin', 'network-admin')
  @ApiOperation({ summary: 'Record the outcome of a motion whose voting period has ended' })
  @Problems(
    NetworkErrors.agencyNotFound,
    NetworkErrors.agencyRemoved,
    NetworkErrors.notAllowedToClose,
    NetworkErrors.motionNotFound,
    NetworkErrors.motionAlreadyDecided,
    NetworkErrors.votingStillOpen,
  )
  @ApiOkResponse({ type: AgencyWritten })
  close(
    @Param('agencyId', UUID) agencyId: string,
    @Param('motionId', UUID) motionId: string,
    @Meta() meta: RequestMeta,
  ) {
    return this.commands.execute(new ChangeAgency(meta, { type: 'close-motion', agencyId, motionId }));
  }
}
