import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { type Cipher, DataErased, KeyRing } from '@harbour/privacy';
import { monthOf } from '../reports.settings.js';
import { idOfStream, subjectKeyOf } from './subjects.js';
import { NEED_CATEGORIES, URGENCIES } from '@harbour/vocabulary';

/**
 * `reports_need_facts`: each survivor's current need categories with urgency and the month the
 * category was first recorded. The needs section is encrypted with the survivor's data key, so
 * this projection is the one other place (besides the audited read path) that opens it: it
 * opens only the `needs` section, keeps only the category and urgency vocabulary values (never
 * the notes), and runs as a machine process — no person sees the plaintext, so no access event
 * is recorded. A survivor whose data was erased loses their need facts on the next update.
 */
@Injectable()
export class NeedFactsProjection implements Projection, OnModuleInit {
  readonly name = 'reports-needs';
  readonly eventTypes = ['IntakeSectionUpdated', 'SectionErased', 'RecordErased'];

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly keys: KeyRing,
  ) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(event: StoredEvent, m: EntityManager): Promise<void> {
    const d = event.data as { section?: string; content?: Cipher };
    const survivorId = idOfStream(event.streamId, 'intake-');
    // Erased needs (or the whole record) stop counting at once, and stay gone on a rebuild.
    if (survivorId && (event.type === 'RecordErased' || (event.type === 'SectionErased' && d.section === 'needs'))) {
      await m.query('DELETE FROM reports_need_facts WHERE subject_key = $1', [await subjectKeyOf(m, survivorId)]);
      return;
    }
    if (d.section !== 'needs' || !survivorId || !d.content) return;
    const subject = await subjectKeyOf(m, survivorId);
    let needs: Array<{ category: string; urgency: string }>;
    try {
      const content = await this.keys.decrypt<{ needs?: Array<{ category?: unknown; urgency?: unknown }> }>(
        survivorId,
        'intake:needs',
        d.content,
      );
      needs = (content.needs ?? [])
        .filter((n) => (NEED_CATEGORIES as readonly unknown[]).includes(n.category))
        .map((n) => ({
          category: n.category as string,
          urgency: (URGENCIES as readonly unknown[]).includes(n.urgency) ? (n.urgency as string) : 'unknown',
        }));
    } catch (error) {
      if (!(error instanceof DataErased)) throw error;
      needs = [];
    }
    const categories = needs.map((n) => n.category);
    await m.query('DELETE FROM reports_need_facts WHERE subject_key = $1 AND NOT (category = ANY ($2))', [
      subject,
      categories,
    ]);
    for (const n of needs) {
      await m.query(
        `INSERT INTO reports_need_facts (subject_key, category, urgency, month) VALUES ($1, $2, $3, $4)
         ON CONFLICT (subject_key, category) DO UPDATE SET urgency = EXCLUDED.urgency`,
        [subject, n.category, n.urgency, `${monthOf(event.recordedAt)}-01`],
      );
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM reports_need_facts');
  }
}
