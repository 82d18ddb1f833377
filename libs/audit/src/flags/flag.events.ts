import type { Actor } from '@harbour/kernel';

/** A privacy officer's conclusion on one flag (stream `audit-flag-<flagId>`, one event at most). */
export const FLAG_RESOLVED = 'AuditFlagResolved';
export const flagStream = (flagId: string): string => `audit-flag-${flagId}`;

export type FlagResolution = 'no-concern' | 'concern-confirmed';
export const FLAG_RESOLUTIONS: readonly FlagResolution[] = ['no-concern', 'concern-confirmed'];

export interface FlagResolvedV1 {
  flagId: string;
  resolution: FlagResolution;
  /** The officer's note about staff conduct; it must not repeat survivor data. */
  note: string;
  resolvedBy: Actor;
  resolvedAt: string;
}

/**
 * Failed share-code redemptions reached a limit (written by libs/sharing on stream
 * `share-code-attempts-<agencyId>`; named here so this projection can raise its flag without
 * depending on that lib). `scope` says which limit: the worker's own, or the whole agency's.
 */
export const SHARE_CODE_ATTEMPTS_LOCKED = 'ShareCodeAttemptsLocked';

export interface ShareCodeAttemptsLockedV1 {
  agencyId: string;
  /** The worker whose failed attempt reached the limit. */
  userId: string;
  scope: 'worker' | 'agency';
  failures: number;
  windowMinutes: number;
  lockedAt: string;
  lockedUntil: string;
}
