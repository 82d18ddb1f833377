import { fold, given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import { type OfferCommand, offerDecider, remainingOf } from './offer.decider.js';
import type { OfferEvent, OfferTerms } from './offer.events.js';

const at = new Date('2026-11-02T09:00:00Z');
const later = (days: number) => new Date(at.getTime() + days * 86_400_000);
const bea: Actor = { userId: 'bea', agencyId: 'bus-co', role: 'agency-admin' };
const ana: Actor = { userId: 'ana', agencyId: 'care', role: 'caseworker' };
const lee: Actor = { userId: 'lee', agencyId: 'legal', role: 'caseworker' };
const pat: Actor = { userId: 'pat', agencyId: 'care', role: 'privacy-officer' };
const system: Actor = { userId: 'system:offer-request-expiry', agencyId: null, role: 'system' };

const TERMS: OfferTerms = {
  kind: 'transit',
  title: 'Monthly bus passes',
  capacity: { quantity: 2, per: 'total' },
  regions: ['on-toronto'],
  conditions: { minAge: 18, maxAge: null, genders: [], languages: ['en'] },
  handover: 'delivery-to-agency',
  needs: ['transportation'],
  validFrom: at.toISOString(),
  validUntil: later(60).toISOString(),
  responseDays: 7,
};
const published: OfferEvent = {
  type: 'OfferPublished',
  data: {
    ...TERMS,
    offerId: 'o1',
    agencyId: 'bus-co',
    sector: 'corporate',
    publishedBy: { userId: 'bea', agencyId: 'bus-co' },
    publishedAt: at.toISOString(),
  },
};
const facts = { onCareTeam: true, excluded: null, survivorNeeds: ['transportation' as const, 'legal' as const] };
const ask = (over: Partial<Extract<OfferCommand, { type: 'RequestFromOffer' }>> = {}): OfferCommand => ({
  type: 'RequestFromOffer',
  requestId: 'r1',
  survivorId: 's1',
  need: 'transportation',
  quantity: 1,
  region: 'on-toronto',
  neededBy: null,
  handoverTo: 'agency',
  facts,
  ...over,
});
const requested = (requestId = 'r1', quantity = 1, when = at): OfferEvent => ({
  type: 'OfferRequested',
  data: {
    offerId: 'o1',
    requestId,
    agencyId: 'bus-co',
    sector: 'corporate',
    kind: 'transit',
    survivorId: 's1',
    need: 'transportation',
    quantity,
    region: 'on-toronto',
    neededBy: null,
    handover: 'delivery-to-agency',
    handoverTo: 'agency',
    requestedBy: { userId: 'ana', agencyId: 'care' },
    requestedAt: when.toISOString(),
    period: 'total',
    respondBy: new Date(when.getTime() + 7 * 86_400_000).toISOString(),
  },
});
const by = { userId: 'bea', agencyId: 'bus-co' };
const approved: OfferEvent = {
  type: 'OfferRequestApproved',
  data: { offerId: 'o1', requestId: 'r1', by, at: at.toISOString() },
};
const fulfilled: OfferEvent = {
  type: 'OfferRequestFulfilled',
  data: { offerId: 'o1', requestId: 'r1', by, at: at.toISOString() },
};

describe('offers: publishing', () => {
  const publish: OfferCommand = {
    type: 'PublishOffer',
    offerId: 'o1',
    terms: TERMS,
    facts: { agencyActive: true, sector: 'corporate' },
  };

  it('an active member agency publishes an offer (associates too: no case access needed)', () => {
    given(offerDecider).when(publish, { now: at, actor: bea }).then([published]);
  });

  it('an agency that is not active, or a role that does not act for it, cannot publish', () => {
    given(offerDecider)
      .when(
        { ...publish, facts: { agencyActive: false, sector: 'corporate' } },
        {
          now: at,
          actor: bea,
        },
      )
      .thenThrows('not-an-active-member', 'forbidden');
    given(offerDecider).when(publish, { now: at, actor: pat }).thenThrows('not-an-active-member');
  });

  it('names every bad field: an empty validity window, ages the wrong way round, no region', () => {
    const error = given(offerDecider)
      .when(
        {
          ...publish,
          terms: {
            ...TERMS,
            regions: [],
            validUntil: TERMS.validFrom,
            conditions: { ...TERMS.conditions, minAge: 30, maxAge: 20 },
          },
        },
        { now: at, actor: bea },
      )
      .thenThrows('invalid-offer', 'invalid');
    expect(error.fields.map((f) => f.field).sort()).toEqual(['conditions.maxAge', 'regions', 'validUntil']);
  });

  it('only the offering agency amends or withdraws; amending may not go below what is requested', () => {
    given(offerDecider, [published])
      .when({ type: 'WithdrawOffer' }, { now: at, actor: ana })
      .thenThrows('not-offering-agency');
    const error = given(offerDecider, [published, requested('r1', 2)])
      .when(
        { type: 'AmendOffer', terms: { ...TERMS, capacity: { quantity: 1, per: 'total' } } },
        { now: at, actor: bea },
      )
      .thenThrows('invalid-offer');
    expect(error.fields).toEqual([{ field: 'capacity.quantity', problem: 'must be at least the 2 already requested' }]);
  });

  it('withdrawing closes the requests nobody answered; approved ones stay to be fulfilled', () => {
    given(offerDecider, [published, requested('r1'), approved, requested('r2')])
      .when({ type: 'WithdrawOffer' }, { now: later(1), actor: bea })
      .then([
        { type: 'OfferWithdrawn', data: { offerId: 'o1', withdrawnBy: by, withdrawnAt: later(1).toISOString() } },
        {
          type: 'OfferRequestWithdrawn',
          data: { offerId: 'o1', requestId: 'r2', by: null, at: later(1).toISOString(), reason: 'offer-withdrawn' },
        },
      ]);
  });
});

describe('offers: requesting', () => {
  it('a care-team worker requests units for a recorded need; the event carries what the handover needs', () => {
    given(offerDecider, [published]).when(ask(), { now: at, actor: ana }).then([requested()]);
  });

  it('never more than there is: the last unit goes once, then offer-exhausted', () => {
    const error = given(offerDecider, [published, requested('r1'), requested('r2')])
      .when(ask({ requestId: 'r3' }), { now: at, actor: lee })
      .thenThrows('offer-exhausted', 'conflict');
    expect(error.details).toEqual({ remaining: 0 });
    given(offerDecider, [published, requested('r1')])
      .when(ask({ requestId: 'r2', quantity: 2 }), { now: at, actor: lee })
      .thenThrows('offer-exhausted');
  });

  it('a declined, expired or withdrawn request gives its units back', () => {
    const declined: OfferEvent = {
      type: 'OfferRequestDeclined',
      data: { offerId: 'o1', requestId: 'r1', by, at: at.toISOString(), reason: 'no-capacity' },
    };
    const state = fold(offerDecider, [published, requested('r1', 2), declined]);
    expect(state.status === 'published' && remainingOf(state, at)).toBe(2);
  });

  it('a monthly capacity renews each month', () => {
    const monthly = {
      ...published,
      data: { ...published.data, capacity: { quantity: 1, per: 'month' as const } },
    } as OfferEvent;
    const nov = { ...requested('r1'), data: { ...requested('r1').data, period: '2026-11' } } as OfferEvent;
    given(offerDecider, [monthly, nov])
      .when(ask({ requestId: 'r2' }), { now: later(3), actor: ana })
      .thenThrows('offer-exhausted');
    const [event] = given(offerDecider, [monthly, nov])
      .when(ask({ requestId: 'r2' }), { now: later(30), actor: ana })
      .then([
        {
          ...requested('r2', 1, later(30)),
          data: { ...requested('r2', 1, later(30)).data, period: '2026-12' },
        } as OfferEvent,
      ]);
    expect(event.type).toBe('OfferRequested');
  });

  it("the survivor's exclusion of the partner (or its sector) wins; so does the care team rule", () => {
    given(offerDecider, [published])
      .when(ask({ facts: { ...facts, excluded: 'sector' } }), { now: at, actor: ana })
      .thenThrows('offer-excluded', 'forbidden');
    given(offerDecider, [published])
      .when(ask({ facts: { ...facts, onCareTeam: false } }), { now: at, actor: ana })
      .thenThrows('not-on-care-team');
    given(offerDecider, [published]).when(ask(), { now: at, actor: bea }).thenThrows('not-a-worker');
  });

  it('only for a need the survivor has, in a region the offer covers, within its window', () => {
    given(offerDecider, [published])
      .when(ask({ facts: { ...facts, survivorNeeds: ['legal'] } }), { now: at, actor: ana })
      .thenThrows('need-not-listed');
    const error = given(offerDecider, [published])
      .when(ask({ region: 'bc-vancouver', need: 'legal' }), { now: at, actor: ana })
      .thenThrows('invalid-offer-request');
    expect(error.fields.map((f) => f.field)).toEqual(['region', 'need']);
    given(offerDecider, [published])
      .when(ask(), { now: later(60), actor: ana })
      .thenThrows('offer-not-available');
  });
});

describe('offers: a request’s life', () => {
  const act = (type: string, actor: Actor, history: OfferEvent[], now = at) =>
    given(offerDecider, history).when({ type, requestId: 'r1', reason: 'no-capacity' } as OfferCommand, { now, actor });

  it('requested → approved → fulfilled → confirmed received, each by the right side', () => {
    act('ApproveOfferRequest', bea, [published, requested()]).then([approved]);
    act('FulfilOfferRequest', bea, [published, requested(), approved]).then([fulfilled]);
    act('ConfirmOfferReceived', ana, [published, requested(), approved, fulfilled]).then([
      {
        type: 'OfferReceiptConfirmed',
        data: { offerId: 'o1', requestId: 'r1', by: { userId: 'ana', agencyId: 'care' }, at: at.toISOString() },
      },
    ]);
  });

  it('the partner cannot confirm receipt, the requester cannot approve, and steps are not skipped', () => {
    act('ConfirmOfferReceived', bea, [published, requested(), approved, fulfilled]).thenThrows('not-a-worker');
    act('ConfirmOfferReceived', lee, [published, requested(), approved, fulfilled]).thenThrows('not-requesting-agency');
    act('ApproveOfferRequest', ana, [published, requested()]).thenThrows('not-offering-agency');
    act('FulfilOfferRequest', bea, [published, requested()]).thenThrows('offer-request-transition-not-allowed');
    act('DeclineOfferRequest', bea, [published, requested(), approved]).thenThrows(
      'offer-request-transition-not-allowed',
    );
  });

  it('expires only once its answer deadline has passed, and only while unanswered', () => {
    act('ExpireOfferRequest', system, [published, requested()], later(6)).thenThrows('offer-request-not-due');
    act('ExpireOfferRequest', system, [published, requested()], later(7)).then([
      { type: 'OfferRequestExpired', data: { offerId: 'o1', requestId: 'r1', at: later(7).toISOString() } },
    ]);
    act('ExpireOfferRequest', system, [published, requested(), approved], later(8)).thenThrows(
      'offer-request-transition-not-allowed',
    );
  });

  it('the requester withdraws before handover', () => {
    act('WithdrawOfferRequest', ana, [published, requested(), approved]).then([
      {
        type: 'OfferRequestWithdrawn',
        data: {
          offerId: 'o1',
          requestId: 'r1',
          by: { userId: 'ana', agencyId: 'care' },
          at: at.toISOString(),
          reason: 'by-requester',
        },
      },
    ]);
    act('WithdrawOfferRequest', ana, [published, requested(), approved, fulfilled]).thenThrows(
      'offer-request-transition-not-allowed',
    );
  });
});
