import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CurrentState } from '@harbour/event-store';
import { DomainError, newId, NotFound } from '@harbour/kernel';
import { actorOf, executionOptions, type RequestMeta } from '@harbour/auth';
import { consentDecider, consentStream, exclusionOf } from '@harbour/consent';
import { intakeDecider, intakeStream, onCareTeam, relatedTo, SurvivorRecordReader, workerRole } from '@harbour/intake';
import { AgencyLookup } from '@harbour/network';
import { type HandoverMode, type NeedCategory, OFFER_KIND_NEEDS, type OfferKind } from '@harbour/vocabulary';
import { OfferErrors as E } from './errors.js';
import { DEFAULT_RESPONSE_DAYS, OFFER_STAFF_ROLES, type OfferCommand } from './offer.decider.js';
import type { HandoverTo, OfferDeclineReason, OfferTerms } from './offer.events.js';
import { OfferRepository, type OfferRequestResult, type OfferResult } from './offer.repository.js';

/** An offer as the publisher sends it (optional parts get their defaults here). */
export interface OfferInput {
  kind: OfferKind;
  title: string;
  capacity: { quantity: number; per?: 'total' | 'month' };
  regions: string[];
  conditions?: { minAge?: number; maxAge?: number; genders?: string[]; languages?: string[] };
  handover: HandoverMode;
  needs?: NeedCategory[];
  validFrom: string;
  validUntil: string;
  responseDays?: number;
}

export interface OfferRequestInput {
  offerId: string;
  need: NeedCategory;
  quantity?: number;
  region: string;
  neededBy?: string;
  handoverTo?: HandoverTo;
}

export const termsFrom = (i: OfferInput): OfferTerms => ({
  kind: i.kind,
  title: i.title,
  capacity: { quantity: i.capacity.quantity, per: i.capacity.per ?? 'total' },
  regions: [...new Set(i.regions)],
  conditions: {
    minAge: i.conditions?.minAge ?? null,
    maxAge: i.conditions?.maxAge ?? null,
    genders: i.conditions?.genders ?? [],
    languages: (i.conditions?.languages ?? []).map((l) => l.split('-')[0].toLowerCase()),
  },
  handover: i.handover,
  needs: i.needs ?? [...(OFFER_KIND_NEEDS[i.kind] ?? [])],
  validFrom: new Date(i.validFrom).toISOString(),
  validUntil: new Date(i.validUntil).toISOString(),
  responseDays: i.responseDays ?? DEFAULT_RESPONSE_DAYS,
});

/** The role a staff member publishes and answers offers in (the most senior they hold). */
export const staffRole = (roles: readonly string[]) => OFFER_STAFF_ROLES.find((r) => roles.includes(r));

export class PublishOffer extends Command<OfferResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly input: OfferInput,
  ) {
    super();
  }
}

export class AmendOffer extends Command<OfferResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly offerId: string,
    readonly input: OfferInput,
  ) {
    super();
  }
}

export class WithdrawOffer extends Command<OfferResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly offerId: string,
  ) {
    super();
  }
}

export class RequestFromOffer extends Command<OfferRequestResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly survivorId: string,
    readonly input: OfferRequestInput,
  ) {
    super();
  }
}

export type RequestAction = 'approve' | 'decline' | 'fulfil' | 'confirm' | 'withdraw';

export class ActOnOfferRequest extends Command<OfferRequestResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly offerId: string,
    readonly requestId: string,
    readonly action: RequestAction,
    readonly reason?: OfferDeclineReason,
  ) {
    super();
  }
}

@CommandHandler(PublishOffer)
export class PublishOfferHandler implements ICommandHandler<PublishOffer> {
  constructor(
    private readonly offers: OfferRepository,
    private readonly agencies: AgencyLookup,
  ) {}

  async execute({ meta, input }: PublishOffer): Promise<OfferResult> {
    const { principal } = meta;
    const agency = await this.agencies.of(principal.agencyId);
    const offerId = newId();
    return this.offers.execute({
      offerId,
      command: {
        type: 'PublishOffer',
        offerId,
        terms: termsFrom(input),
        facts: {
          agencyActive: principal.agencyStatus === 'active' && agency.status === 'active',
          sector: agency.status === 'none' ? 'other' : agency.sector,
        },
      },
      ...executionOptions(meta, staffRole(principal.roles), { publish: input }),
    });
  }
}

@CommandHandler(AmendOffer)
export class AmendOfferHandler implements ICommandHandler<AmendOffer> {
  constructor(private readonly offers: OfferRepository) {}

  execute({ meta, offerId, input }: AmendOffer): Promise<OfferResult> {
    return this.offers.execute({
      offerId,
      command: { type: 'AmendOffer', terms: termsFrom(input) },
      ...executionOptions(meta, staffRole(meta.principal.roles), { offerId, amend: input }),
    });
  }
}

@CommandHandler(WithdrawOffer)
export class WithdrawOfferHandler implements ICommandHandler<WithdrawOffer> {
  constructor(private readonly offers: OfferRepository) {}

  execute({ meta, offerId }: WithdrawOffer): Promise<OfferResult> {
    return this.offers.execute({
      offerId,
      command: { type: 'WithdrawOffer' },
      ...executionOptions(meta, staffRole(meta.principal.roles), { offerId, withdraw: true }),
    });
  }
}

const ROUTE = 'POST /v1/intakes/:survivorId/offer-requests';

/**
 * A care-team worker asks for an offer for one of the survivor's needs. The survivor's needs are
 * read through the audited read path (an access event, care team only); their exclusions are
 * weighed against the offering agency and its sector; the units are taken in the offer's stream.
 */
@CommandHandler(RequestFromOffer)
export class RequestFromOfferHandler implements ICommandHandler<RequestFromOffer> {
  constructor(
    private readonly offers: OfferRepository,
    private readonly current: CurrentState,
    private readonly reader: SurvivorRecordReader,
  ) {}

  async execute({ meta, survivorId, input }: RequestFromOffer): Promise<OfferRequestResult> {
    const { principal } = meta;
    const role = workerRole(principal.roles);
    if (!role) throw DomainError.of(E.notAWorker);
    const actor = actorOf(principal, role);
    const { state: intake } = await this.current.load(intakeStream(survivorId), intakeDecider);
    if (intake.status === 'none') throw new NotFound('Intake', E.intakeNotFound);
    const team = onCareTeam(intake, actor);
    // A caller with nothing to do with the record cannot tell it exists.
    if (!team)
      throw relatedTo(intake, principal.agencyId)
        ? DomainError.of(E.notOnCareTeam)
        : new NotFound('Intake', E.intakeNotFound);
    const { state: offer } = await this.offers.load(input.offerId);
    if (offer.status === 'none') throw DomainError.of(E.offerNotFound);
    const { state: consents } = await this.current.load(consentStream(survivorId), consentDecider);
    const excluded = exclusionOf(consents.exclusions, { userId: null, agencyId: offer.agencyId, sector: offer.sector });
    let survivorNeeds: NeedCategory[] = [];
    if (!excluded) {
      const record = await this.reader.read({
        principal,
        survivorId,
        purpose: 'care-coordination',
        sections: ['needs'],
        requestId: meta.requestId ?? 'unknown',
        route: ROUTE,
        careTeamOnly: true,
      });
      survivorNeeds = needsOf(record.sections.needs);
    }
    const requestId = newId();
    const command: OfferCommand = {
      type: 'RequestFromOffer',
      requestId,
      survivorId,
      need: input.need,
      quantity: input.quantity ?? 1,
      region: input.region,
      neededBy: input.neededBy ?? null,
      handoverTo: input.handoverTo ?? 'agency',
      facts: { onCareTeam: team, excluded: excluded === 'staff' ? null : excluded, survivorNeeds },
    };
    return this.offers.executeOnRequest({
      offerId: input.offerId,
      requestId,
      command,
      ...executionOptions(meta, role, { survivorId, input }),
      // The request is decided against the offer as it is now: If-Match is for the offer's own routes.
      expectedVersion: null,
    });
  }
}

/** The categories of a needs section as read (anything else: none). */
export function needsOf(section: unknown): NeedCategory[] {
  const needs = (section as { needs?: Array<{ category?: unknown }> } | undefined)?.needs;
  return Array.isArray(needs)
    ? needs.map((n) => n?.category).filter((c): c is NeedCategory => typeof c === 'string')
    : [];
}

const COMMANDS: Record<RequestAction, OfferCommand['type']> = {
  approve: 'ApproveOfferRequest',
  decline: 'DeclineOfferRequest',
  fulfil: 'FulfilOfferRequest',
  confirm: 'ConfirmOfferReceived',
  withdraw: 'WithdrawOfferRequest',
};

/** The partner approves, declines, fulfils; the requesting agency confirms receipt or withdraws. */
@CommandHandler(ActOnOfferRequest)
export class ActOnOfferRequestHandler implements ICommandHandler<ActOnOfferRequest> {
  constructor(private readonly offers: OfferRepository) {}

  execute({ meta, offerId, requestId, action, reason }: ActOnOfferRequest): Promise<OfferRequestResult> {
    const roles = meta.principal.roles;
    const role = action === 'confirm' || action === 'withdraw' ? workerRole(roles) : staffRole(roles);
    const type = COMMANDS[action];
    const command = (
      type === 'DeclineOfferRequest' ? { type, requestId, reason: reason ?? 'other' } : { type, requestId }
    ) as OfferCommand;
    return this.offers.executeOnRequest({
      offerId,
      requestId,
      command,
      ...executionOptions(meta, role, { offerId, requestId, action, reason }),
    });
  }
}
