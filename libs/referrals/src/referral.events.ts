import type { AgeBand } from '@harbour/intake';
import { type Urgency, type NeedCategory, type Sector } from '@harbour/vocabulary';

/**
 * The referral event contract (stream `referral-<referralId>`, schema version 1), shared with
 * the reports context. Fields may be added, never renamed or dropped. The time of each fact is
 * the stored event's `recordedAt`.
 */

/** The non-identifying notice the receiving agency sees before acceptance. */
export interface ReferralNotice {
  needs: NeedCategory[];
  urgency: Urgency;
  /** BCP 47 tag from the preferences section, if known. */
  language: string | null;
  /** Region code, if known. */
  region: string | null;
  /** From identity (date of birth coarsened to a band), if known. */
  ageBand: AgeBand | null;
}

export const DECLINE_REASONS = ['no-capacity', 'not-eligible', 'other'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];
export const INTRODUCTION_MODES = ['in-person', 'phone', 'video'] as const;
export type IntroductionMode = (typeof INTRODUCTION_MODES)[number];
export const OUTCOMES = ['engaged', 'not-engaged', 'other'] as const;
export type ReferralOutcome = (typeof OUTCOMES)[number];

export interface ReferralRequested {
  referralId: string;
  survivorId: string;
  fromAgencyId: string;
  toAgencyId: string;
  toSector: Sector;
  /** userId */
  requestedBy: string;
  needs: NeedCategory[];
  urgency: Urgency;
  /** Short, non-identifying; the receiving agency sees it only after accepting. */
  note: string;
  consentId: string;
  consentVersion: number;
  notice: ReferralNotice;
  /** ISO instant: acknowledgement deadline (the receiving service's response window). */
  respondBy: string;
}
export interface ReferralAcknowledged {
  referralId: string;
  by: string;
}
export interface ReferralAccepted {
  referralId: string;
  by: string;
  assignedCaseworkerId: string;
}
export interface ReferralDeclined {
  referralId: string;
  by: string;
  reason: DeclineReason;
}
export interface IntroductionScheduled {
  referralId: string;
  by: string;
  at: string;
  mode: IntroductionMode;
  attendees: string[];
}
/** One per agency. */
export interface HandoffConfirmed {
  referralId: string;
  by: string;
  agencyId: string;
}
/** After both agencies confirmed. */
export interface HandoffCompleted {
  referralId: string;
}
export interface ReferralClosed {
  referralId: string;
  by: string;
  outcome: ReferralOutcome;
}
/** The survivor's decision, recorded by either agency. */
export interface ReferralWithdrawn {
  referralId: string;
  by: string;
  agencyId: string;
}
/** Not acknowledged by respondBy. */
export interface ReferralExpired {
  referralId: string;
}

export type ReferralEvent =
  | { type: 'ReferralRequested'; data: ReferralRequested; schemaVersion?: number }
  | { type: 'ReferralAcknowledged'; data: ReferralAcknowledged; schemaVersion?: number }
  | { type: 'ReferralAccepted'; data: ReferralAccepted; schemaVersion?: number }
  | { type: 'ReferralDeclined'; data: ReferralDeclined; schemaVersion?: number }
  | { type: 'IntroductionScheduled'; data: IntroductionScheduled; schemaVersion?: number }
  | { type: 'HandoffConfirmed'; data: HandoffConfirmed; schemaVersion?: number }
  | { type: 'HandoffCompleted'; data: HandoffCompleted; schemaVersion?: number }
  | { type: 'ReferralClosed'; data: ReferralClosed; schemaVersion?: number }
  | { type: 'ReferralWithdrawn'; data: ReferralWithdrawn; schemaVersion?: number }
  | { type: 'ReferralExpired'; data: ReferralExpired; schemaVersion?: number };

export type ReferralEventType = ReferralEvent['type'];
export const REFERRAL_EVENT_TYPES: readonly ReferralEventType[] = [
  'ReferralRequested',
  'ReferralAcknowledged',
  'ReferralAccepted',
  'ReferralDeclined',
  'IntroductionScheduled',
  'HandoffConfirmed',
  'HandoffCompleted',
  'ReferralClosed',
  'ReferralWithdrawn',
  'ReferralExpired',
];

export const referralStream = (referralId: string) => `referral-${referralId}`;
