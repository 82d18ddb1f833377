import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { HarbourConfig } from '@harbour/kernel';
import { SURVIVOR_DATA_ACCESSED, type SurvivorDataAccessedV1 } from '../access/access.events.js';
import type { BreakGlassEvent } from '../break-glass/break-glass.decider.js';
import { type FlagRule, flagId, type FlagSettings, flagSettings, localTime, outsideHours } from './flag-rules.js';
import {
  FLAG_RESOLVED,
  type FlagResolvedV1,
  SHARE_CODE_ATTEMPTS_LOCKED,
  type ShareCodeAttemptsLockedV1,
} from './flag.events.js';

/**
 * `audit_flags`: raised from the access events themselves, so every replica and every rebuild
 * raises the same flags (for the configuration in force when it runs).
 * - outside-care-team: a staff member read more distinct survivors than the daily threshold on
 *   a basis other than their care team (consent or break-glass);
 * - repeated-denials: this many refused reads by one staff member in a day;
 * - break-glass: every emergency access, when it is opened;
 * - outside-hours: a read that returned data outside working hours (one flag per person and day);
 * - share-code-burst: failed share-code redemptions reached a limit (libs/sharing locks the
 *   worker or the agency out): one flag per worker, scope and day.
 */
type Raise = (
  event: StoredEvent,
  rule: FlagRule,
  userId: string,
  agencyId: string | null,
  survivorId: string | null,
  day: string,
  key: string,
  details: Record<string, unknown>,
) => void;

@Injectable()
export class FlagsProjection implements Projection, OnModuleInit {
  readonly name = 'audit-flags';
  /** Every audited read lands here: gather them into fewer, larger batches. */
  readonly lingerMs = 100;
  /** …in batches small enough not to hold up the reads being served (see AccessTrailProjection). */
  readonly batchSize = 100;
  readonly eventTypes = [SURVIVOR_DATA_ACCESSED, 'BreakGlassOpened', SHARE_CODE_ATTEMPTS_LOCKED, FLAG_RESOLVED];
  private readonly settings: FlagSettings;

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(HarbourConfig) config: HarbourConfig,
  ) {
    this.settings = flagSettings(config);
  }

  onModuleInit(): void {
    this.runner.register(this);
  }

  apply(event: StoredEvent, m: EntityManager): Promise<void> {
    return this.applyBatch([event], m);
  }

  /**
   * Most reads raise nothing new (a person's outside-hours flag is raised once a day), so the
   * flags a batch raises are gathered, the first per flag id kept, and written in one INSERT.
   */
  async applyBatch(events: StoredEvent[], m: EntityManager): Promise<void> {
    const raised = new Map<string, unknown[]>(); // by rule, person and key: the facts of a flag id
    const raise: Raise = (event, rule, userId, agencyId, survivorId, day, key, details) => {
      const facts = `${rule}\n${userId}\n${key}`;
      if (!raised.has(facts))
        raised.set(facts, [
          flagId(rule, userId, key),
          rule,
          userId,
          agencyId,
          survivorId,
          day,
          JSON.stringify(details),
          event.recordedAt,
          event.globalPosition.toString(),
        ]);
    };
    for (const event of events) {
      if (event.type === SURVIVOR_DATA_ACCESSED)
        await this.onRead(event as StoredEvent<SurvivorDataAccessedV1>, m, raise);
      else if (event.type === 'BreakGlassOpened') {
        const d = (event as unknown as Extract<BreakGlassEvent, { type: 'BreakGlassOpened' }>).data;
        const { day } = localTime(new Date(d.openedAt), this.settings.timeZone);
        raise(event, 'break-glass', d.userId, d.agencyId, d.survivorId, day, d.grantId, {
          grantId: d.grantId,
          expiresAt: d.expiresAt,
        });
      } else if (event.type === SHARE_CODE_ATTEMPTS_LOCKED) {
        const d = (event as StoredEvent<ShareCodeAttemptsLockedV1>).data;
        const { day } = localTime(new Date(d.lockedAt), this.settings.timeZone);
        raise(event, 'share-code-burst', d.userId, d.agencyId, null, day, `${d.scope}|${day}`, {
          scope: d.scope,
          failures: d.failures,
          windowMinutes: d.windowMinutes,
          lockedUntil: d.lockedUntil,
        });
      } else if (event.type === FLAG_RESOLVED) {
        await this.insert(m, raised); // a flag may be raised and resolved within one batch
        const d = (event as StoredEvent<FlagResolvedV1>).data;
        await m.query(
          "UPDATE audit_flags SET status = 'resolved', resolution = $2, note = $3, resolved_by = $4, resolved_at = $5 WHERE flag_id = $1",
          [d.flagId, d.resolution, d.note, d.resolvedBy.userId, d.resolvedAt],
        );
      }
    }
    await this.insert(m, raised);
  }

  private async onRead(event: StoredEvent<SurvivorDataAccessedV1>, m: EntityManager, raise: Raise): Promise<void> {
    const d = event.data;
    const { userId, agencyId } = d.actor;
    const { day, minute } = localTime(new Date(d.at), this.settings.timeZone);
    if (d.outcome === 'denied') {
      const rows: Array<{ denials: number }> = await m.query(
        `INSERT INTO audit_daily_denials (user_id, day, denials) VALUES ($1, $2, 1)
         ON CONFLICT (user_id, day) DO UPDATE SET denials = audit_daily_denials.denials + 1 RETURNING denials`,
        [userId, day],
      );
      if (rows[0].denials >= this.settings.denialsDaily) {
        raise(event, 'repeated-denials', userId, agencyId, null, day, day, { threshold: this.settings.denialsDaily });
      }
      return;
    }
    if (!d.basis.some((b) => b.kind === 'care-team')) {
      const added: unknown[] = await m.query(
        'INSERT INTO audit_daily_outside (user_id, day, survivor_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
        [userId, day, d.survivorId],
      );
      if (added.length > 0) {
        const [{ n }]: Array<{ n: number }> = await m.query(
          'SELECT count(*)::int AS n FROM audit_daily_outside WHERE user_id = $1 AND day = $2',
          [userId, day],
        );
        if (n > this.settings.outsideCareTeamDaily) {
          raise(event, 'outside-care-team', userId, agencyId, null, day, day, {
            threshold: this.settings.outsideCareTeamDaily,
          });
        }
      }
    }
    if (outsideHours(minute, this.settings.hours)) {
      raise(event, 'outside-hours', userId, agencyId, null, day, day, { firstReadAt: d.at });
    }
  }

  /** Writes the gathered flags; one already in the table keeps its first raising (DO NOTHING). */
  private async insert(m: EntityManager, raised: Map<string, unknown[]>): Promise<void> {
    if (raised.size === 0) return;
    const rows = [...raised.values()];
    raised.clear();
    const column = (i: number) => rows.map((r) => r[i]);
    await m.query(
      `INSERT INTO audit_flags (flag_id, rule, user_id, agency_id, survivor_id, day, details, raised_at, position)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::jsonb[], $8::timestamptz[], $9::bigint[])
       ON CONFLICT (flag_id) DO NOTHING`,
      [0, 1, 2, 3, 4, 5, 6, 7, 8].map(column),
    );
  }

  async reset(m: EntityManager): Promise<void> {
    for (const table of ['audit_flags', 'audit_daily_outside', 'audit_daily_denials'])
      await m.query(`DELETE FROM ${table}`);
  }
}
