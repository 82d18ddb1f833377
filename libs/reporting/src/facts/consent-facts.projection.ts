import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { type ConsentEvent } from '@harbour/consent';
import { monthOf } from '../reports.settings.js';
import { idOfStream, refOf, subjectKeyOf } from './subjects.js';
import { PURPOSES } from '@harbour/vocabulary';

/**
 * `reports_consent_facts`: consents granted and revoked, by purpose and month. Also keeps, in
 * private state, each consent's purposes and validity window under the survivor's opaque key:
 * that is what lets every report count a survivor only while a consent permitting `statistics`
 * is in force — judged when the report is asked for, so a later grant or revocation (or a
 * consent running out) changes every report from then on, with no rebuild.
 */
@Injectable()
export class ConsentFactsProjection implements Projection, OnModuleInit {
  readonly name = 'reports-consents';
  readonly eventTypes = ['ConsentRecorded', 'ConsentAmended', 'ConsentRevoked'];

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    const survivorId = idOfStream(stored.streamId, 'consent-');
    if (!survivorId) return;
    const event = stored as unknown as Extract<
      ConsentEvent,
      { type: 'ConsentRecorded' | 'ConsentAmended' | 'ConsentRevoked' }
    >;
    const ref = refOf('consent', survivorId, event.data.consentId);
    const subject = await subjectKeyOf(m, survivorId);
    const month = `${monthOf(stored.recordedAt)}-01`;
    const record = async (purposes: readonly string[], change: 'granted' | 'revoked') => {
      for (const purpose of purposes.filter((p) => (PURPOSES as readonly string[]).includes(p))) {
        await m.query(
          'INSERT INTO reports_consent_facts (subject_key, month, purpose, change) VALUES ($1, $2, $3, $4)',
          [subject, month, purpose, change],
        );
      }
    };
    const before: Array<{ purposes: string[]; revoked: boolean }> = await m.query(
      'SELECT purposes, revoked FROM reports_consent_state WHERE consent_ref = $1',
      [ref],
    );
    switch (event.type) {
      case 'ConsentRecorded': {
        const d = event.data;
        if (before.length) return;
        await m.query(
          'INSERT INTO reports_consent_state (consent_ref, subject_key, purposes, valid_from, valid_until) VALUES ($1, $2, $3, $4, $5)',
          [ref, subject, d.purposes, d.validFrom, d.validUntil],
        );
        return record(d.purposes, 'granted');
      }
      case 'ConsentAmended': {
        const d = event.data;
        if (!before.length || before[0].revoked) return;
        await m.query(
          'UPDATE reports_consent_state SET purposes = $2, valid_from = $3, valid_until = $4 WHERE consent_ref = $1',
          [ref, d.purposes, d.validFrom, d.validUntil],
        );
        await record(
          d.purposes.filter((p) => !before[0].purposes.includes(p)),
          'granted',
        );
        return record(
          before[0].purposes.filter((p) => !(d.purposes as string[]).includes(p)),
          'revoked',
        );
      }
      case 'ConsentRevoked':
        if (!before.length || before[0].revoked) return;
        await m.query('UPDATE reports_consent_state SET revoked = true WHERE consent_ref = $1', [ref]);
        return record(before[0].purposes, 'revoked');
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM reports_consent_facts');
    await m.query('DELETE FROM reports_consent_state');
  }
}
