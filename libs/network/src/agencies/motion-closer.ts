import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AggregateRepository } from '@harbour/event-store';
import { CLOCK, type Clock, HarbourConfig, safeErrorSummary } from '@harbour/kernel';
import { agencyStream } from '../streams.js';
import { agencyDecider } from './agency.decider.js';
import { AgencyErrors } from './agency.errors.js';

/**
 * Records the outcome of removal motions whose voting period ended without a decision, so an
 * outcome never waits for someone to ask. Runs where projections run; the decider makes a
 * second closer harmless (the motion is already decided).
 */
@Injectable()
export class MotionCloser implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Motions');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repository: AggregateRepository,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HarbourConfig) private readonly config: HarbourConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.HARBOUR_PROJECTIONS) return;
    this.timer = setInterval(() => void this.sweep().catch((e) => this.logger.error({ msg: 'motion sweep failed', error: safeErrorSummary(e) })), 60_000);
    this.timer.unref();
  }

  // Before the database pool closes (TypeORM closes it in onApplicationShutdown).
  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Close every motion past its deadline; returns how many were closed. */
  async sweep(): Promise<number> {
    const due: Array<{ motion_id: string; agency_id: string }> = await this.db.query(
      "SELECT motion_id, agency_id FROM network_motions WHERE outcome = 'open' AND voting_closes_at <= $1",
      [this.clock.now()],
    );
    for (const { motion_id: motionId, agency_id: agencyId } of due) {
      await this.repository.execute({
        streamId: agencyStream(agencyId),
        decider: agencyDecider,
        command: { type: 'CloseRemovalMotion', motionId },
        context: { actor: { userId: 'system:motion-closer', agencyId: null, role: 'network-admin' } },
      }).catch((error) => {
        // Already decided by a last-minute vote or another closer: nothing to record.
        if ((error as { code?: string }).code !== AgencyErrors.motionAlreadyDecided.code) throw error;
      });
    }
    return due.length;
  }
}
