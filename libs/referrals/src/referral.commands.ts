import type { AgencyStatus, Tier } from '@harbour/network';
/** Who else may attend an introduction, by role rather than by name. */
export const ATTENDEE_ROLES = ['survivor', 'interpreter', 'support-person'] as const;

import type { DeclineReason, IntroductionMode, ReferralNotice, ReferralOutcome } from './referral.events.js';
import { type Urgency, type NeedCategory, type Sector } from '@harbour/vocabulary';

/**
 * What the handler looked up just before deciding (current state, never a lagging read model
 * except the directory's services): the decider judges these facts and names what is missing.
 */
export interface RequestFacts {
  /** The requesting worker is on the survivor's care team. */
  requesterOnCareTeam: boolean;
  receivingAgency: { status: AgencyStatus | 'none'; tier: Tier | null; sector: Sector | null };
  /** Which of the requested needs the receiving agency lists a service for. */
  servedNeeds: NeedCategory[];
  /** Shortest response window among those services (hours). */
  responseWindowHours: number | null;
  /** An in-force consent covering the receiving agency (or its sector) for `referral`. */
  consent: { consentId: string; version: number } | null;
  /** When there is none: the decision point's nearest miss (e.g. `consent-expired`, `consent-revoked`). */
  consentMiss?: string | null;
  /** An exclusion in force that matches the receiving agency or its sector. */
  exclusion: 'agency' | 'sector' | null;
}

/** The receiving worker named on acceptance, as the network knows them now. */
export interface Assignee {
  userId: string;
  agencyId: string;
  active: boolean;
  roles: string[];
  /** An exclusion in force that matches the assignee, the receiving agency or its sector (recorded since the request, perhaps). */
  excluded?: 'staff' | 'agency' | 'sector' | null;
}

export type ReferralCommand =
  | {
      type: 'RequestReferral';
      referralId: string;
      survivorId: string;
      toAgencyId: string;
      needs: NeedCategory[];
      urgency: Urgency;
      note: string;
      notice: ReferralNotice;
      facts: RequestFacts;
    }
  | { type: 'AcknowledgeReferral' }
  | { type: 'AcceptReferral'; assignee: Assignee | null }
  | { type: 'DeclineReferral'; reason: DeclineReason }
  /**
   * `attendees`: staff user ids, or the fixed words of ATTENDEE_ROLES (never names: the log is
   * not encrypted here). `staffAgencies` maps each staff id the handler found to its agency.
   */
  | {
      type: 'ScheduleIntroduction';
      at: string;
      mode: IntroductionMode;
      attendees: string[];
      staffAgencies?: Record<string, string>;
    }
  | { type: 'ConfirmHandoff' }
  | { type: 'CloseReferral'; outcome: ReferralOutcome }
  | { type: 'WithdrawReferral' }
  | { type: 'ExpireReferral' };
