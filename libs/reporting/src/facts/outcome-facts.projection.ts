import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { GOAL_CATEGORIES } from '@harbour/intake';
import { type Cipher, DataErased, KeyRing } from '@harbour/privacy';
import { NEED_CATEGORIES } from '@harbour/vocabulary';
import { monthOf, REPORTS_SETTINGS, reportingRegion, type ReportsSettings } from '../reports.settings.js';
import { idOfStream, refOf, subjectKeyOf } from './subjects.js';

const DAY = 86_400_000;
const OUTCOME_TABLES = ['reports_goal_facts', 'reports_check_in_facts', 'reports_need_resolved_facts'] as const;

interface OutcomeState {
  region: string;
  /** goal digest → its category and whether it was ever reached. */
  goals: Record<string, { category: string; reached: boolean }>;
  needs: string[];
  first_goal_at: Date | null;
  first_reached_at: Date | null;
}

/**
 * Outcome facts, de-identified (counted in reports only while the survivor's consent permits
 * `statistics`, as every survivor-linked fact): a goal set (the first time its id is seen), a goal
 * reached (the first time the survivor says so; the survivor's first one also carries the days
 * since their first goal was set), a check-in kept, a need resolved (a category that left the
 * needs section). Opens only the `goals` and `needs` sections and keeps only vocabulary words
 * (never the goal in the survivor's words, its steps or helpers); a machine process, so no access
 * event. The region is the opening agency's first region, as a reporting region. Erasure: a
 * record erased drops every outcome fact of the survivor, an erased section its own facts.
 */
@Injectable()
export class OutcomeFactsProjection implements Projection, OnModuleInit {
  readonly name = 'reports-outcomes';
  readonly eventTypes = ['IntakeOpened', 'IntakeSectionUpdated', 'CheckInRecorded', 'SectionErased', 'RecordErased'];

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly keys: KeyRing,
    @Inject(REPORTS_SETTINGS) private readonly settings: ReportsSettings,
  ) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(event: StoredEvent, m: EntityManager): Promise<void> {
    const survivorId = idOfStream(event.streamId, 'intake-');
    if (!survivorId) return;
    const ref = refOf('survivor', survivorId);
    const d = event.data as { section?: string; content?: Cipher; agencyId?: string; needsChanged?: boolean };
    if (event.type === 'IntakeOpened') {
      const rows: Array<{ regions: string[] }> = await m.query(
        'SELECT regions FROM network_agencies WHERE agency_id = $1',
        [d.agencyId],
      );
      const region = reportingRegion(this.settings, rows[0]?.regions?.[0]);
      await m.query(
        `INSERT INTO reports_outcome_state (survivor_ref, region) VALUES ($1, $2)
         ON CONFLICT (survivor_ref) DO UPDATE SET region = EXCLUDED.region`,
        [ref, region],
      );
      return;
    }
    const subject = await subjectKeyOf(m, survivorId);
    if (event.type === 'RecordErased') {
      for (const table of OUTCOME_TABLES) await m.query(`DELETE FROM ${table} WHERE subject_key = $1`, [subject]);
      await m.query('DELETE FROM reports_outcome_state WHERE survivor_ref = $1', [ref]);
      return;
    }
    const state = await this.state(m, ref);
    const month = `${monthOf(event.recordedAt)}-01`;
    if (event.type === 'SectionErased') {
      if (d.section === 'goals') {
        await m.query('DELETE FROM reports_goal_facts WHERE subject_key = $1', [subject]);
        await m.query(
          `UPDATE reports_outcome_state SET goals = '{}'::jsonb, first_goal_at = NULL, first_reached_at = NULL WHERE survivor_ref = $1`,
          [ref],
        );
      }
      if (d.section === 'needs') {
        await m.query('DELETE FROM reports_need_resolved_facts WHERE subject_key = $1', [subject]);
        await m.query(`UPDATE reports_outcome_state SET needs = '{}' WHERE survivor_ref = $1`, [ref]);
      }
      return;
    }
    if (event.type === 'CheckInRecorded') {
      await m.query(
        'INSERT INTO reports_check_in_facts (subject_key, month, region, needs_changed) VALUES ($1, $2, $3, $4)',
        [subject, month, state.region, d.needsChanged === true],
      );
      return;
    }
    // IntakeSectionUpdated
    if (!d.content || (d.section !== 'goals' && d.section !== 'needs')) return;
    const content = await this.open<{ goals?: unknown[]; needs?: unknown[] }>(survivorId, d.section, d.content);
    if (content === null) return;
    if (d.section === 'needs') {
      const now = (content.needs ?? [])
        .map((n) => (n as { category?: unknown } | null)?.category)
        .filter((c): c is string => (NEED_CATEGORIES as readonly unknown[]).includes(c));
      for (const category of state.needs.filter((c) => !now.includes(c)))
        await m.query(
          'INSERT INTO reports_need_resolved_facts (subject_key, month, region, category) VALUES ($1, $2, $3, $4)',
          [subject, month, state.region, category],
        );
      await m.query('UPDATE reports_outcome_state SET needs = $2 WHERE survivor_ref = $1', [ref, now]);
      return;
    }
    const at = new Date(event.recordedAt);
    const goals = { ...state.goals };
    let firstGoalAt = state.first_goal_at;
    let firstReachedAt = state.first_reached_at;
    for (const raw of content.goals ?? []) {
      const goal = raw as { goalId?: unknown; category?: unknown; status?: unknown } | null;
      if (typeof goal?.goalId !== 'string' || !(GOAL_CATEGORIES as readonly unknown[]).includes(goal.category))
        continue;
      const key = refOf('goal', survivorId, goal.goalId).toString('hex');
      const category = goal.category as string;
      if (!goals[key]) {
        goals[key] = { category, reached: false };
        firstGoalAt ??= at;
        await m.query(
          `INSERT INTO reports_goal_facts (subject_key, month, region, category, kind) VALUES ($1, $2, $3, $4, 'set')`,
          [subject, month, state.region, category],
        );
      }
      if (goal.status === 'reached' && !goals[key].reached) {
        goals[key] = { ...goals[key], reached: true };
        const first = firstReachedAt === null;
        firstReachedAt ??= at;
        const days = first && firstGoalAt ? (at.getTime() - firstGoalAt.getTime()) / DAY : null;
        await m.query(
          `INSERT INTO reports_goal_facts (subject_key, month, region, category, kind, days_to_first_reached)
           VALUES ($1, $2, $3, $4, 'reached', $5)`,
          [subject, month, state.region, category, days === null ? null : Math.round(days * 10) / 10],
        );
      }
    }
    await m.query(
      'UPDATE reports_outcome_state SET goals = $2, first_goal_at = $3, first_reached_at = $4 WHERE survivor_ref = $1',
      [ref, JSON.stringify(goals), firstGoalAt, firstReachedAt],
    );
  }

  async reset(m: EntityManager): Promise<void> {
    for (const table of OUTCOME_TABLES) await m.query(`DELETE FROM ${table}`);
    await m.query('DELETE FROM reports_outcome_state');
  }

  private async state(m: EntityManager, ref: Buffer): Promise<OutcomeState> {
    await m.query('INSERT INTO reports_outcome_state (survivor_ref) VALUES ($1) ON CONFLICT DO NOTHING', [ref]);
    const rows: OutcomeState[] = await m.query(
      'SELECT region, goals, needs, first_goal_at, first_reached_at FROM reports_outcome_state WHERE survivor_ref = $1',
      [ref],
    );
    return rows[0];
  }

  /** The section's content, or null once the survivor's key is destroyed (erasure). */
  private async open<T>(survivorId: string, section: string, content: Cipher): Promise<T | null> {
    try {
      return await this.keys.decrypt<T>(survivorId, `intake:${section}`, content);
    } catch (error) {
      if (error instanceof DataErased) return null;
      throw error;
    }
  }
}
