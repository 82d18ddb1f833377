import type { HandoverMode, NeedCategory, OfferKind, Sector } from '@harbour/vocabulary';

/** The staff member (and agency) who acted. */
export interface OfferActor {
  userId: string;
  agencyId: string;
}

/** How much there is: a fixed quantity, or a capacity renewed every calendar month (UTC). */
export interface OfferCapacity {
  quantity: number;
  per: 'total' | 'month';
}

/** Who an offer is for; an empty list or a null bound means no condition. */
export interface OfferConditions {
  minAge: number | null;
  maxAge: number | null;
  /** Gender words as the intake's identity section records them (e.g. `woman`, `man`, `non-binary`). */
  genders: string[];
  /** BCP 47 primary language tags the help is given in. */
  languages: string[];
}

/** What a publisher says about the offer; amended as a whole. */
export interface OfferTerms {
  kind: OfferKind;
  /** The partner's own words about the help (never about a survivor). */
  title: string;
  capacity: OfferCapacity;
  /** Region codes where it can be handed over. */
  regions: string[];
  conditions: OfferConditions;
  handover: HandoverMode;
  /** The needs it answers (default: the kind's, from the vocabulary). */
  needs: NeedCategory[];
  validFrom: string;
  validUntil: string;
  /** Days the partner has to answer a request before it expires. */
  responseDays: number;
}

/** Where the help goes: to the requesting agency, unless the survivor chose to receive it directly. */
export type HandoverTo = 'agency' | 'survivor';

export const DECLINE_REASONS = ['no-capacity', 'conditions-not-met', 'not-available', 'other'] as const;
export type OfferDeclineReason = (typeof DECLINE_REASONS)[number];

/**
 * Facts of one offer and every request made from it (stream `offer-<offerId>`), schema version 1,
 * times as ISO strings. The offer's remaining quantity is decided in this one stream at its
 * expected version, so concurrent requests can never take more than there is. Request events
 * carry the survivor's opaque id (the care team's view and the statistics facts need it); no read
 * model a partner reaches ever holds it.
 */
export type OfferEvent =
  | {
      type: 'OfferPublished';
      data: OfferTerms & {
        offerId: string;
        agencyId: string;
        sector: Sector;
        publishedBy: OfferActor;
        publishedAt: string;
      };
    }
  | { type: 'OfferAmended'; data: OfferTerms & { offerId: string; amendedBy: OfferActor; amendedAt: string } }
  | { type: 'OfferWithdrawn'; data: { offerId: string; withdrawnBy: OfferActor; withdrawnAt: string } }
  | {
      type: 'OfferRequested';
      data: {
        offerId: string;
        requestId: string;
        /** The offering agency, and its sector as published. */
        agencyId: string;
        sector: Sector;
        kind: OfferKind;
        survivorId: string;
        need: NeedCategory;
        quantity: number;
        region: string;
        /** The day the help is needed by (YYYY-MM-DD), or null. */
        neededBy: string | null;
        handover: HandoverMode;
        handoverTo: HandoverTo;
        requestedBy: OfferActor;
        requestedAt: string;
        /** The capacity period the units count against (`YYYY-MM`, or `total`). */
        period: string;
        respondBy: string;
      };
    }
  | { type: 'OfferRequestApproved'; data: { offerId: string; requestId: string; by: OfferActor; at: string } }
  | {
      type: 'OfferRequestDeclined';
      data: { offerId: string; requestId: string; by: OfferActor; at: string; reason: OfferDeclineReason };
    }
  | { type: 'OfferRequestFulfilled'; data: { offerId: string; requestId: string; by: OfferActor; at: string } }
  | { type: 'OfferReceiptConfirmed'; data: { offerId: string; requestId: string; by: OfferActor; at: string } }
  | {
      type: 'OfferRequestWithdrawn';
      data: {
        offerId: string;
        requestId: string;
        /** Null when the offer's withdrawal closed it. */
        by: OfferActor | null;
        at: string;
        reason: 'by-requester' | 'offer-withdrawn';
      };
    }
  | { type: 'OfferRequestExpired'; data: { offerId: string; requestId: string; at: string } };

export const offerStream = (offerId: string) => `offer-${offerId}`;

const OFFER_EVENTS: Record<OfferEvent['type'], true> = {
  OfferPublished: true,
  OfferAmended: true,
  OfferWithdrawn: true,
  OfferRequested: true,
  OfferRequestApproved: true,
  OfferRequestDeclined: true,
  OfferRequestFulfilled: true,
  OfferReceiptConfirmed: true,
  OfferRequestWithdrawn: true,
  OfferRequestExpired: true,
};
export const OFFER_EVENT_TYPES = Object.keys(OFFER_EVENTS);
