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
