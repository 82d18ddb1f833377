import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, type PeriodicJob, PeriodicJobs, systemActor } from '@harbour/kernel';
import { OfferErrors } from './errors.js';
import { OfferQueries } from './offer.queries.js';
import { OfferRepository } from './offer.repository.js';

/** How often the sweep looks for requests past their answer deadline. */
export const OFFER_EXPIRY_SWEEP_MS = 60_000;

/**
 * Expires requests the partner did not answer by `respondBy` (the offer's response days, never
 * after its validity window): their units go back to the offer. The deadline is in the events and
 * the read model, so a restart loses nothing; the decider makes a second sweeper harmless.
 */
@Injectable()
export class OfferExpirySweeper {
  private readonly job: PeriodicJob<number>;

  constructor(
    private readonly offers: OfferRepository,
    private readonly queries: OfferQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    jobs: PeriodicJobs,
  ) {
    this.job = jobs.define({
      name: 'offer-request-expiry',
      firstRunAfterMs: 1_000,
      everyMs: OFFER_EXPIRY_SWEEP_MS,
      run: () => this.expireDue(),
    });
  }

  /** Stop the background sweeps (tests that move the clock). */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Expire every request past its deadline now; returns how many were expired. */
  sweep(): Promise<number> {
    return this.job.runNow();
  }

  private async expireDue(): Promise<number> {
    let expired = 0;
    for (const { offer_id: offerId, request_id: requestId } of await this.queries.due(this.clock.now(), 500)) {
      try {
        await this.offers.executeOnRequest({
          offerId,
          requestId,
          command: { type: 'ExpireOfferRequest', requestId },
          context: { actor: systemActor('offer-request-expiry') },
        });
        expired++;
      } catch (error) {
        // Answered at the last minute, or expired by another sweeper: nothing to do.
        const code = (error as { code?: string }).code;
        if (code !== OfferErrors.illegalTransition.code && code !== OfferErrors.notYetDue.code) throw error;
      }
    }
    return expired;
  }
}
