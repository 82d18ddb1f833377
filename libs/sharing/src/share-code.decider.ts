import type { DecisionContext, Decider } from '@harbour/event-store';
import { DomainError, type Actor, type FieldProblem } from '@harbour/kernel';
import { isSection, isWorkerRole, SECTIONS, type Section } from '@harbour/consent';
import { isPurpose, LANGUAGE_PATTERN, PURPOSES, type Purpose } from '@harbour/vocabulary';
import { SharingErrors as E } from './errors.js';
import type { ShareCodeActor, ShareCodeEvent } from './share-code.events.js';

/** A code lasts this many days unless the issuer says otherwise, and never longer than the maximum. */
export const DEFAULT_VALID_DAYS = 90;
export const MAX_VALID_DAYS = 365;
export const DEFAULT_SECTIONS: Section[] = ['needs', 'preferences'];
export const DEFAULT_PURPOSES: Purpose[] = ['care-coordination'];

export type ShareCodeCommand =
  | {
      type: 'IssueShareCode';
      codeId: string;
      survivorId: string;
      codeHash: string;
      sections: Section[];
      purposes: Purpose[];
      language: string;
      validDays: number;
      /** The caller is on the survivor's care team, and the record is not erased (read just now). */
      facts: { onCareTeam: boolean; erased: boolean };
    }
  | {
      type: 'RedeemShareCode';
      codeHash: string;
      consentId: string;
      /** What the caller read just now about the survivor and the redeeming worker. */
      facts: RedemptionFacts;
    }
  | { type: 'RevokeShareCode'; facts: { onCareTeam: boolean } };

export interface RedemptionFacts {
  /** An exclusion in force naming the worker, their agency or its sector. */
  excluded: 'staff' | 'agency' | 'sector' | null;
  erased: boolean;
  /** The worker's agency already works the case (care team, referral, an earlier code). */
  related: boolean;
}

interface Issued {
  codeId: string;
  survivorId: string;
  sections: Section[];
  purposes: Purpose[];
  language: string;
  issuedBy: ShareCodeActor;
  issuedAt: string;
  expiresAt: string;
  codeHash: string;
}

export type ShareCodeState =
  | { status: 'none' }
  | (Issued & { status: 'issued' })
  | (Issued & { status: 'redeemed'; redeemedBy: ShareCodeActor; redeemedAt: string; consentId: string })
  | (Issued & { status: 'revoked'; revokedAt: string });

/** Why a code cannot be used, as recorded (the HTTP answer folds the first four into one). */
export type RedemptionRefusal = 'unknown' | 'expired' | 'revoked' | 'used' | 'erased' | 'excluded' | 'related';

/** Why the code itself cannot be used: the four reasons that get one and the same answer. */
export type CodeRefusal = 'unknown' | 'expired' | 'revoked' | 'used';

export function codeRefusal(state: ShareCodeState, codeHash: string, now: Date): CodeRefusal | null {
  if (state.status === 'none' || state.codeHash !== codeHash) return 'unknown';
  if (state.status === 'revoked') return 'revoked';
  if (state.status === 'redeemed') return 'used';
  if (now.getTime() >= Date.parse(state.expiresAt)) return 'expired';
  return null;
}

/**
 * THE redemption rule, used by the decider and by the handler that records failed attempts: the
 * code's own state first (unknown, revoked, used, expired), then the record (erased), then the
 * survivor's exclusions (which win over the code), then an agency that already has the case.
 */
export function redemptionRefusal(
  state: ShareCodeState,
  codeHash: string,
  now: Date,
  facts: RedemptionFacts,
): RedemptionRefusal | null {
  const code = codeRefusal(state, codeHash, now);
  if (code) return code;
  if (facts.erased) return 'erased';
  if (facts.excluded) return 'excluded';
  if (facts.related) return 'related';
  return null;
}

const REFUSALS = {
  unknown: E.shareCodeNotValid,
  expired: E.shareCodeNotValid,
  revoked: E.shareCodeNotValid,
  used: E.shareCodeNotValid,
  erased: E.recordErased,
  excluded: E.shareCodeExcluded,
  related: E.alreadyOnCareTeam,
} as const;
export const refusalError = (refusal: RedemptionRefusal) => DomainError.of(REFUSALS[refusal]);

function worker(actor: Actor): ShareCodeActor {
  if (!isWorkerRole(actor.role) || actor.agencyId === null) throw DomainError.of(E.notAWorker);
  return { userId: actor.userId, agencyId: actor.agencyId };
}

/** Listed one by one, each known and once, in canonical order. */
function listOf<T extends string>(
  field: string,
  values: unknown,
  known: readonly T[],
  isKnown: (v: unknown) => v is T,
  problems: FieldProblem[],
): T[] {
  if (!Array.isArray(values) || values.length === 0) problems.push({ field, problem: 'must list at least one' });
  else values.forEach((v, i) => isKnown(v) || problems.push({ field: `${field}.${i}`, problem: 'is not known' }));
  return known.filter((k) => Array.isArray(values) && values.includes(k));
}

type Cmd<T extends ShareCodeCommand['type']> = Extract<ShareCodeCommand, { type: T }>;

function issue(c: Cmd<'IssueShareCode'>, state: ShareCodeState, { actor, now }: DecisionContext): ShareCodeEvent[] {
  const issuedBy = worker(actor);
  if (c.facts.erased) throw DomainError.of(E.recordErased);
  if (!c.facts.onCareTeam) throw DomainError.of(E.notOnCareTeam);
  if (state.status !== 'none') throw DomainError.of(E.shareCodeExists);
  const problems: FieldProblem[] = [];
  const sections = listOf('sections', c.sections, SECTIONS, isSection, problems);
  const purposes = listOf('purposes', c.purposes, PURPOSES, isPurpose, problems);
  // A code is for services the survivor chooses: never for a police inquiry or a count.
  if (purposes.includes('investigation') || purposes.includes('statistics'))
    problems.push({ field: 'purposes', problem: 'a share code is for referral, care-coordination or safety-planning' });
  if (!Number.isInteger(c.validDays) || c.validDays < 1 || c.validDays > MAX_VALID_DAYS)
    problems.push({ field: 'validDays', problem: `must be a whole number of days from 1 to ${MAX_VALID_DAYS}` });
  if (typeof c.language !== 'string' || !LANGUAGE_PATTERN.test(c.language))
    problems.push({ field: 'language', problem: 'must be a BCP 47 language tag' });
  if (problems.length) throw DomainError.of(E.invalidShareCode, { fields: problems });
  return [
    {
      type: 'ShareCodeIssued',
      data: {
        codeId: c.codeId,
        survivorId: c.survivorId,
        sections,
        purposes,
        language: c.language,
        issuedBy,
        issuedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + c.validDays * 86_400_000).toISOString(),
        codeHash: c.codeHash,
      },
    },
  ];
}

function redeem(c: Cmd<'RedeemShareCode'>, state: ShareCodeState, { actor, now }: DecisionContext): ShareCodeEvent[] {
  const by = worker(actor);
  const refusal = redemptionRefusal(state, c.codeHash, now, c.facts);
  if (refusal || state.status !== 'issued') throw refusalError(refusal ?? 'unknown');
  return [
    {
      type: 'ShareCodeRedeemed',
      data: {
        codeId: state.codeId,
        survivorId: state.survivorId,
        agencyId: by.agencyId,
        userId: by.userId,
        consentId: c.consentId,
        sections: state.sections,
        purposes: state.purposes,
        issuedByAgencyId: state.issuedBy.agencyId,
        redeemedAt: now.toISOString(),
      },
    },
  ];
}

function revoke(c: Cmd<'RevokeShareCode'>, state: ShareCodeState, { actor, now }: DecisionContext): ShareCodeEvent[] {
  const by = worker(actor);
  if (state.status === 'none') throw DomainError.of(E.shareCodeNotFound);
  if (!c.facts.onCareTeam) throw DomainError.of(E.notOnCareTeam);
  if (state.status !== 'issued')
    throw DomainError.of(E.shareCodeNotRevocable, { details: { currentStatus: state.status } });
  return [
    {
      type: 'ShareCodeRevoked',
      data: { codeId: state.codeId, survivorId: state.survivorId, revokedBy: by, revokedAt: now.toISOString() },
    },
  ];
}

/**
 * A share code's life: issued by the care team → redeemed once at another agency, or revoked;
 * it expires by time alone (no event: `expiresAt` is judged at each attempt).
 */
export const shareCodeDecider: Decider<ShareCodeState, ShareCodeCommand, ShareCodeEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, context) {
    switch (command.type) {
      case 'IssueShareCode':
        return issue(command, state, context);
      case 'RedeemShareCode':
        return redeem(command, state, context);
      case 'RevokeShareCode':
        return revoke(command, state, context);
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${(unknown as { type: string }).type}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ShareCodeIssued':
        return { status: 'issued', ...event.data };
      case 'ShareCodeRedeemed':
        if (state.status === 'none') return state;
        return {
          ...state,
          status: 'redeemed',
          redeemedBy: { userId: event.data.userId, agencyId: event.data.agencyId },
          redeemedAt: event.data.redeemedAt,
          consentId: event.data.consentId,
        };
      case 'ShareCodeRevoked':
        if (state.status === 'none') return state;
        return { ...state, status: 'revoked', revokedAt: event.data.revokedAt };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};
