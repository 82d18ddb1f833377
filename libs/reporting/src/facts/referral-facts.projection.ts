import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import {
  languageGroup,
  monthOf,
  REPORTS_SETTINGS,
  reportingRegion,
  type ReportsSettings,
} from '../reports.settings.js';
import {
  DECLINE_REASONS,
  REFERRAL_EVENT_TYPES,
  type ReferralDeclinedData,
  type ReferralRequestedData,
} from './referral-events.js';
import { needBits, refOf, subjectKeyOf } from './subjects.js';
import { SECTORS, URGENCIES } from '@harbour/vocabulary';

const DAY_MS = 86_400_000;
const known = <T extends string>(vocabulary: readonly T[], value: unknown, fallback: string) =>
  (vocabulary as readonly unknown[]).includes(value) ? (value as string) : fallback;

/**
 * `reports_referral_facts`: one de-identified row per referral — month requested, reporting
 * region, receiving sector, urgency, language group, need categories, outcome flags, and days
 * from request to acceptance and to completed handoff. Nothing else from the events is kept:
 * no ids, no note, no agency, no people.
 */
@Injectable()
export class ReferralFactsProjection implements Projection, OnModuleInit {
  readonly name = 'reports-referrals';
  readonly eventTypes = REFERRAL_EVENT_TYPES;

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(REPORTS_SETTINGS) private readonly settings: ReportsSettings,
  ) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(event: StoredEvent, m: EntityManager): Promise<void> {
    const data = event.data as { referralId?: unknown };
    if (typeof data.referralId !== 'string') return;
    const ref = refOf('referral', data.referralId);
    if (event.type === 'ReferralRequested') {
      const d = event.data as ReferralRequestedData;
      const subject = await subjectKeyOf(m, d.survivorId);
      const inserted: unknown[] = await m.query(
        `INSERT INTO reports_referral_state (referral_ref, fact_key, requested_at) VALUES ($1, gen_random_uuid(), $2)
         ON CONFLICT (referral_ref) DO NOTHING RETURNING fact_key`,
        [ref, event.recordedAt],
      );
      if (inserted.length === 0) return;
      const [{ fact_key }] = inserted as Array<{ fact_key: string }>;
      const needs = Array.isArray(d.needs) ? d.needs : [];
      await m.query(
        `INSERT INTO reports_referral_facts (fact_key, subject_key, month, region, sector, urgency, language, need_bits)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          fact_key,
          subject,
          `${monthOf(event.recordedAt)}-01`,
          reportingRegion(this.settings, d.notice?.region),
          known(SECTORS, d.toSector, 'other'),
          known(URGENCIES, d.urgency, 'unknown'),
          languageGroup(this.settings, d.notice?.language),
          needBits(needs),
        ],
      );
      return;
    }
    const state: Array<{ fact_key: string; requested_at: Date }> = await m.query(
      'SELECT fact_key, requested_at FROM reports_referral_state WHERE referral_ref = $1',
      [ref],
    );
    if (state.length === 0) return; // a referral requested before these facts existed cannot be placed: skip it
    const { fact_key: key, requested_at: requestedAt } = state[0];
    const days = Math.max(0, (event.recordedAt.getTime() - new Date(requestedAt).getTime()) / DAY_MS);
    switch (event.type) {
      case 'ReferralAcknowledged':
        return this.set(m, key, 'acknowledged = true');
      case 'ReferralAccepted':
        return this.set(m, key, 'accepted = true, days_to_accept = $2', [days]);
      case 'ReferralDeclined':
        return this.set(m, key, 'declined_reason = $2', [
          known(DECLINE_REASONS, (event.data as ReferralDeclinedData).reason, 'other'),
        ]);
      case 'ReferralExpired':
        return this.set(m, key, 'expired = true');
      case 'ReferralWithdrawn':
        return this.set(m, key, 'withdrawn = true');
      case 'HandoffCompleted':
        return this.set(m, key, 'handoff_completed = true, days_to_handoff = $2', [days]);
    }
  }

  private async set(m: EntityManager, key: string, assignments: string, values: unknown[] = []): Promise<void> {
    await m.query(`UPDATE reports_referral_facts SET ${assignments} WHERE fact_key = $1`, [key, ...values]);
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM reports_referral_facts');
    await m.query('DELETE FROM reports_referral_state');
  }
}
