/**
 * The fields of the referral events (contract: the referrals context, `referral-<id>` streams)
 * that the referral facts need. Declared structurally, by event type name, so reports do not
 * depend on the referrals lib; unknown extra fields are ignored.
 */
export interface ReferralRequestedData {
  referralId: string;
  survivorId: string;
  toSector: string;
  needs: string[];
  urgency: string;
  notice?: { language?: string | null; region?: string | null };
}

export interface ReferralDeclinedData {
  referralId: string;
  reason: string;
}

export const REFERRAL_EVENT_TYPES = [
  'ReferralRequested',
  'ReferralAcknowledged',
  'ReferralAccepted',
  'ReferralDeclined',
  'ReferralExpired',
  'ReferralWithdrawn',
  'HandoffCompleted',
] as const;

export const DECLINE_REASONS = ['no-capacity', 'not-eligible', 'other'] as const;
