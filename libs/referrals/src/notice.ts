import { type AgeBand, isIsoDate } from '@harbour/intake';
import type { Section } from '@harbour/consent';
import type { ReferralNotice } from './referral.events.js';
import { type Urgency, LANGUAGE_PATTERN, type NeedCategory, REGION_PATTERN } from '@harbour/vocabulary';

/** The intake sections a referral's notice is derived from: exposing a survivor with it reads these. */
export const NOTICE_SECTIONS: readonly Section[] = ['needs', 'identity', 'preferences'];

/** Age bands by lower bound (years), as AGE_BANDS in @harbour/intake. */
const BANDS: Array<[number, AgeBand]> = [
  [65, '65+'],
  [50, '50-64'],
  [35, '35-49'],
  [25, '25-34'],
  [18, '18-24'],
  [12, '12-17'],
  [5, '5-11'],
  [0, '0-4'],
];

/** Completed years between a `YYYY-MM-DD` birth date and `now` (UTC). */
export function ageOn(dateOfBirth: string, now: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age -= 1;
  return age;
}

export function ageBandOf(dateOfBirth: string, now: Date): AgeBand | null {
  const age = ageOn(dateOfBirth, now);
  if (age < 0) return null;
  return BANDS.find(([min]) => age >= min)![1];
}

export interface NoticeSources {
  needs: NeedCategory[];
  urgency: Urgency;
  /** The referrer's chosen region code (the intake holds no region code, only free text). */
  region?: string | null;
  /** The decrypted identity and preferences sections, when the referrer may read them. */
  identity?: { dateOfBirth?: unknown; ageBand?: unknown } | null;
  preferences?: { language?: unknown } | null;
  now: Date;
}

/**
 * The non-identifying notice: needs, urgency, language, region, age band — built field by
 * field from coarse, fixed vocabularies. Nothing else of the intake is copied: no name, contact,
 * date of birth or free text can reach it, because no such field is ever read into it.
 */
export function buildNotice(s: NoticeSources): ReferralNotice {
  const dob = s.identity?.dateOfBirth;
  const band = s.identity?.ageBand;
  const ageBand = isIsoDate(dob)
    ? ageBandOf(dob, s.now)
    : typeof band === 'string' && band !== 'unknown' && BANDS.some(([, b]) => b === band)
      ? (band as AgeBand)
      : null;
  const language =
    typeof s.preferences?.language === 'string' && LANGUAGE_PATTERN.test(s.preferences.language)
      ? s.preferences.language
      : null;
  const region = typeof s.region === 'string' && REGION_PATTERN.test(s.region) ? s.region : null;
  return { needs: [...s.needs], urgency: s.urgency, language, region, ageBand };
}
