import { Inject, Injectable } from '@nestjs/common';
import {
  type AppendContext,
  AggregateRepository,
  EventStore,
  type Idempotency,
  type NewEvent,
} from '@harbour/event-store';
import { CLOCK, type Clock } from '@harbour/kernel';
import { consentDecider, consentStream } from '@harbour/consent';
import { intakeStream } from '@harbour/intake';
import type { Sector } from '@harbour/vocabulary';
import { type AttemptLimits, type AttemptReason, attemptsDecider, attemptsStream } from './attempts.decider.js';
import { type ShareCodeCommand, shareCodeDecider, type ShareCodeState } from './share-code.decider.js';
import { shareCodeStream } from './share-code.events.js';

export interface ShareCodeResult {
  id: string;
  codeId: string;
  survivorId: string;
  status: Exclude<ShareCodeState['status'], 'none'>;
  expiresAt: string;
  version: number;
}

const toNew = (e: { type: string; data: unknown }): NewEvent => ({ type: e.type, data: e.data, schemaVersion: 1 });

/**
 * The share code's writes. A redemption stores, in ONE transaction: the code's ShareCodeRedeemed,
 * the consent it gives (ConsentRecorded, method `share-code`, decided by the consent decider
 * itself, so exclusions win here too) and the worker joining the survivor's team
 * (ShareCodeMemberJoined): a code is never used without its consent, nor a consent without its code.
 */
@Injectable()
export class ShareCodeRepository {
  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  load(codeId: string) {
    return this.aggregates.load(shareCodeStream(codeId), shareCodeDecider);
  }

  execute(run: {
    codeId: string;
    command: ShareCodeCommand;
    context: AppendContext;
    idempotency?: Idempotency;
    /** If-Match: refuse without retrying if the code moved on. */
    expectedVersion?: number | null;
    /** For a redemption: the redeeming agency's sector (the consent decider checks exclusions with it). */
    sector?: Sector;
  }): Promise<ShareCodeResult> {
    return this.aggregates.execute({
      streamId: shareCodeStream(run.codeId),
      decider: shareCodeDecider,
      command: run.command,
      context: run.context,
      idempotency: run.idempotency,
      expectedVersion: run.expectedVersion,
      result: ({ state, version }) => {
        const s = state as Exclude<ShareCodeState, { status: 'none' }>;
        return {
          id: run.codeId,
          codeId: run.codeId,
          survivorId: s.survivorId,
          status: s.status,
          expiresAt: s.expiresAt,
          version,
        };
      },
      alongside: async ({ state, events }) => {
        const redeemed = events.find((e) => e.type === 'ShareCodeRedeemed');
        if (!redeemed || state.status !== 'redeemed') return [];
        const d = redeemed.data;
        const consents = consentStream(d.survivorId);
        const intake = intakeStream(d.survivorId);
        const [{ state: consentState, version: consentVersion }, versions] = await Promise.all([
          this.aggregates.load(consents, consentDecider),
          this.store.streamVersions([intake]),
        ]);
        const consentEvents = consentDecider.decide(
          {
            type: 'RecordShareCodeConsent',
            consentId: d.consentId,
            codeId: d.codeId,
            agencyId: d.agencyId,
            sector: run.sector!,
            sections: d.sections,
            purposes: d.purposes,
            language: state.language,
          },
          consentState,
          { now: this.clock.now(), actor: run.context.actor },
        );
        return [
          {
            streamId: consents,
            expected: consentVersion === -1 ? 'no-stream' : consentVersion,
            events: consentEvents.map(toNew),
          },
          {
            streamId: intake,
            expected: versions.get(intake) ?? 'stream-exists',
            events: [
              toNew({
                type: 'ShareCodeMemberJoined',
                data: { codeId: d.codeId, userId: d.userId, agencyId: d.agencyId, consentId: d.consentId },
              }),
            ],
          },
        ];
      },
    });
  }

  /** One failed attempt on the agency's attempts stream (its own transaction: the redemption did not happen). */
  recordFailure(
    agencyId: string,
    reason: AttemptReason,
    limits: AttemptLimits,
    context: AppendContext,
  ): Promise<unknown> {
    return this.aggregates.execute({
      streamId: attemptsStream(agencyId),
      decider: attemptsDecider,
      command: { type: 'RecordFailedAttempt', agencyId, userId: context.actor.userId, reason, limits },
      context,
      maxAttempts: 20,
    });
  }

  attempts(agencyId: string) {
    return this.aggregates.load(attemptsStream(agencyId), attemptsDecider);
  }
}
