import { given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import { type AttemptEvent, type AttemptLimits, attemptsDecider, lockOf } from './attempts.decider.js';
import { fold } from '@harbour/kernel';

const limits: AttemptLimits = { perWorker: 3, perAgency: 5, windowMinutes: 15 };
const t0 = new Date('2026-11-02T09:00:00Z');
const min = (m: number) => new Date(t0.getTime() + m * 60_000);
const lee: Actor = { userId: 'lee', agencyId: 'legal', role: 'caseworker' };
const failed = (userId: string, at: Date, reason: 'unknown' | 'locked' = 'unknown'): AttemptEvent => ({
  type: 'ShareCodeAttemptFailed',
  data: { agencyId: 'legal', userId, reason, at: at.toISOString() },
});
const attempt = (userId: string, reason: 'unknown' | 'expired' | 'locked' = 'unknown') =>
  ({ type: 'RecordFailedAttempt', agencyId: 'legal', userId, reason, limits }) as const;

describe('share code attempts: the sliding window', () => {
  it('every failed attempt is an event', () => {
    given(attemptsDecider)
      .when(attempt('lee', 'expired'), { now: t0, actor: lee })
      .then([
        {
          type: 'ShareCodeAttemptFailed',
          data: { agencyId: 'legal', userId: 'lee', reason: 'expired', at: t0.toISOString() },
        },
      ]);
  });

  it("the worker's limit-th failure in the window locks them out (once) until the oldest ages out", () => {
    const history = [failed('lee', min(0)), failed('lee', min(5))];
    given(attemptsDecider, history)
      .when(attempt('lee'), { now: min(6), actor: lee })
      .then([
        failed('lee', min(6)),
        {
          type: 'ShareCodeAttemptsLocked',
          data: {
            agencyId: 'legal',
            userId: 'lee',
            scope: 'worker',
            failures: 3,
            windowMinutes: 15,
            lockedAt: min(6).toISOString(),
            lockedUntil: min(15).toISOString(),
          },
        },
      ]);
    const state = fold(attemptsDecider, [...history, failed('lee', min(6))]);
    expect(lockOf(state, 'lee', min(14), limits)).toEqual({ scope: 'worker', until: min(15) });
    expect(lockOf(state, 'lee', min(15), limits)).toBeNull();
    // Another worker of the agency is not locked by lee's failures.
    expect(lockOf(state, 'tom', min(7), limits)).toBeNull();
  });

  it('failures outside the window do not count', () => {
    const state = fold(attemptsDecider, [failed('lee', min(0)), failed('lee', min(1)), failed('lee', min(20))]);
    expect(lockOf(state, 'lee', min(21), limits)).toBeNull();
  });

  it('locked attempts are recorded but test no code, so they neither count nor extend the lock', () => {
    const history = [failed('lee', min(0)), failed('lee', min(1)), failed('lee', min(2))];
    given(attemptsDecider, history)
      .when(attempt('lee', 'locked'), { now: min(3), actor: lee })
      .then([failed('lee', min(3), 'locked')]);
    const state = fold(attemptsDecider, [...history, failed('lee', min(3), 'locked')]);
    expect(lockOf(state, 'lee', min(15), limits)).toBeNull();
  });

  it("the agency's limit locks every worker of it, and says so", () => {
    const history = ['a', 'b', 'c', 'd'].map((u, i) => failed(u, min(i)));
    const [, locked] = given(attemptsDecider, history)
      .when(attempt('e'), { now: min(4), actor: lee })
      .then([
        failed('e', min(4)),
        {
          type: 'ShareCodeAttemptsLocked',
          data: {
            agencyId: 'legal',
            userId: 'e',
            scope: 'agency',
            failures: 5,
            windowMinutes: 15,
            lockedAt: min(4).toISOString(),
            lockedUntil: min(15).toISOString(),
          },
        },
      ]);
    expect(locked.type).toBe('ShareCodeAttemptsLocked');
    const state = fold(attemptsDecider, [...history, failed('e', min(4))]);
    expect(lockOf(state, 'z', min(5), limits)?.scope).toBe('agency');
  });
});
