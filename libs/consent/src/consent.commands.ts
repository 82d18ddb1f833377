import type { ConsentMethod, Section } from './sections.js';
import type { ExclusionTarget, Recipient } from './consent.events.js';
import { type Purpose, type Sector } from '@harbour/vocabulary';

/**
 * Every command carries the survivor's care team as the caller looked it up just now (the
 * agencies working the case). The decider is pure, so that fact comes in on the command; the
 * actor and the time come in the DecisionContext.
 */
interface OnCareTeam {
  careTeamAgencyIds: string[];
}

/** What may be asked of a survivor's consent stream. */
export type ConsentCommand =
  | (OnCareTeam & {
      type: 'RecordConsent';
      consentId: string;
      recipient: Recipient;
      /** Listed one by one: there is no "all sections" or "all purposes" shortcut. */
      sections: Section[];
      purposes: Purpose[];
      /** ISO instant; defaults to now, and may not be earlier than now (no back-dating). */
      validFrom?: string;
      /** ISO instant; defaults to validFrom + 12 months. */
      validUntil?: string;
      method: ConsentMethod;
      language: string;
    })
  | (OnCareTeam & {
      type: 'AmendConsent';
      consentId: string;
      /** When given, refuses unless the consent is at this version (two workers amending at once). */
      expectedVersion?: number;
      /** Omitted terms stay as they are; the recipient never changes (that is a new consent). */
      sections?: Section[];
      purposes?: Purpose[];
      validFrom?: string;
      validUntil?: string;
      method: ConsentMethod;
      language: string;
    })
  | (OnCareTeam & { type: 'RevokeConsent'; consentId: string; method: ConsentMethod })
  | (OnCareTeam & {
      type: 'RecordExclusion';
      exclusionId: string;
      target: ExclusionTarget;
      method: ConsentMethod;
      language: string;
    })
  | (OnCareTeam & { type: 'LiftExclusion'; exclusionId: string; method: ConsentMethod })
  /**
   * A share code redeemed at another agency (libs/sharing): the survivor, present with a worker
   * of that agency, permits it the code's sections for the code's purposes. The worker is not on
   * the care team (that is the point); the code stands in for it, and exclusions still win.
   */
  | {
      type: 'RecordShareCodeConsent';
      consentId: string;
      codeId: string;
      /** The redeeming worker's agency and its sector, as the caller read them just now. */
      agencyId: string;
      sector: Sector;
      sections: Section[];
      purposes: Purpose[];
      language: string;
    };

export type ConsentCommandType = ConsentCommand['type'];
