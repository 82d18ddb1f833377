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
