import type { ConsentMethod, Section } from './sections.js';
import { type Sector, type Purpose } from '@harbour/vocabulary';

/** Who a consent permits: one agency, or every active agency of a sector. */
export type Recipient = { kind: 'agency'; agencyId: string } | { kind: 'sector'; sector: Sector };

/** Who an exclusion shuts out, whatever any consent says: a sector, an agency, or one staff member. */
export type ExclusionTarget =
  { kind: 'sector'; sector: Sector } | { kind: 'agency'; agencyId: string } | { kind: 'staff'; userId: string };

/** The worker (on the survivor's care team) through whom the survivor gave the decision. */
export interface RecordedBy {
  userId: string;
  agencyId: string;
}

/** The full terms of one version of a consent; an amendment restates them all. */
export interface ConsentTerms {
  sections: Section[];
  purposes: Purpose[];
  /** ISO instants; valid while validFrom <= t < validUntil. */
  validFrom: string;
  validUntil: string;
  method: ConsentMethod;
  /** BCP 47 tag of the language the decision was given in. */
  language: string;
}

/**
 * Facts of a survivor's consent decisions (stream `consent-<survivorId>`); schema version 1,
 * times as ISO strings. The stream names the survivor, so payloads do not repeat the id.
 */
export type ConsentEvent =
  | {
      type: 'ConsentRecorded';
      data: ConsentTerms & {
        consentId: string;
        version: 1;
        recipient: Recipient;
        recordedBy: RecordedBy;
        recordedAt: string;
        /** Set when the consent was given by redeeming a share code (method `share-code`). */
        shareCodeId?: string;
      };
    }
  /** `version` is the new version (previous + 1); referrals bind to (consentId, version). */
  | {
      type: 'ConsentAmended';
      data: ConsentTerms & { consentId: string; version: number; recordedBy: RecordedBy; recordedAt: string };
    }
  /** `version` is the version that was in force when revoked. */
  | {
      type: 'ConsentRevoked';
      data: { consentId: string; version: number; method: ConsentMethod; revokedBy: RecordedBy; revokedAt: string };
    }
  | {
      type: 'ExclusionRecorded';
      data: {
        exclusionId: string;
        target: ExclusionTarget;
        method: ConsentMethod;
        language: string;
        recordedBy: RecordedBy;
        recordedAt: string;
      };
    }
  | {
      type: 'ExclusionLifted';
      data: { exclusionId: string; method: ConsentMethod; liftedBy: RecordedBy; liftedAt: string };
    };

export type ConsentEventType = ConsentEvent['type'];
