import { Injectable } from '@nestjs/common';
import {
  type AppendContext,
  AggregateRepository,
  EventStore,
  IdempotencyKeyReused,
  type Idempotency,
  type NewEvent,
} from '@harbour/event-store';
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
 * The referral's writes: the AggregateRepository's loop, with the care team's facts appended
 * to `intake-<survivorId>` alongside (one transaction, each stream at its expected version).
 */
@Injectable()
export class ReferralRepository {
  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly store: EventStore,
  ) {}

  load(referralId: string): Promise<{ state: ReferralState; version: number }> {
    return this.aggregates.load(referralStream(referralId), referralDecider);
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

  execute(run: ReferralExecution): Promise<ReferralResult> {
    return this.aggregates.execute({
      streamId: referralStream(run.referralId),
      decider: referralDecider,
      command: run.command,
      context: run.context,
      idempotency: run.idempotency,
      expectedVersion: run.expectedVersion,
      result: ({ state, version }) => ({
        id: run.referralId,
        referralId: run.referralId,
        state: (state as Referral).status,
        version,
      }),
      alongside: async ({ state, events }) => {
        const facts = careTeamFacts(events, state as Referral);
        if (!facts.length) return [];
        const intake = intakeStream((state as Referral).survivorId);
        const intakeVersion = (await this.store.streamVersions([intake])).get(intake);
        return [{ streamId: intake, expected: intakeVersion ?? 'stream-exists', events: facts.map(toNew) }];
      },
    });
  }
}

const toNew = (e: IntakeEvent & { schemaVersion?: number }): NewEvent => ({
  type: e.type,
  data: e.data,
  schemaVersion: e.schemaVersion ?? 1,
});
