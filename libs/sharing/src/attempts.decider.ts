import type { Decider } from '@harbour/event-store';
import type { ShareCodeAttemptsLockedV1 } from '@harbour/audit';

/** How many failed redemptions are allowed per worker and per agency within the sliding window. */
export interface AttemptLimits {
  perWorker: number;
  perAgency: number;
  windowMinutes: number;
}

/** Why an attempt failed; `locked`: refused before the code was even looked at. */
export type AttemptReason = 'unknown' | 'expired' | 'revoked' | 'used' | 'excluded' | 'locked';

/**
 * Failed share-code redemptions at one agency (stream `share-code-attempts-<agencyId>`). Every
 * failure is an event; reaching a limit adds `ShareCodeAttemptsLocked`, which the audit flags
 * projection turns into a flag for privacy officers.
 */
export type AttemptEvent =
  | { type: 'ShareCodeAttemptFailed'; data: { agencyId: string; userId: string; reason: AttemptReason; at: string } }
  | { type: 'ShareCodeAttemptsLocked'; data: ShareCodeAttemptsLockedV1 };

export type AttemptCommand = {
  type: 'RecordFailedAttempt';
  agencyId: string;
  userId: string;
  reason: AttemptReason;
  limits: AttemptLimits;
};

/** Failures that count towards the limits (not `locked` ones: those tested no code), newest last. */
export interface AttemptState {
  failures: Array<{ userId: string; at: number }>;
}

/** Kept for a day at most (the longest window): older failures can never count again. */
const KEEP_MS = 24 * 60 * 60_000;

export interface Lock {
  scope: 'worker' | 'agency';
  until: Date;
}

/** When a count of failures (times ascending) drops below `limit` again, if it is at or over it now. */
function freeAt(times: number[], limit: number, windowMs: number): number | null {
  if (times.length < limit) return null;
  return times[times.length - limit] + windowMs;
}

/**
 * Is this worker refused at `now`? Locked while they (or their whole agency) have `limit` or more
 * failures in the last window; the lock lifts when enough of them have aged out of it.
 */
export function lockOf(state: AttemptState, userId: string, now: Date, limits: AttemptLimits): Lock | null {
  const windowMs = limits.windowMinutes * 60_000;
  const recent = state.failures.filter((f) => f.at > now.getTime() - windowMs);
  const worker = freeAt(
    recent.filter((f) => f.userId === userId).map((f) => f.at),
    limits.perWorker,
    windowMs,
  );
  const agency = freeAt(
    recent.map((f) => f.at),
    limits.perAgency,
    windowMs,
  );
  if (worker === null && agency === null) return null;
  return (agency ?? 0) > (worker ?? 0)
    ? { scope: 'agency', until: new Date(agency!) }
    : { scope: 'worker', until: new Date(worker!) };
}

export const attemptsDecider: Decider<AttemptState, AttemptCommand, AttemptEvent> = {
  initialState: () => ({ failures: [] }),

  decide(c, state, { now }) {
    const at = now.toISOString();
    const failed: AttemptEvent = {
      type: 'ShareCodeAttemptFailed',
      data: { agencyId: c.agencyId, userId: c.userId, reason: c.reason, at },
    };
    if (c.reason === 'locked') return [failed];
    // Did this failure reach a limit? Then the lock, once per crossing (the flag's trigger).
    const before = lockOf(state, c.userId, now, c.limits);
    const after = lockOf(attemptsDecider.evolve(state, failed), c.userId, now, c.limits);
    if (!after || before) return [failed];
    const windowStart = now.getTime() - c.limits.windowMinutes * 60_000;
    const inWindow = state.failures.filter(
      (f) => f.at > windowStart && (after.scope === 'agency' || f.userId === c.userId),
    );
    return [
      failed,
      {
        type: 'ShareCodeAttemptsLocked',
        data: {
          agencyId: c.agencyId,
          userId: c.userId,
          scope: after.scope,
          failures: inWindow.length + 1,
          windowMinutes: c.limits.windowMinutes,
          lockedAt: at,
          lockedUntil: after.until.toISOString(),
        },
      },
    ];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ShareCodeAttemptFailed': {
        if (event.data.reason === 'locked') return state;
        const at = Date.parse(event.data.at);
        return { failures: [...state.failures.filter((f) => f.at > at - KEEP_MS), { userId: event.data.userId, at }] };
      }
      case 'ShareCodeAttemptsLocked':
        return state;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};

export const attemptsStream = (agencyId: string) => `share-code-attempts-${agencyId}`;
