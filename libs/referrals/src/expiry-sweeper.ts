import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock, type PeriodicJob, PeriodicJobs, systemActor } from '@harbour/kernel';
import { ReferralRepository } from './referral.repository.js';
import { ReferralErrors } from './errors.js';

/** How often the sweep looks for referrals past their acknowledgement deadline. */
export const EXPIRY_SWEEP_MS = 30_000;

/**
 * Expires referrals nobody acknowledged within the receiving service's response window. The
 * deadline (`respondBy`) is in the event and the read model, not in a timer, so a restart
 * loses nothing: the first sweep, a second after start-up, expires whatever fell due meanwhile.
 * The `referral-expiry` job, where projections run; the decider makes a second sweeper harmless
 * (already expired or acknowledged).
 */
@Injectable()
export class ReferralExpirySweeper {
  private readonly job: PeriodicJob<number>;

  constructor(
    private readonly referrals: ReferralRepository,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    jobs: PeriodicJobs,
  ) {
    this.job = jobs.define({
      name: 'referral-expiry',
      firstRunAfterMs: 1_000,
      everyMs: EXPIRY_SWEEP_MS,
      run: () => this.expireDue(),
    });
  }

  /** Stop the background sweeps (tests that move the clock); resolves once a sweep in flight has finished. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Expire every referral past its deadline now (never beside a scheduled sweep); returns how many were expired. */
  sweep(): Promise<number> {
    return this.job.runNow();
  }

  private async expireDue(): Promise<number> {
    const due: Array<{ referral_id: string }> = await this.db.query(
      "SELECT referral_id FROM referral_list WHERE state = 'requested' AND respond_by <= $1 ORDER BY respond_by LIMIT 500",
      [this.clock.now()],
    );
    let expired = 0;
    for (const { referral_id: referralId } of due) {
      try {
        await this.referrals.execute({
          referralId,
          command: { type: 'ExpireReferral' },
          context: { actor: systemActor('referral-expiry') },
        });
        expired++;
      } catch (error) {
        // Acknowledged (or withdrawn) at the last minute, or expired by another sweeper: nothing to do.
        const code = (error as { code?: string }).code;
        if (code !== ReferralErrors.illegalTransition.code && code !== ReferralErrors.notYetDue.code) throw error;
      }
    }
    return expired;
  }
}
