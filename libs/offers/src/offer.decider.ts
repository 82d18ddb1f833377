import type { DecisionContext, Decider } from '@harbour/event-store';
import { type Actor, DomainError, type FieldProblem } from '@harbour/kernel';
import {
  HANDOVER_MODES,
  NEED_CATEGORIES,
  type NeedCategory,
  OFFER_KINDS,
  REGION_PATTERN,
  type Sector,
} from '@harbour/vocabulary';
import { OfferErrors as E } from './errors.js';
import type { HandoverTo, OfferActor, OfferDeclineReason, OfferEvent, OfferTerms } from './offer.events.js';

/** Roles that publish and answer offers for their agency (giving needs no case access). */
export const OFFER_STAFF_ROLES = ['agency-admin', 'supervisor', 'caseworker'] as const;
/** Roles that request from an offer for a survivor on their care team. */
export const WORKER_ROLES = ['caseworker', 'supervisor'] as const;
export const MAX_QUANTITY = 10_000;
export const MAX_VALID_DAYS = 731;
export const DEFAULT_RESPONSE_DAYS = 7;
export const MAX_RESPONSE_DAYS = 30;
const DAY_MS = 86_400_000;

export type RequestStatus = 'requested' | 'approved' | 'declined' | 'fulfilled' | 'confirmed' | 'expired' | 'withdrawn';
/** Requests whose units are taken from the offer's capacity. */
export const HOLDING: readonly RequestStatus[] = ['requested', 'approved', 'fulfilled', 'confirmed'];

export interface OfferRequestRecord {
  requestId: string;
  survivorId: string;
  need: NeedCategory;
  quantity: number;
  region: string;
  neededBy: string | null;
  handoverTo: HandoverTo;
  requestedBy: OfferActor;
  requestedAt: string;
  period: string;
  respondBy: string;
  status: RequestStatus;
}

export interface PublishedOffer {
  offerId: string;
  agencyId: string;
  sector: Sector;
  publishedBy: OfferActor;
  publishedAt: string;
  terms: OfferTerms;
  /** Every request made from it, oldest first. */
  requests: OfferRequestRecord[];
}

export type OfferState =
  | { status: 'none' }
  | (PublishedOffer & { status: 'published' })
  | (PublishedOffer & { status: 'withdrawn'; withdrawnAt: string });

export interface RequestFacts {
  /** The requesting worker is on the survivor's care team (read just now). */
  onCareTeam: boolean;
  /** An exclusion in force shuts the offering agency (or its sector) out. */
  excluded: 'agency' | 'sector' | null;
  /** The survivor's recorded needs, read through the access gate. */
  survivorNeeds: NeedCategory[];
}

export type OfferCommand =
  | {
      type: 'PublishOffer';
      offerId: string;
      terms: OfferTerms;
      /** The publisher's agency as it stands now. */
      facts: { agencyActive: boolean; sector: Sector };
    }
  | { type: 'AmendOffer'; terms: OfferTerms }
  | { type: 'WithdrawOffer' }
  | {
      type: 'RequestFromOffer';
      requestId: string;
      survivorId: string;
      need: NeedCategory;
      quantity: number;
      region: string;
      neededBy: string | null;
      handoverTo: HandoverTo;
      facts: RequestFacts;
    }
  | { type: 'ApproveOfferRequest'; requestId: string }
  | { type: 'DeclineOfferRequest'; requestId: string; reason: OfferDeclineReason }
  | { type: 'FulfilOfferRequest'; requestId: string }
  | { type: 'ConfirmOfferReceived'; requestId: string }
  | { type: 'WithdrawOfferRequest'; requestId: string }
  | { type: 'ExpireOfferRequest'; requestId: string };

type Cmd<T extends OfferCommand['type']> = Extract<OfferCommand, { type: T }>;
type Live = Exclude<OfferState, { status: 'none' }>;

/** The capacity period a request made at `at` counts against. */
export const periodOf = (terms: OfferTerms, at: Date | string): string =>
  terms.capacity.per === 'month' ? new Date(at).toISOString().slice(0, 7) : 'total';

/** Units taken in a period by requests that hold them. */
export const takenIn = (state: PublishedOffer, period: string): number =>
  state.requests.filter((r) => r.period === period && HOLDING.includes(r.status)).reduce((n, r) => n + r.quantity, 0);

/** What is left to request now (for a monthly capacity: this month). */
export const remainingOf = (state: PublishedOffer, now: Date): number =>
  Math.max(0, state.terms.capacity.quantity - takenIn(state, periodOf(state.terms, now)));

/** The most units any period holds (amending may not bring the capacity below it). */
const mostTaken = (state: PublishedOffer): number =>
  Math.max(0, ...[...new Set(state.requests.map((r) => r.period))].map((p) => takenIn(state, p)));

function staffOf(actor: Actor): OfferActor {
  if (actor.agencyId === null || !(OFFER_STAFF_ROLES as readonly (string | null)[]).includes(actor.role))
    throw DomainError.of(E.notAMember);
  return { userId: actor.userId, agencyId: actor.agencyId };
}

function offeringStaff(actor: Actor, state: Live): OfferActor {
  const by = staffOf(actor);
  if (by.agencyId !== state.agencyId) throw DomainError.of(E.notOfferingAgency);
  return by;
}

function workerOf(actor: Actor): OfferActor {
  if (actor.agencyId === null || !(WORKER_ROLES as readonly (string | null)[]).includes(actor.role))
    throw DomainError.of(E.notAWorker);
  return { userId: actor.userId, agencyId: actor.agencyId };
}

const isDay = (s: unknown): s is string =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(Date.parse(s));
const isInstant = (s: unknown): s is string => typeof s === 'string' && !isNaN(Date.parse(s));
const wholeIn = (n: unknown, min: number, max: number) =>
  Number.isInteger(n) && (n as number) >= min && (n as number) <= max;

/** The terms' own rules, beyond field shapes (the DTO checks those at the edge, the decider again). */
export function termsProblems(t: OfferTerms): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (!(OFFER_KINDS as readonly string[]).includes(t.kind)) p.push({ field: 'kind', problem: 'is not known' });
  if (typeof t.title !== 'string' || t.title.trim() === '' || t.title.length > 200)
    p.push({ field: 'title', problem: 'must be 1 to 200 characters' });
  if (!wholeIn(t.capacity?.quantity, 1, MAX_QUANTITY))
    p.push({ field: 'capacity.quantity', problem: `must be a whole number from 1 to ${MAX_QUANTITY}` });
  if (t.capacity?.per !== 'total' && t.capacity?.per !== 'month')
    p.push({ field: 'capacity.per', problem: 'must be total or month' });
  if (!Array.isArray(t.regions) || t.regions.length === 0)
    p.push({ field: 'regions', problem: 'must list at least one' });
  else
    t.regions.forEach(
      (r, i) => REGION_PATTERN.test(r) || p.push({ field: `regions.${i}`, problem: 'is not a region code' }),
    );
  const c = t.conditions;
  if (c.minAge !== null && !wholeIn(c.minAge, 0, 120))
    p.push({ field: 'conditions.minAge', problem: 'must be 0 to 120' });
  if (c.maxAge !== null && !wholeIn(c.maxAge, 0, 120))
    p.push({ field: 'conditions.maxAge', problem: 'must be 0 to 120' });
  if (c.minAge !== null && c.maxAge !== null && c.minAge > c.maxAge)
    p.push({ field: 'conditions.maxAge', problem: 'must not be below minAge' });
  if (!(HANDOVER_MODES as readonly string[]).includes(t.handover))
    p.push({ field: 'handover', problem: 'is not known' });
  t.needs.forEach(
    (n, i) =>
      (NEED_CATEGORIES as readonly string[]).includes(n) || p.push({ field: `needs.${i}`, problem: 'is not known' }),
  );
  if (!isInstant(t.validFrom)) p.push({ field: 'validFrom', problem: 'must be a date-time' });
  if (!isInstant(t.validUntil)) p.push({ field: 'validUntil', problem: 'must be a date-time' });
  else if (isInstant(t.validFrom)) {
    const span = Date.parse(t.validUntil) - Date.parse(t.validFrom);
    if (span <= 0) p.push({ field: 'validUntil', problem: 'must be after validFrom' });
    else if (span > MAX_VALID_DAYS * DAY_MS)
      p.push({ field: 'validUntil', problem: `an offer runs at most ${MAX_VALID_DAYS} days` });
  }
  if (!wholeIn(t.responseDays, 1, MAX_RESPONSE_DAYS))
    p.push({ field: 'responseDays', problem: `must be a whole number of days from 1 to ${MAX_RESPONSE_DAYS}` });
  return p;
}

function publish(c: Cmd<'PublishOffer'>, state: OfferState, { actor, now }: DecisionContext): OfferEvent[] {
  const by = staffOf(actor);
  if (!c.facts.agencyActive) throw DomainError.of(E.notAMember);
  if (state.status !== 'none') throw DomainError.of(E.offerExists);
  const problems = termsProblems(c.terms);
  if (problems.length) throw DomainError.of(E.invalidOffer, { fields: problems });
  return [
    {
      type: 'OfferPublished',
      data: {
        offerId: c.offerId,
        agencyId: by.agencyId,
        sector: c.facts.sector,
        publishedBy: by,
        publishedAt: now.toISOString(),
        ...c.terms,
      },
    },
  ];
}

function live(state: OfferState): Live {
  if (state.status === 'none') throw DomainError.of(E.offerNotFound);
  return state;
}

function amend(c: Cmd<'AmendOffer'>, s: OfferState, { actor, now }: DecisionContext): OfferEvent[] {
  const state = live(s);
  const by = offeringStaff(actor, state);
  if (state.status === 'withdrawn') throw DomainError.of(E.offerWithdrawn);
  const problems = termsProblems(c.terms);
  if (c.terms.capacity.per !== state.terms.capacity.per)
    problems.push({ field: 'capacity.per', problem: 'cannot change once published: withdraw and publish again' });
  else if (c.terms.capacity.quantity < mostTaken(state))
    problems.push({
      field: 'capacity.quantity',
      problem: `must be at least the ${mostTaken(state)} already requested`,
    });
  if (problems.length) throw DomainError.of(E.invalidOffer, { fields: problems });
  return [
    { type: 'OfferAmended', data: { offerId: state.offerId, amendedBy: by, amendedAt: now.toISOString(), ...c.terms } },
  ];
}

function withdraw(s: OfferState, { actor, now }: DecisionContext): OfferEvent[] {
  const state = live(s);
  const by = offeringStaff(actor, state);
  if (state.status === 'withdrawn') throw DomainError.of(E.offerWithdrawn);
  const at = now.toISOString();
  // Requests nobody answered yet close with the offer; approved ones may still be fulfilled.
  return [
    { type: 'OfferWithdrawn', data: { offerId: state.offerId, withdrawnBy: by, withdrawnAt: at } },
    ...state.requests
      .filter((r) => r.status === 'requested')
      .map((r): OfferEvent => ({
        type: 'OfferRequestWithdrawn',
        data: { offerId: state.offerId, requestId: r.requestId, by: null, at, reason: 'offer-withdrawn' },
      })),
  ];
}

function request(c: Cmd<'RequestFromOffer'>, s: OfferState, { actor, now }: DecisionContext): OfferEvent[] {
  const state = live(s);
  const by = workerOf(actor);
  if (!c.facts.onCareTeam) throw DomainError.of(E.notOnCareTeam);
  if (state.status === 'withdrawn') throw DomainError.of(E.offerWithdrawn);
  if (state.requests.some((r) => r.requestId === c.requestId)) throw DomainError.of(E.offerExists);
  const t = state.terms;
  if (now.getTime() < Date.parse(t.validFrom) || now.getTime() >= Date.parse(t.validUntil))
    throw DomainError.of(E.offerNotAvailable, { details: { validFrom: t.validFrom, validUntil: t.validUntil } });
  const problems: FieldProblem[] = [];
  if (!wholeIn(c.quantity, 1, MAX_QUANTITY))
    problems.push({ field: 'quantity', problem: `must be a whole number from 1 to ${MAX_QUANTITY}` });
  if (!t.regions.includes(c.region)) problems.push({ field: 'region', problem: 'must be one of the offer’s regions' });
  if (!t.needs.includes(c.need)) problems.push({ field: 'need', problem: 'this offer does not answer that need' });
  if (c.neededBy !== null && !isDay(c.neededBy))
    problems.push({ field: 'neededBy', problem: 'must be a day, YYYY-MM-DD' });
  if (c.handoverTo !== 'agency' && c.handoverTo !== 'survivor')
    problems.push({ field: 'handoverTo', problem: 'must be agency or survivor' });
  if (problems.length) throw DomainError.of(E.invalidOfferRequest, { fields: problems });
  // The survivor's "never" wins over any offer, whoever asks.
  if (c.facts.excluded) throw DomainError.of(E.offerExcluded);
  if (!c.facts.survivorNeeds.includes(c.need)) throw DomainError.of(E.needNotListed);
  const period = periodOf(t, now);
  const remaining = t.capacity.quantity - takenIn(state, period);
  if (c.quantity > remaining)
    throw DomainError.of(E.offerExhausted, { details: { remaining: Math.max(0, remaining) } });
  const respondBy = Math.min(now.getTime() + t.responseDays * DAY_MS, Date.parse(t.validUntil));
  return [
    {
      type: 'OfferRequested',
      data: {
        offerId: state.offerId,
        requestId: c.requestId,
        agencyId: state.agencyId,
        sector: state.sector,
        kind: t.kind,
        survivorId: c.survivorId,
        need: c.need,
        quantity: c.quantity,
        region: c.region,
        neededBy: c.neededBy,
        handover: t.handover,
        handoverTo: c.handoverTo,
        requestedBy: by,
        requestedAt: now.toISOString(),
        period,
        respondBy: new Date(respondBy).toISOString(),
      },
    },
  ];
}

function requestOf(state: Live, requestId: string): OfferRequestRecord {
  const r = state.requests.find((x) => x.requestId === requestId);
  if (!r) throw DomainError.of(E.offerRequestNotFound);
  return r;
}

function expect(r: OfferRequestRecord, ...allowed: RequestStatus[]): void {
  if (!allowed.includes(r.status)) throw DomainError.of(E.illegalTransition, { details: { currentStatus: r.status } });
}

/** The partner answers, hands over; the requesting agency confirms or withdraws; time expires. */
function transition(
  c: Exclude<OfferCommand, { type: 'PublishOffer' | 'AmendOffer' | 'WithdrawOffer' | 'RequestFromOffer' }>,
  s: OfferState,
  { actor, now }: DecisionContext,
): OfferEvent[] {
  const state = live(s);
  const r = requestOf(state, c.requestId);
  const ids = { offerId: state.offerId, requestId: r.requestId };
  const at = now.toISOString();
  const requester = () => {
    const by = workerOf(actor);
    if (by.agencyId !== r.requestedBy.agencyId) throw DomainError.of(E.notRequestingAgency);
    return by;
  };
  switch (c.type) {
    case 'ApproveOfferRequest': {
      const by = offeringStaff(actor, state);
      expect(r, 'requested');
      return [{ type: 'OfferRequestApproved', data: { ...ids, by, at } }];
    }
    case 'DeclineOfferRequest': {
      const by = offeringStaff(actor, state);
      expect(r, 'requested');
      return [{ type: 'OfferRequestDeclined', data: { ...ids, by, at, reason: c.reason } }];
    }
    case 'FulfilOfferRequest': {
      const by = offeringStaff(actor, state);
      expect(r, 'approved');
      return [{ type: 'OfferRequestFulfilled', data: { ...ids, by, at } }];
    }
    case 'ConfirmOfferReceived': {
      const by = requester();
      expect(r, 'fulfilled');
      return [{ type: 'OfferReceiptConfirmed', data: { ...ids, by, at } }];
    }
    case 'WithdrawOfferRequest': {
      const by = requester();
      expect(r, 'requested', 'approved');
      return [{ type: 'OfferRequestWithdrawn', data: { ...ids, by, at, reason: 'by-requester' } }];
    }
    case 'ExpireOfferRequest': {
      expect(r, 'requested');
      if (now.getTime() < Date.parse(r.respondBy)) throw DomainError.of(E.notYetDue);
      return [{ type: 'OfferRequestExpired', data: { ...ids, at } }];
    }
    default: {
      const unknown: never = c;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

const termsOf = (d: OfferTerms): OfferTerms => ({
  kind: d.kind,
  title: d.title,
  capacity: d.capacity,
  regions: d.regions,
  conditions: d.conditions,
  handover: d.handover,
  needs: d.needs,
  validFrom: d.validFrom,
  validUntil: d.validUntil,
  responseDays: d.responseDays,
});

function withRequest(state: OfferState, requestId: string, status: RequestStatus): OfferState {
  if (state.status === 'none') return state;
  return { ...state, requests: state.requests.map((r) => (r.requestId === requestId ? { ...r, status } : r)) };
}

/**
 * An offer's life and its requests': published → amended … → withdrawn; each request
 * requested → approved | declined → fulfilled → confirmed, or expired / withdrawn. Capacity is
 * checked against the requests that hold units, in this stream, at its expected version.
 */
export const offerDecider: Decider<OfferState, OfferCommand, OfferEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, context) {
    switch (command.type) {
      case 'PublishOffer':
        return publish(command, state, context);
      case 'AmendOffer':
        return amend(command, state, context);
      case 'WithdrawOffer':
        return withdraw(state, context);
      case 'RequestFromOffer':
        return request(command, state, context);
      default:
        return transition(command, state, context);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'OfferPublished': {
        const d = event.data;
        return {
          status: 'published',
          offerId: d.offerId,
          agencyId: d.agencyId,
          sector: d.sector,
          publishedBy: d.publishedBy,
          publishedAt: d.publishedAt,
          terms: termsOf(d),
          requests: [],
        };
      }
      case 'OfferAmended':
        return state.status === 'none' ? state : { ...state, terms: termsOf(event.data) };
      case 'OfferWithdrawn':
        return state.status === 'none' ? state : { ...state, status: 'withdrawn', withdrawnAt: event.data.withdrawnAt };
      case 'OfferRequested': {
        if (state.status === 'none') return state;
        const d = event.data;
        const record: OfferRequestRecord = {
          requestId: d.requestId,
          survivorId: d.survivorId,
          need: d.need,
          quantity: d.quantity,
          region: d.region,
          neededBy: d.neededBy,
          handoverTo: d.handoverTo,
          requestedBy: d.requestedBy,
          requestedAt: d.requestedAt,
          period: d.period,
          respondBy: d.respondBy,
          status: 'requested',
        };
        return { ...state, requests: [...state.requests, record] };
      }
      case 'OfferRequestApproved':
        return withRequest(state, event.data.requestId, 'approved');
      case 'OfferRequestDeclined':
        return withRequest(state, event.data.requestId, 'declined');
      case 'OfferRequestFulfilled':
        return withRequest(state, event.data.requestId, 'fulfilled');
      case 'OfferReceiptConfirmed':
        return withRequest(state, event.data.requestId, 'confirmed');
      case 'OfferRequestWithdrawn':
        return withRequest(state, event.data.requestId, 'withdrawn');
      case 'OfferRequestExpired':
        return withRequest(state, event.data.requestId, 'expired');
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};
