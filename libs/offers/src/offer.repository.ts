import { Injectable } from '@nestjs/common';
import { type AppendContext, AggregateRepository, type Idempotency } from '@harbour/event-store';
import { CLOCK, type Clock } from '@harbour/kernel';
import { Inject } from '@nestjs/common';
import { type OfferCommand, offerDecider, type OfferState, remainingOf } from './offer.decider.js';
import { offerStream } from './offer.events.js';

export interface OfferResult {
  offerId: string;
  status: 'published' | 'withdrawn';
  /** Units left to request now (this month, for a monthly capacity). */
  remaining: number;
  version: number;
}

export interface OfferRequestResult {
  offerId: string;
  requestId: string;
  status: string;
  version: number;
}

/**
 * The offer stream's writes. Every request is decided here, at the stream's expected version:
 * two requests racing for the last unit cannot both be appended; the loser re-decides against
 * the winner's request and is refused (`offer-exhausted`). Enough attempts for a busy offer.
 */
interface OfferRun {
  offerId: string;
  command: OfferCommand;
  context: AppendContext;
  idempotency?: Idempotency;
  expectedVersion?: number | null;
}

@Injectable()
export class OfferRepository {
  constructor(
    private readonly aggregates: AggregateRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  load(offerId: string) {
    return this.aggregates.load(offerStream(offerId), offerDecider);
  }

  execute(run: OfferRun): Promise<OfferResult> {
    return this.decide(run, (s, version) => ({
      offerId: run.offerId,
      status: s.status,
      remaining: remainingOf(s, this.clock.now()),
      version,
    }));
  }

  executeOnRequest(run: OfferRun & { requestId: string }): Promise<OfferRequestResult> {
    return this.decide(run, (s, version) => ({
      offerId: run.offerId,
      requestId: run.requestId,
      status: s.requests.find((x) => x.requestId === run.requestId)?.status ?? 'unknown',
      version,
    }));
  }

  /** Decide on the offer's stream (the one place its units are counted), many attempts under contention. */
  private decide<R>(run: OfferRun, result: (state: Exclude<OfferState, { status: 'none' }>, version: number) => R) {
    return this.aggregates.execute({
      streamId: offerStream(run.offerId),
      decider: offerDecider,
      command: run.command,
      context: run.context,
      idempotency: run.idempotency,
      expectedVersion: run.expectedVersion,
      maxAttempts: 50,
      result: ({ state, version }) => result(state as Exclude<OfferState, { status: 'none' }>, version),
    });
  }
}
