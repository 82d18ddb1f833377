import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AggregateRepository } from '@harbour/event-store';
import { CLOCK, type Clock, type PeriodicJob, PeriodicJobs } from '@harbour/kernel';
import { agencyStream } from '../streams.js';
import { agencyDecider } from './agency.decider.js';
import { AgencyErrors } from './agency.errors.js';

/**
 * Records the outcome of removal motions whose voting period ended without a decision, so an
 * outcome never waits for someone to ask: the `motion-closer` job, every minute where
 * projections run. The decider makes a second closer harmless (the motion is already decided).
 */
@Injectable()
export class MotionCloser {
  private readonly job: PeriodicJob<number>;

  constructor(
    private readonly repository: AggregateRepository,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    jobs: PeriodicJobs,
  ) {
    this.job = jobs.define({
      name: 'motion-closer',
      firstRunAfterMs: 60_000,
      everyMs: 60_000,
      run: () => this.closeDue(),
    });
  }

  /** Close every motion past its deadline now (never beside a scheduled sweep); returns how many were closed. */
  sweep(): Promise<number> {
    return this.job.runNow();
  }

  private async closeDue(): Promise<number> {
    const due: Array<{ motion_id: string; agency_id: string }> = await this.db.query(
      "SELECT motion_id, agency_id FROM network_motions WHERE outcome = 'open' AND voting_closes_at <= $1",
      [this.clock.now()],
    );
    for (const { motion_id: motionId, agency_id: agencyId } of due) {
      await this.repository
        .execute({
          streamId: agencyStream(agencyId),
          decider: agencyDecider,
          command: { type: 'CloseRemovalMotion', motionId },
          context: { actor: { userId: 'system:motion-closer', agencyId: null, role: 'network-admin' } },
        })
        .catch((error) => {
          // Already decided by a last-minute vote or another closer: nothing to record.
          if ((error as { code?: string }).code !== AgencyErrors.motionAlreadyDecided.code) throw error;
        });
    }
    return due.length;
  }
}
