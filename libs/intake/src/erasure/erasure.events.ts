import type { Section } from '@harbour/consent';

/** How the survivor's request reached the worker (as for consents). */
export const OBTAINED_HOW = ['verbal', 'written', 'electronic'] as const;
export type ObtainedHow = (typeof OBTAINED_HOW)[number];

/** Why a privacy officer approved or refused, as a fixed word: events outlive erasure, so no free text. */
export const APPROVAL_REASONS = ['request-verified'] as const;
export const REFUSAL_REASONS = ['identity-not-verified', 'legal-hold', 'safety-review', 'duplicate-request'] as const;
export type ApprovalReason = (typeof APPROVAL_REASONS)[number];
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** `record`: the whole record (the data key is destroyed); `sections`: only the listed sections. */
export type ErasureScope = 'record' | 'sections';

/**
 * The erasure facts of the intake stream (schema version 1). None carries survivor data: they
 * stay readable after the erasure they describe, and they are what `harbour verify` chains.
 */
export type ErasureEvent =
  | {
      type: 'ErasureRequested';
      data: {
        requestId: string;
        scope: ErasureScope;
        /** The sections asked for (every section for `record`). */
        sections: Section[];
        obtainedHow: ObtainedHow;
        requestedBy: string;
        agencyId: string;
      };
    }
  | {
      type: 'ErasureApproved';
      data: { requestId: string; reason: ApprovalReason; decidedBy: string; agencyId: string | null };
    }
  | {
      type: 'ErasureRefused';
      data: { requestId: string; reason: RefusalReason; decidedBy: string; agencyId: string | null };
    }
  /** A section's content is superseded: reads, snapshots and read models no longer show it. */
  | { type: 'SectionErased'; data: { section: Section; cause: 'request' | 'retention'; requestId: string | null } }
  /** The whole record is erased: the survivor's data key is destroyed (crypto-shredding). */
  | { type: 'RecordErased'; data: { requestId: string } }
  /** A section's retention period ran out (followed by its SectionErased in the same append). */
  | {
      type: 'SectionRetentionExpired';
      data: { section: Section; inactiveSince: string; retentionDays: number };
    };

export interface ErasureRequestState {
  status: 'pending' | 'approved' | 'refused';
  scope: ErasureScope;
  sections: Section[];
}
