import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import type { AnonymousNotice } from '@harbour/intake';
import { REPORTS_SETTINGS, reportingRegion, type ReportsSettings } from '../reports.settings.js';
import { needBits } from './subjects.js';

/**
 * `reports_notice_facts`: anonymous notices by month, reporting region and need. The
 * recording agency is dropped. Notices are always counted: they exist for statistics only.
 */
@Injectable()
export class NoticeFactsProjection implements Projection, OnModuleInit {
  readonly name = 'reports-notices';
  readonly eventTypes = ['AnonymousNoticeRecorded'];

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(REPORTS_SETTINGS) private readonly settings: ReportsSettings,
  ) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(event: StoredEvent, m: EntityManager): Promise<void> {
    const d = event.data as AnonymousNotice;
    if (!/^\d{4}-\d{2}$/.test(d.month)) return;
    await m.query('INSERT INTO reports_notice_facts (month, region, need_bits) VALUES ($1, $2, $3)', [
      `${d.month}-01`,
      reportingRegion(this.settings, d.region),
      needBits(Array.isArray(d.needs) ? d.needs : []),
    ]);
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM reports_notice_facts');
  }
}
