import { Inject, Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import {
  type AppendContext,
  ConcurrencyConflict,
  CurrentState,
  EventRecorded,
  EventStore,
  IdempotencyKeyReused,
  IdempotencyRace,
  fingerprintOf,
  type Idempotency,
  isDuplicate,
  type NewEvent,
  type StreamAppend,
} from '@harbour/event-store';
import { CLOCK, type Clock } from '@harbour/kernel';
import { type IntakeEvent, intakeStream } from '@harbour/intake';
import type { ReferralCommand } from './referral.commands.js';
import { type Referral, referralDecider, type ReferralState } from './referral.decider.js';
import { type ReferralEvent, referralStream } from './referral.events.js';

export interface ReferralResult {
  id: string;
  referralId: string;
  state: Referral['status'];
  version: number;
}

export interface ReferralExecution {
  referralId: string;
  command: ReferralCommand;
  context: AppendContext;
  idempotency?: Idempotency;
  /** If-Match: refuse without retrying if the referral moved on. */
  expectedVersion?: number | null;
}

/**
 * The referral facts the survivor's care team must know, appended to `intake-<survivorId>` in
 * the SAME transaction as the referral's events: a withdrawal can never be stored without the
 * care team losing the member, nor an acceptance without the member joining.
 */
export function careTeamFacts(events: readonly ReferralEvent[], after: Referral): IntakeEvent[] {
  const referralId = after.referralId;
  return events.flatMap((e): IntakeEvent[] => {
    switch (e.type) {
      case 'ReferralRequested':
        return [
          {
            type: 'ReferralLinked',
            data: {
              referralId,
              agencyId: e.data.toAgencyId,
              consentId: e.data.consentId,
              consentVersion: e.data.consentVersion,
            },
          },
        ];
      case 'ReferralAccepted':
        return [
          {
            type: 'ReferralMemberJoined',
            data: { referralId, userId: e.data.assignedCaseworkerId, agencyId: after.toAgencyId },
          },
        ];
      case 'ReferralDeclined':
        return [{ type: 'ReferralUnlinked', data: { referralId, reason: 'declined' } }];
      case 'ReferralExpired':
        return [{ type: 'ReferralUnlinked', data: { referralId, reason: 'expired' } }];
      case 'ReferralWithdrawn':
        return [{ type: 'ReferralUnlinked', data: { referralId, reason: 'withdrawn' } }];
      case 'ReferralClosed':
        return e.data.outcome === 'engaged'
          ? []
          : [{ type: 'ReferralUnlinked', data: { referralId, reason: 'closed' } }];
      default:
        return [];
    }
  });
}

/**
 * Load → decide → append the referral's events together with the care team's facts
 * (appendMany: one transaction, each stream at its expected version) → publish what was
 * stored. A conflict on either stream re-decides; it never overwrites. This is the
 * AggregateRepository's loop, made to write two streams at once.
 */
@Injectable()
export class ReferralRepository {
  constructor(
    private readonly store: EventStore,
    private readonly current: CurrentState,
    private readonly eventBus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  load(referralId: string): Promise<{ state: ReferralState; version: number }> {
    return this.current.load(referralStream(referralId), referralDecider);
  }

  /** The stored result of an idempotent command already applied (a different request under the same key is refused). */
  async priorResult(context: AppendContext, idempotency?: Idempotency): Promise<ReferralResult | null> {
    if (!idempotency) return null;
    const prior = await this.store.findIdempotencyRecord(
      idempotency.scope ?? `user:${context.actor.userId}`,
      idempotency.key,
    );
    if (!prior) return null;
    if (idempotency.fingerprint && prior.fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReused();
    return prior.result as ReferralResult;
  }

  async execute(run: ReferralExecution): Promise<ReferralResult> {
    const streamId = referralStream(run.referralId);
    const idempotency = run.idempotency && {
      scope: run.idempotency.scope ?? `user:${run.context.actor.userId}`,
      key: run.idempotency.key,
      fingerprint: run.idempotency.fingerprint ?? fingerprintOf(run.command),
    };
    const repeat = (prior: { fingerprint: string; result: unknown }) => {
      if (prior.fingerprint !== idempotency!.fingerprint) throw new IdempotencyKeyReused();
      return prior.result as ReferralResult;
    };
    if (idempotency) {
      const prior = await this.store.findIdempotencyRecord(idempotency.scope, idempotency.key);
      if (prior) return repeat(prior);
    }
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(run.referralId);
      if (run.expectedVersion != null && run.expectedVersion !== version)
        throw new ConcurrencyConflict(streamId, run.expectedVersion, version);
      let events: ReferralEvent[];
      try {
        events = referralDecider.decide(run.command, state, { now: this.clock.now(), actor: run.context.actor });
      } catch (error) {
        const prior = idempotency && (await this.store.findIdempotencyRecord(idempotency.scope, idempotency.key));
        if (prior) return repeat(prior);
        throw error;
      }
      const after = events.reduce(referralDecider.evolve, state) as Referral;
      const result: ReferralResult = {
        id: run.referralId,
        referralId: run.referralId,
        state: after.status,
        version: version + events.length,
      };
      const appends: StreamAppend[] = [
        { streamId, expected: version === -1 ? 'no-stream' : version, events: events.map(toNew) },
      ];
      const facts = careTeamFacts(events, after);
      if (facts.length) {
        const intake = intakeStream(after.survivorId);
        const intakeVersion = (await this.store.streamVersions([intake])).get(intake);
        appends.push({ streamId: intake, expected: intakeVersion ?? 'stream-exists', events: facts.map(toNew) });
      }
      try {
        const appended = await this.store.appendMany(
          appends,
          run.context,
          idempotency ? { idempotency: { ...idempotency, result } } : {},
        );
        if (isDuplicate(appended)) return repeat(appended);
        this.eventBus.publishAll(appended.flatMap((a) => a.events).map((e) => new EventRecorded(e)));
        return result;
      } catch (error) {
        const retriable =
          (error instanceof ConcurrencyConflict && run.expectedVersion == null) || error instanceof IdempotencyRace;
        if (!retriable || attempt >= 5) throw error;
      }
    }
  }
}

const toNew = (e: { type: string; data: unknown; schemaVersion?: number }): NewEvent => ({
  type: e.type,
  data: e.data,
  schemaVersion: e.schemaVersion ?? 1,
});
