/** Why the care team set do-not-contact: a code, never free text (nothing the survivor said is stored). */
export const DO_NOT_CONTACT_REASONS = ['safety-risk', 'survivor-request', 'unsafe-channel', 'other'] as const;
export type DoNotContactReason = (typeof DO_NOT_CONTACT_REASONS)[number];

export interface WorkerRef {
  userId: string;
  agencyId: string;
}

/**
 * Facts of the consent watch (stream `consent-watch-<survivorId>`), schema version 1, times as ISO
 * strings. Ids, dates and codes only: these events feed notifications that leave Harbour.
 */
export type ConsentWatchEvent =
  | {
      /** Once per consent per window (consentId + validUntil): the care team is asked to review it with the survivor. */
      type: 'ConsentReviewReminderRecorded';
      data: {
        survivorId: string;
        consentId: string;
        version: number;
        validUntil: string;
        leadDays: number;
        /** The care-team agencies reminded (they hold the survivor id already). */
        agencyIds: string[];
        recordedAt: string;
      };
    }
  | {
      /** Once per consent: its access ended (window passed, or revoked); the agencies whose access ended are told. */
      type: 'ConsentAccessEndedRecorded';
      data: {
        survivorId: string;
        consentId: string;
        version: number;
        reason: 'expired' | 'revoked';
        endedAt: string;
        /** Agencies that read through this consent: its recipient (or its sector's active agencies) and referrals bound to it. */
        agencyIds: string[];
        recordedAt: string;
      };
    };

/** Facts of the survivor's contact safety switch (stream `contact-<survivorId>`), schema version 1. */
export type ContactEvent =
  | {
      type: 'DoNotContactSet';
      data: { survivorId: string; reasonCode: DoNotContactReason; setBy: WorkerRef; setAt: string };
    }
  | { type: 'DoNotContactCleared'; data: { survivorId: string; clearedBy: WorkerRef; clearedAt: string } };

export const consentWatchStream = (survivorId: string) => `consent-watch-${survivorId}`;
export const contactStream = (survivorId: string) => `contact-${survivorId}`;

const WATCH: Record<ConsentWatchEvent['type'], true> = {
  ConsentReviewReminderRecorded: true,
  ConsentAccessEndedRecorded: true,
};
const CONTACT: Record<ContactEvent['type'], true> = { DoNotContactSet: true, DoNotContactCleared: true };
export const CONSENT_WATCH_EVENT_TYPES = Object.keys(WATCH);
export const CONTACT_EVENT_TYPES = Object.keys(CONTACT);
