import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CaseAccess, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import {
  AcceptanceDto,
  ClosureDto,
  DeclineDto,
  DeliveriesDto,
  IntroductionDto,
  NewReferralDto,
  ReferralListDto,
  WebhookDto,
} from './referral.dto.js';
import { ActOnReferral, type ReferralAction, RequestReferral } from './referral.handlers.js';
import { ReferralQueries } from './referral.queries.js';
import { ReferralSuggestions } from './suggestions.js';
import { WebhookRegistry } from './webhooks/webhook.registry.js';
import { AuditErrors } from '@harbour/audit';
import { IntakeErrors, RECORD_READ_PROBLEMS } from '@harbour/intake';
import { Problems } from '@harbour/kernel';
import { ReferralErrors } from './errors.js';
import {
  DeliveryPage,
  ReferralHistory,
  ReferralPage,
  ReferralSuggestionsView,
  ReferralView,
  ReferralWritten,
  WebhookView,
} from './referral.responses.js';

const UUID = new ParseUUIDPipe();
const Worker = () => applyDecorators(CaseAccess(), Roles('caseworker', 'supervisor'));
/** What every step of a referral's life can answer besides its own problems. */
const TRANSITION_PROBLEMS = [
  ReferralErrors.referralNotFound,
  ReferralErrors.notAWorker,
  ReferralErrors.notAParty,
  ReferralErrors.illegalTransition,
];
const requestIdOf = (meta: RequestMeta) => meta.requestId ?? 'unknown';

@ApiTags('referrals')
@ApiBearerAuth()
@Exposes('none') // transitions answer ids and state; the reads below declare what they expose
@RecordsRefusals()
@Controller('referrals')
export class ReferralController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ReferralQueries,
  ) {}

  @Exposes('survivor-data')
  @Worker()
  @Post()
  @ApiOperation({
    summary:
      "Refer a survivor on your care team to another agency (needs a consent for 'referral' and a matching service)",
  })
  @Problems(
    ReferralErrors.intakeNotFound,
    ReferralErrors.notAWorker,
    ReferralErrors.notOnCareTeam,
    ReferralErrors.invalidReferral,
    ReferralErrors.receivingAgencyNotEligible,
    ReferralErrors.referralExcluded,
    ReferralErrors.noServiceForNeeds,
    ReferralErrors.noReferralConsent,
    ReferralErrors.referralExists,
    ...RECORD_READ_PROBLEMS,
  )
  @ApiCreatedResponse({ type: ReferralWritten, description: 'Created' })
  request(@Body() body: NewReferralDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new RequestReferral(meta, { ...body }));
  }

  @Exposes('survivor-data')
  @Worker()
  @Get('inbox')
  @ApiOperation({ summary: 'Referrals to your agency (before acceptance: the notice only)' })
  @Problems(AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: ReferralPage })
  inbox(@Query() query: ReferralListDto, @Meta() meta: RequestMeta) {
    return this.queries.list(meta.principal, 'inbox', query, requestIdOf(meta));
  }

  @Exposes('survivor-data')
  @Worker()
  @Get('outbox')
  @ApiOperation({ summary: 'Referrals your agency made' })
  @Problems(AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: ReferralPage })
  outbox(@Query() query: ReferralListDto, @Meta() meta: RequestMeta) {
    return this.queries.list(meta.principal, 'outbox', query, requestIdOf(meta));
  }

  @Exposes('survivor-data')
  @Worker()
  @Get(':referralId')
  @Problems(ReferralErrors.referralNotFound, ...RECORD_READ_PROBLEMS)
  @ApiOkResponse({ type: ReferralView })
  get(@Param('referralId', UUID) referralId: string, @Meta() meta: RequestMeta) {
    return this.queries.get(meta.principal, referralId, requestIdOf(meta));
  }

  @Worker()
  @Post(':referralId/acknowledgement')
  @HttpCode(200)
  @ApiOperation({ summary: 'Receiving agency: seen (stops the expiry clock)' })
  @Problems(...TRANSITION_PROBLEMS, ReferralErrors.notTheReceivingAgency)
  @ApiOkResponse({ type: ReferralWritten })
  acknowledge(@Param('referralId', UUID) id: string, @Meta() meta: RequestMeta) {
    return this.act(meta, id, { type: 'AcknowledgeReferral' });
  }

  @Worker()
  @Post(':referralId/acceptance')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receiving agency: accept; the assigned worker joins the care team for the consented sections',
  })
  @Problems(
    ...TRANSITION_PROBLEMS,
    ReferralErrors.notTheReceivingAgency,
    ReferralErrors.staffNotFound,
    ReferralErrors.assigneeNotEligible,
    ReferralErrors.staffDeactivated,
    ReferralErrors.referralExcluded,
  )
  @ApiOkResponse({ type: ReferralWritten })
  accept(@Param('referralId', UUID) id: string, @Body() body: AcceptanceDto, @Meta() meta: RequestMeta) {
    return this.act(meta, id, { type: 'AcceptReferral', assignedCaseworkerId: body.assignedCaseworkerId });
  }

  @Worker()
  @Post(':referralId/decline')
  @HttpCode(200)
  @Problems(...TRANSITION_PROBLEMS, ReferralErrors.notTheReceivingAgency, ReferralErrors.invalidReferral)
  @ApiOkResponse({ type: ReferralWritten })
  decline(@Param('referralId', UUID) id: string, @Body() body: DeclineDto, @Meta() meta: RequestMeta) {
    return this.act(meta, id, { type: 'DeclineReferral', reason: body.reason });
  }

  @Worker()
  @Post(':referralId/introduction')
  @HttpCode(200)
  @Problems(...TRANSITION_PROBLEMS, ReferralErrors.invalidReferral)
  @ApiOkResponse({ type: ReferralWritten })
  introduce(@Param('referralId', UUID) id: string, @Body() body: IntroductionDto, @Meta() meta: RequestMeta) {
    return this.act(meta, id, {
      type: 'ScheduleIntroduction',
      at: body.at,
      mode: body.mode,
      attendees: body.attendees,
    });
  }

  @Worker()
  @Post(':referralId/handoff-confirmation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the handoff for your agency; complete when both agencies confirmed' })
  @Problems(...TRANSITION_PROBLEMS, ReferralErrors.handoffAlreadyConfirmed)
  @ApiOkResponse({ type: ReferralWritten })
  confirm(@Param('referralId', UUID) id: string, @Meta() meta: RequestMeta) {
    return this.act(meta, id, { type: 'ConfirmHandoff' });
  }

  @Worker()
  @Post(':referralId/closure')
  @HttpCode(200)
  @Problems(...TRANSITION_PROBLEMS, ReferralErrors.invalidReferral)
  @ApiOkResponse({ type: ReferralWritten })
  close(@Param('referralId', UUID) id: string, @Body() body: ClosureDto, @Meta() meta: RequestMeta) {
    return this.act(meta, id, { type: 'CloseReferral', outcome: body.outcome });
  }

  @Worker()
  @Post(':referralId/withdrawal')
  @HttpCode(200)
  @ApiOperation({
    summary: "The survivor's decision, recorded by either agency: ends the receiving agency's access on its next read",
  })
  @Problems(...TRANSITION_PROBLEMS)
  @ApiOkResponse({ type: ReferralWritten })
  withdraw(@Param('referralId', UUID) id: string, @Meta() meta: RequestMeta) {
    return this.act(meta, id, { type: 'WithdrawReferral' });
  }

  private act(meta: RequestMeta, referralId: string, action: ReferralAction) {
    return this.commands.execute(new ActOnReferral(meta, referralId, action));
  }
}

/** Survivor-scoped referral reads for the care team (each goes through the decision point). */
@ApiTags('referrals')
@ApiBearerAuth()
@RecordsRefusals()
@Controller('intakes')
export class SurvivorReferralsController {
  constructor(
    private readonly queries: ReferralQueries,
    private readonly suggestions: ReferralSuggestions,
  ) {}

  @Exposes('survivor-data')
  @Worker()
  @Get(':survivorId/referrals')
  @ApiOperation({ summary: "The survivor's referral history (care team; recorded as an access event)" })
  @Problems(
    ReferralErrors.intakeNotFound,
    ReferralErrors.accessDenied,
    IntakeErrors.recordErased,
    AuditErrors.accessNotRecorded,
  )
  @ApiOkResponse({ type: ReferralHistory })
  history(@Param('survivorId', UUID) survivorId: string, @Meta() meta: RequestMeta) {
    return this.queries.history(meta.principal, survivorId, requestIdOf(meta));
  }

  @Exposes('survivor-data')
  @Worker()
  @Get(':survivorId/referral-suggestions')
  @ApiOperation({
    summary: 'Agencies with services for the open needs that consent covers and no exclusion shuts out (no addresses)',
  })
  @Problems(ReferralErrors.intakeNotFound, ReferralErrors.accessDenied, ...RECORD_READ_PROBLEMS)
  @ApiOkResponse({ type: ReferralSuggestionsView })
  suggest(@Param('survivorId', UUID) survivorId: string, @Meta() meta: RequestMeta) {
    return this.suggestions.suggest(meta.principal, survivorId, requestIdOf(meta));
  }
}

/** The agency admin's webhook for referral notifications, and its delivery log. */
@ApiTags('referrals')
@ApiBearerAuth()
@Exposes('none') // ids, states and the notice only, never survivor data
@Controller('webhooks/referrals')
export class ReferralWebhookController {
  constructor(private readonly registry: WebhookRegistry) {}

  @Roles('agency-admin')
  @Put()
  @ApiOperation({ summary: "Register (or replace) your agency's webhook; the secret is never returned" })
  @ApiOkResponse({ type: WebhookView })
  register(@Body() body: WebhookDto, @Meta() meta: RequestMeta) {
    return this.registry.register(meta.principal.agencyId, body.url, body.secret, meta.principal.userId);
  }

  @Roles('agency-admin')
  @Get()
  @Problems(ReferralErrors.webhookNotFound)
  @ApiOkResponse({ type: WebhookView })
  get(@Meta() meta: RequestMeta) {
    return this.registry.get(meta.principal.agencyId);
  }

  @Roles('agency-admin')
  @Delete()
  @HttpCode(204)
  @Problems(ReferralErrors.webhookNotFound)
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(@Meta() meta: RequestMeta): Promise<void> {
    await this.registry.remove(meta.principal.agencyId);
  }

  @Roles('agency-admin')
  @Get('deliveries')
  @ApiOperation({ summary: 'Delivery attempts of your webhook (status code or error, never the payload)' })
  @ApiOkResponse({ type: DeliveryPage })
  deliveries(@Query() query: DeliveriesDto, @Meta() meta: RequestMeta) {
    return this.registry.deliveries(meta.principal.agencyId, query.page, query.pageSize, query.status);
  }
}
