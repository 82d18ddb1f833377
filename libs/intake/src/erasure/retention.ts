import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AggregateRepository } from '@harbour/event-store';
import {
  CLOCK,
  type Clock,
  ConfigError,
  HarbourConfig,
  type PeriodicJob,
  PeriodicJobs,
  systemActor,
} from '@harbour/kernel';
import { SECTIONS, type Section } from '@harbour/consent';
import { IntakeErrors } from '../errors.js';
import { intakeDecider, intakeStream } from '../record/intake.decider.js';

const DAY_MS = 86_400_000;

/** One section that has expired (or will on the next run): what the dry run lists and the job erases. */
export interface RetentionDue {
  survivorId: string;
  section: Section;
  inactiveSince: string;
  retentionDays: number;
  dueAt: string;
}

/** `HARBOUR_RETENTION` as section → days; an unknown section name stops start-up. */
export function parseRetention(value: string): Map<Section, number> {
  const periods = new Map<Section, number>();
  for (const pair of value.split(',').filter(Boolean)) {
    const [section, days] = pair.split('=');
    if (!(SECTIONS as readonly string[]).includes(section))
      throw new ConfigError(
        ['HARBOUR_RETENTION'],
        [`HARBOUR_RETENTION names an unknown section; sections: ${SECTIONS.join(', ')}`],
      );
    periods.set(section as Section, Number(days));
  }
  return periods;
}

/**
 * Retention: each configured section is erased `days` after its record last was active (see
 * ErasureProjection for "active"). The `retention` job runs where projections run; every
 * expiry is a SectionRetentionExpired + SectionErased pair on the intake stream, so nothing
 * is kept in memory and a restart loses nothing: the next run finds what fell due meanwhile.
 * The decider makes a second runner harmless (nothing left to erase).
 */
@Injectable()
export class RetentionService {
  readonly periods: Map<Section, number>;
  private readonly job: PeriodicJob<number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: AggregateRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HarbourConfig) config: HarbourConfig,
    jobs: PeriodicJobs,
  ) {
    this.periods = parseRetention(config.HARBOUR_RETENTION);
    this.job = jobs.define({
      name: 'retention',
      firstRunAfterMs: 2_000,
      everyMs: config.HARBOUR_RETENTION_SWEEP_SECONDS * 1000,
      run: () => this.expireDue(),
    });
  }

  /**
   * The dry run: every section that is due at `at` (default now), oldest first, optionally only
   * for survivors whose care team includes `agencyId`. Names no content.
   */
  async due(options: { at?: Date; agencyId?: string; limit?: number } = {}): Promise<RetentionDue[]> {
    const at = options.at ?? this.clock.now();
    const due: RetentionDue[] = [];
    for (const [section, days] of this.periods) {
      const rows: Array<{ survivor_id: string; last_active_at: Date }> = await this.db.query(
        `SELECT survivor_id, last_active_at FROM intake_retention
          WHERE NOT erased AND $1 = ANY (sections) AND last_active_at <= $2
            AND ($3::text IS NULL OR $3 = ANY (care_team_agency_ids))
          ORDER BY last_active_at LIMIT $4`,
        [section, new Date(at.getTime() - days * DAY_MS), options.agencyId ?? null, options.limit ?? 500],
      );
      for (const row of rows)
        due.push({
          survivorId: row.survivor_id,
          section,
          inactiveSince: row.last_active_at.toISOString(),
          retentionDays: days,
          dueAt: new Date(row.last_active_at.getTime() + days * DAY_MS).toISOString(),
        });
    }
    return due.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  /** Run the job now (tests, the CLI); never beside a scheduled run. Returns how many sections were erased. */
  runNow(): Promise<number> {
    return this.job.runNow();
  }

  /** Stop the schedule (tests that move the clock). */
  stop(): Promise<void> {
    return this.job.stop();
  }

  private async expireDue(): Promise<number> {
    const bySurvivor = new Map<string, RetentionDue[]>();
    for (const d of await this.due()) bySurvivor.set(d.survivorId, [...(bySurvivor.get(d.survivorId) ?? []), d]);
    let erased = 0;
    for (const [survivorId, expiries] of bySurvivor) {
      try {
        erased += await this.repository.execute({
          streamId: intakeStream(survivorId),
          decider: intakeDecider,
          command: {
            type: 'ExpireSections',
            expiries: expiries.map(({ section, inactiveSince, retentionDays }) => ({
              section,
              inactiveSince,
              retentionDays,
            })),
          },
          context: { actor: systemActor('retention') },
          result: ({ events }) => events.filter((e) => e.type === 'SectionErased').length,
        });
      } catch (error) {
        // Erased meanwhile (by a request, or another runner): nothing left to do here.
        const code = (error as { code?: string }).code;
        if (code !== IntakeErrors.nothingToErase.code && code !== IntakeErrors.recordErased.code) throw error;
      }
    }
    return erased;
  }
}
