import type { Section } from '@harbour/consent';
import type { Purpose } from '@harbour/vocabulary';

/** The worker (and agency) who acted. */
export interface ShareCodeActor {
  userId: string;
  agencyId: string;
}

/**
 * Facts of one share code (stream `share-code-<codeId>`), schema version 1, times as ISO strings.
 * The code itself is never in an event: only its keyed scrypt hash.
 */
export type ShareCodeEvent =
  | {
      type: 'ShareCodeIssued';
      data: {
        codeId: string;
        survivorId: string;
        sections: Section[];
        purposes: Purpose[];
        /** BCP 47 tag of the language the card is printed in. */
        language: string;
        issuedBy: ShareCodeActor;
        issuedAt: string;
        expiresAt: string;
        codeHash: string;
      };
    }
  | {
      type: 'ShareCodeRedeemed';
      data: {
        codeId: string;
        survivorId: string;
        /** The agency the survivor opened the record to, and its worker who entered the code. */
        agencyId: string;
        userId: string;
        consentId: string;
        sections: Section[];
        purposes: Purpose[];
        /** The agency that issued the code (whose privacy officer sees this use). */
        issuedByAgencyId: string;
        redeemedAt: string;
      };
    }
  | {
      type: 'ShareCodeRevoked';
      data: { codeId: string; survivorId: string; revokedBy: ShareCodeActor; revokedAt: string };
    };

export const shareCodeStream = (codeId: string) => `share-code-${codeId}`;

const SHARE_CODE_EVENTS: Record<ShareCodeEvent['type'], true> = {
  ShareCodeIssued: true,
  ShareCodeRedeemed: true,
  ShareCodeRevoked: true,
};
export const SHARE_CODE_EVENT_TYPES = Object.keys(SHARE_CODE_EVENTS);
