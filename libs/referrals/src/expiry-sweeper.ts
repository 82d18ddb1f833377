import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock, HarbourConfig, safeErrorSummary, systemActor } from '@harbour/kernel';
import { ReferralRepository } from './referral.repository.js';
import { ReferralErrors } from './errors.js';

/** How often the sweep looks for referrals past their acknowledgement deadline. */
export const EXPIRY_SWEEP_MS = 30_000;

/**
 * Expires referrals nobody acknowledged within the receiving service's response window. The
 * deadline (`respondBy`) is in the event and the read model, not in a timer, so a restart
 * loses nothing: the first sweep after start-up expires whatever fell due meanwhile. Runs where
 * projections run; the decider makes a second sweeper harmless (already expired or acknowledged).
 */
@Injectable()
export class ReferralExpirySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Referrals');
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;

  constructor(
    private readonly referrals: ReferralRepository,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HarbourConfig) private readonly config: HarbourConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.HARBOUR_PROJECTIONS) return;
    const run = () => {
      if (this.sweeping) return;
      this.sweeping = this.sweep()
        .catch((e) => this.logger.error({ msg: 'referral expiry sweep failed', error: safeErrorSummary(e) }))
        .finally(() => (this.sweeping = null));
    };
    this.timer = setInterval(run, EXPIRY_SWEEP_MS);
    this.timer.unref();
    // Soon after start-up too: whatever fell due while no process was running.
    this.first = setTimeout(run, 1_000);
    this.first.unref();
  }

  /** Stop the background sweeps; resolves once a sweep in flight has finished. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    this.timer = this.first = null;
    await this.sweeping;
  }

  // Before the database pool closes (TypeORM closes it in onApplicationShutdown): no query after it.
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Expire every referral past its deadline; returns how many were expired. */
  async sweep(): Promise<number> {
    const due: Array<{ referral_id: string }> = await this.db.query(
      "SELECT referral_id FROM referral_list WHERE state = 'requested' AND respond_by <= $1 ORDER BY respond_by LIMIT 500",
      [this.clock.now()],
    );
    let expired = 0;
    for (const { referral_id: referralId } of due) {
      try {
        await this.referrals.execute({ referralId, command: { type: 'ExpireReferral' }, context: { actor: systemActor('referral-expiry') } });
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
