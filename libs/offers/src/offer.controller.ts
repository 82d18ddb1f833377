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
import { CLOCK, type Clock, Problems, ValidationFailed } from '@harbour/kernel';
import { RECORD_READ_PROBLEMS } from '@harbour/intake';
import { OfferErrors as E } from './errors.js';
import { OFFER_STAFF_ROLES } from './offer.decider.js';
import {
  DeclineOfferRequestDto,
  InboxQueryDto,
  OfferDto,
  OfferListQueryDto,
  OfferRequestDto,
  SuggestionQueryDto,
  TotalsQueryDto,
} from './offer.dto.js';
import {
  ActOnOfferRequest,
  AmendOffer,
  PublishOffer,
  type RequestAction,
  RequestFromOffer,
  WithdrawOffer,
} from './offer.handlers.js';
import { OfferQueries } from './offer.queries.js';
import {
  OfferListView,
  OfferRequestWritten,
  OfferSuggestionsView,
  OfferTotalsView,
  OfferView,
  OfferWritten,
  PartnerInboxView,
  SurvivorOfferRequestsView,
} from './offer.responses.js';
import { OfferSuggestions } from './offer.suggestions.js';

const UUID = new ParseUUIDPipe();
/** Staff of any member agency, associates included: giving needs no case access. */
const Staff = () => Roles(...OFFER_STAFF_ROLES);
const Worker = () => applyDecorators(CaseAccess(), Roles('caseworker', 'supervisor'));
const requestIdOf = (meta: RequestMeta) => meta.requestId ?? 'unknown';
const MAX_TOTAL_MONTHS = 120;
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

/** The network's offers: published, amended, withdrawn by member agencies; listed for everyone in it. */
@ApiTags('offers')
@ApiBearerAuth()
@Exposes('none') // partners' terms, counts and notice-level requests: nothing about any survivor
@Controller('offers')
export class OffersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: OfferQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Staff()
  @Post()
  @ApiOperation({ summary: 'Publish an in-kind offer for your agency (any active member, associates included)' })
  @Problems(E.notAMember, E.invalidOffer)
  @ApiCreatedResponse({ type: OfferWritten, description: 'Created' })
  publish(@Body() body: OfferDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new PublishOffer(meta, body));
  }

  @Get()
  @ApiOperation({ summary: 'Open offers with what is left, newest first (filter by kind, region, need)' })
  @ApiOkResponse({ type: OfferListView })
  async list(@Query() query: OfferListQueryDto) {
    return { items: await this.queries.list({ ...query, openOnly: true }, this.clock.now()) };
  }

  @Staff()
  @Get('mine/published')
  @ApiOperation({ summary: "Your agency's offers, every status" })
  @ApiOkResponse({ type: OfferListView })
  async mine(@Meta() meta: RequestMeta) {
    return { items: await this.queries.mine(meta.principal.agencyId, this.clock.now()) };
  }

  @Staff()
  @Get('mine/requests')
  @ApiOperation({
    summary:
      "Requests made of your agency's offers, newest first: quantity, region, timing, handover only (never who it is for)",
  })
  @ApiOkResponse({ type: PartnerInboxView })
  inbox(@Query() query: InboxQueryDto, @Meta() meta: RequestMeta) {
    return this.queries.partnerInbox(meta.principal.agencyId, query.status, query.limit ?? 100);
  }

  @Staff()
  @Get('mine/totals')
  @ApiOperation({
    summary: "Your agency's own totals by month and kind: offers, requests, units approved, given, confirmed",
  })
  @ApiOkResponse({ type: OfferTotalsView })
  totals(@Query() query: TotalsQueryDto, @Meta() meta: RequestMeta) {
    const span = monthIndex(query.to) - monthIndex(query.from);
    if (span < 0) throw new ValidationFailed([{ field: 'to', problem: 'must not be before from' }]);
    if (span >= MAX_TOTAL_MONTHS)
      throw new ValidationFailed([{ field: 'to', problem: `totals cover at most ${MAX_TOTAL_MONTHS} months` }]);
    return this.queries.totals(meta.principal.agencyId, query.from, query.to);
  }

  @Get(':offerId')
  @ApiOperation({ summary: 'One offer' })
  @Problems(E.offerNotFound)
  @ApiOkResponse({ type: OfferView })
  one(@Param('offerId', UUID) offerId: string) {
    return this.queries.one(offerId, this.clock.now());
  }

  @Staff()
  @Post(':offerId/amendment')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Amend an offer (its agency): the whole terms again; never below what is already requested',
  })
  @Problems(E.notAMember, E.notOfferingAgency, E.offerNotFound, E.offerWithdrawn, E.invalidOffer)
  @ApiOkResponse({ type: OfferWritten })
  amend(@Param('offerId', UUID) offerId: string, @Body() body: OfferDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new AmendOffer(meta, offerId, body));
  }

  @Staff()
  @Post(':offerId/withdrawal')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Withdraw an offer (its agency): unanswered requests close; approved ones may still be fulfilled',
  })
  @Problems(E.notAMember, E.notOfferingAgency, E.offerNotFound, E.offerWithdrawn)
  @ApiOkResponse({ type: OfferWritten })
  withdraw(@Param('offerId', UUID) offerId: string, @Meta() meta: RequestMeta) {
    return this.commands.execute(new WithdrawOffer(meta, offerId));
  }

  @Staff()
  @Post(':offerId/requests/:requestId/approval')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a request (the offering agency)' })
  @Problems(E.notAMember, E.notOfferingAgency, E.offerNotFound, E.offerRequestNotFound, E.illegalTransition)
  @ApiOkResponse({ type: OfferRequestWritten })
  approve(
    @Param('offerId', UUID) offerId: string,
    @Param('requestId', UUID) requestId: string,
    @Meta() meta: RequestMeta,
  ) {
    return this.act(meta, offerId, requestId, 'approve');
  }

  @Staff()
  @Post(':offerId/requests/:requestId/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline a request (the offering agency): its units go back to the offer' })
  @Problems(E.notAMember, E.notOfferingAgency, E.offerNotFound, E.offerRequestNotFound, E.illegalTransition)
  @ApiOkResponse({ type: OfferRequestWritten })
  decline(
    @Param('offerId', UUID) offerId: string,
    @Param('requestId', UUID) requestId: string,
    @Body() body: DeclineOfferRequestDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.commands.execute(new ActOnOfferRequest(meta, offerId, requestId, 'decline', body.reason));
  }

  @Staff()
  @Post(':offerId/requests/:requestId/fulfilment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the handover (the offering agency)' })
  @Problems(E.notAMember, E.notOfferingAgency, E.offerNotFound, E.offerRequestNotFound, E.illegalTransition)
  @ApiOkResponse({ type: OfferRequestWritten })
  fulfil(
    @Param('offerId', UUID) offerId: string,
    @Param('requestId', UUID) requestId: string,
    @Meta() meta: RequestMeta,
  ) {
    return this.act(meta, offerId, requestId, 'fulfil');
  }

  @Roles('caseworker', 'supervisor')
  @Post(':offerId/requests/:requestId/receipt')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm it was received (the requesting agency)' })
  @Problems(E.notAWorker, E.notRequestingAgency, E.offerNotFound, E.offerRequestNotFound, E.illegalTransition)
  @ApiOkResponse({ type: OfferRequestWritten })
  confirm(
    @Param('offerId', UUID) offerId: string,
    @Param('requestId', UUID) requestId: string,
    @Meta() meta: RequestMeta,
  ) {
    return this.act(meta, offerId, requestId, 'confirm');
  }

  @Roles('caseworker', 'supervisor')
  @Post(':offerId/requests/:requestId/withdrawal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a request not yet handed over (the requesting agency): its units go back' })
  @Problems(E.notAWorker, E.notRequestingAgency, E.offerNotFound, E.offerRequestNotFound, E.illegalTransition)
  @ApiOkResponse({ type: OfferRequestWritten })
  withdrawRequest(
    @Param('offerId', UUID) offerId: string,
    @Param('requestId', UUID) requestId: string,
    @Meta() meta: RequestMeta,
  ) {
    return this.act(meta, offerId, requestId, 'withdraw');
  }

  private act(meta: RequestMeta, offerId: string, requestId: string, action: RequestAction) {
    return this.commands.execute(new ActOnOfferRequest(meta, offerId, requestId, action));
  }
}

/** The care team's side: request for a survivor, their requests, suggestions for their needs. */
@ApiTags('offers')
@ApiBearerAuth()
@RecordsRefusals()
@Controller('intakes')
export class SurvivorOffersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: OfferQueries,
    private readonly suggestions: OfferSuggestions,
  ) {}

  @Exposes('none') // ids and a status; the needs it checks are read (and recorded) through the gate
  @Worker()
  @Post(':survivorId/offer-requests')
  @ApiOperation({
    summary:
      "Request from an offer for one of the survivor's recorded needs (care team); the partner sees only quantity, region, timing and handover",
  })
  @Problems(
    E.notAWorker,
    E.notOnCareTeam,
    E.intakeNotFound,
    E.offerNotFound,
    E.offerWithdrawn,
    E.offerNotAvailable,
    E.offerExhausted,
    E.offerExcluded,
    E.needNotListed,
    E.invalidOfferRequest,
    ...RECORD_READ_PROBLEMS,
  )
  @ApiCreatedResponse({ type: OfferRequestWritten, description: 'Created' })
  request(@Param('survivorId', UUID) survivorId: string, @Body() body: OfferRequestDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new RequestFromOffer(meta, survivorId, { ...body }));
  }

  @Exposes('survivor-data')
  @Worker()
  @Get(':survivorId/offer-requests')
  @ApiOperation({ summary: "The survivor's offer requests (care team): offer, need, status, dates" })
  @Problems(E.intakeNotFound, E.accessDenied, ...RECORD_READ_PROBLEMS)
  @ApiOkResponse({ type: SurvivorOfferRequestsView })
  list(@Param('survivorId', UUID) survivorId: string, @Meta() meta: RequestMeta) {
    return this.queries.forCareTeam(meta.principal, survivorId, requestIdOf(meta));
  }

  @Exposes('survivor-data')
  @Worker()
  @Get(':survivorId/offer-suggestions')
  @ApiOperation({
    summary:
      "Open offers for the survivor's needs that fit the region, their language and their exclusions (care team)",
  })
  @Problems(...RECORD_READ_PROBLEMS)
  @ApiOkResponse({ type: OfferSuggestionsView })
  suggest(
    @Param('survivorId', UUID) survivorId: string,
    @Query() query: SuggestionQueryDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.suggestions.suggest(meta.principal, survivorId, requestIdOf(meta), query.region);
  }
}
