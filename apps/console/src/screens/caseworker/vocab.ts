/**
 * The API's words the caseworker screens offer in forms (copies of libs/vocabulary, libs/consent
 * and libs/referrals: the browser bundle imports no server code). The API validates every value
 * regardless; a word missing here only means the console does not offer it.
 */
export const SECTIONS = [
  'identity',
  'contact',
  'safety',
  'immigration',
  'health',
  'legal',
  'housing',
  'income',
  'dependants',
  'story',
  'needs',
  'preferences',
  'goals',
] as const;
export const PURPOSES = [
  'referral',
  'care-coordination',
  'safety-planning',
  'investigation',
  'statistics',
  'impact-story',
] as const;
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
export const URGENCIES = ['low', 'medium', 'high', 'immediate'] as const;
export const CONSENT_METHODS = ['verbal', 'written', 'electronic'] as const;
export const REFERRAL_STATES = [
  'requested',
  'acknowledged',
  'accepted',
  'declined',
  'introduction-scheduled',
  'handoff-completed',
  'closed',
  'withdrawn',
  'expired',
] as const;
export const DECLINE_REASONS = ['no-capacity', 'not-eligible', 'other'] as const;
export const INTRODUCTION_MODES = ['in-person', 'phone', 'video'] as const;
export const OUTCOMES = ['engaged', 'not-engaged', 'other'] as const;
/** States after which a referral can no longer be withdrawn. */
export const FINAL_STATES = ['closed', 'declined', 'withdrawn', 'expired'] as const;
export const WORKER_ROLES = ['caseworker', 'supervisor'];
