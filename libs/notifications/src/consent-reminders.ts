import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AggregateRepository, CurrentState } from '@harbour/event-store';
import { CLOCK, type Clock, HarbourConfig, type PeriodicJob, PeriodicJobs, systemActor } from '@harbour/kernel';
import { consentDecider, consentStream } from '@harbour/consent';
import { intakeDecider, intakeStream } from '@harbour/intake';
import { type ConsentWatchCommand, consentWatchDecider } from './consent-watch.decider.js';
import { consentWatchStream } from './notification.events.js';

interface WindowRow {
  consent_id: string;
  survivor_id: string;
}

const DAY_MS = 86_400_000;

/**
 * The `consent-reminders` job: consents whose window ends within HARBOUR_CONSENT_REMINDER_LEAD_DAYS
 * get one review reminder to the care team; consents that expired or were revoked get one
 * access-ended notice to every agency that read through them. Deadlines live in the log and the
 * read model, not in timers, and the consent-watch decider records each at most once: a restart,
 * or a second process, never reminds twice.
 */
@Injectable()
export class ConsentReminders {
  private readonly job: PeriodicJob<number>;
  readonly leadDays: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly aggregates: AggregateRepository,
    private readonly current: CurrentState,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HarbourConfig) config: HarbourConfig,
    jobs: PeriodicJobs,
  ) {
    this.leadDays = config.HARBOUR_CONSENT_REMINDER_LEAD_DAYS;
    this.job = jobs.define({
      name: 'consent-reminders',
      firstRunAfterMs: 1_000,
      everyMs: config.HARBOUR_CONSENT_REMINDERS_EVERY_SECONDS * 1000,
      run: () => this.run(),
    });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Look now (never beside a scheduled run); returns how many reminders and notices were recorded. */
  sweep(): Promise<number> {
    return this.job.runNow();
  }

  private async run(): Promise<number> {
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + this.leadDays * DAY_MS);
    const ending = await this.db.query<WindowRow[]>(
      `SELECT consent_id, survivor_id FROM notification_consent_windows
        WHERE status = 'in-force' AND NOT ended AND valid_until > $1 AND valid_until <= $2
          AND reminded_for IS DISTINCT FROM valid_until ORDER BY valid_until LIMIT 500`,
      [now, horizon],
    );
    const ended = await this.db.query<WindowRow[]>(
      `SELECT consent_id, survivor_id FROM notification_consent_windows
        WHERE NOT ended AND (status = 'revoked' OR valid_until <= $1) ORDER BY valid_until LIMIT 500`,
      [now],
    );
    let recorded = 0;
    for (const row of ending) recorded += await this.remind(row, now);
    for (const row of ended) recorded += await this.end(row, now);
    return recorded;
  }

  private async remind(row: WindowRow, now: Date): Promise<number> {
    const { state: consents } = await this.current.load(consentStream(row.survivor_id), consentDecider);
    const consent = consents.consents.find((c) => c.consentId === row.consent_id);
    if (!consent || consent.status !== 'in-force' || Date.parse(consent.validUntil) <= now.getTime()) return 0;
    const { state: intake } = await this.current.load(intakeStream(row.survivor_id), intakeDecider);
    if (intake.status !== 'open' || intake.erased) return 0;
    return this.record(row.survivor_id, {
      type: 'RecordReviewReminder',
      survivorId: row.survivor_id,
      consentId: consent.consentId,
      version: consent.version,
      validUntil: new Date(consent.validUntil).toISOString(),
      leadDays: this.leadDays,
      agencyIds: intake.careTeamAgencyIds,
    });
  }

  private async end(row: WindowRow, now: Date): Promise<number> {
    const { state: consents } = await this.current.load(consentStream(row.survivor_id), consentDecider);
    const consent = consents.consents.find((c) => c.consentId === row.consent_id);
    if (!consent) return 0;
    const revoked = consent.status === 'revoked';
    if (!revoked && Date.parse(consent.validUntil) > now.getTime()) return 0; // amended meanwhile
    const { state: intake } = await this.current.load(intakeStream(row.survivor_id), intakeDecider);
    const agencyIds =
      consent.recipient.kind === 'agency'
        ? [consent.recipient.agencyId]
        : (
            await this.db.query<Array<{ agency_id: string }>>(
              "SELECT agency_id::text FROM network_agencies WHERE sector = $1 AND status = 'active' AND tier = 'core'",
              [consent.recipient.sector],
            )
          ).map((r) => r.agency_id);
    if (intake.status === 'open')
      for (const r of intake.referrals)
        if (r.consentId === consent.consentId && r.status !== 'ended') agencyIds.push(r.agencyId);
    return this.record(row.survivor_id, {
      type: 'RecordAccessEnded',
      survivorId: row.survivor_id,
      consentId: consent.consentId,
      version: consent.version,
      reason: revoked ? 'revoked' : 'expired',
      endedAt: new Date(revoked ? (consent.revokedAt ?? now.toISOString()) : consent.validUntil).toISOString(),
      agencyIds,
    });
  }

  private async record(survivorId: string, command: ConsentWatchCommand): Promise<number> {
    return this.aggregates.execute({
      streamId: consentWatchStream(survivorId),
      decider: consentWatchDecider,
      command,
      context: { actor: systemActor('consent-reminders') },
      result: ({ events }) => events.length,
    });
  }
}
