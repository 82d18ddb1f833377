/**
 * The network's shared words (DESIGN.md, "The words"): one list each, below every context that
 * uses them, so a sector, need or purpose means the same thing in the directory, the intake,
 * consent, referrals and reports.
 */

/** What kind of organisation an agency is. */
export const SECTORS = [
  'victim-services',
  'shelter',
  'health',
  'legal',
  'housing',
  'settlement',
  'indigenous-led',
  'law-enforcement',
  'government',
  'corporate',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

/** Need categories of the service directory and of survivors' structured needs. */
export const NEED_CATEGORIES = [
  'housing',
  'shelter',
  'legal',
  'immigration',
  'health',
  'mental-health',
  'substance-use',
  'counselling',
  'income',
  'employment',
  'education',
  'food',
  'transportation',
  'id-documents',
  'childcare',
  'cultural',
  'peer-support',
  'safety-planning',
] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];

/** How soon a need must be met. */
export const URGENCIES = ['low', 'medium', 'high', 'immediate'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * Why survivor data is read. Purposes are separate on purpose: none implies another, and
 * `investigation` (police) is only ever allowed by a consent that names it.
 */
export const PURPOSES = [
  'referral',
  'care-coordination',
  'safety-planning',
  'investigation',
  'statistics',
  /** Drafting an impact story from the record (libs/stories): only with a consent that names it; never implied. */
  'impact-story',
] as const;
export type Purpose = (typeof PURPOSES)[number];
export const isPurpose = (value: unknown): value is Purpose => (PURPOSES as readonly unknown[]).includes(value);

/** Region codes are short slugs (e.g. `on-toronto`); the network configures which exist. */
export const REGION_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;
/** Languages are BCP 47 tags (e.g. `en`, `es`, `tl`, `pt-BR`). */
export const LANGUAGE_PATTERN = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

/** Kinds of in-kind help a member agency offers the network (issue 15, the network's "ask list"). */
export const OFFER_KINDS = [
  'transit',
  'lodging-night',
  'device',
  'phone-plan',
  'counselling-session',
  'groceries',
  'clothing',
  'childcare',
  'training-place',
  'other',
] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/** How an offer reaches the survivor: through the requesting agency unless the survivor chose otherwise. */
export const HANDOVER_MODES = ['voucher-code', 'pickup', 'delivery-to-agency', 'booked-session'] as const;
export type HandoverMode = (typeof HANDOVER_MODES)[number];

/** The needs an offer of each kind answers by default (an offer may list its own). */
export const OFFER_KIND_NEEDS: Record<OfferKind, readonly NeedCategory[]> = {
  transit: ['transportation'],
  'lodging-night': ['shelter', 'housing'],
  device: ['safety-planning', 'employment', 'education'],
  'phone-plan': ['safety-planning', 'employment'],
  'counselling-session': ['counselling', 'mental-health'],
  groceries: ['food'],
  clothing: ['income'],
  childcare: ['childcare'],
  'training-place': ['employment', 'education'],
  other: [],
};
