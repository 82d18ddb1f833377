import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import type { BreakGlassEvent } from './break-glass.decider.js';

/** `audit_break_glass`: every emergency access, its end and its review (the review queue). */
@Injectable()
export class BreakGlassProjection implements Projection, OnModuleInit {
  readonly name = 'audit-break-glass';
  readonly eventTypes = ['BreakGlassOpened', 'BreakGlassClosed', 'BreakGlassReviewed'];

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    const event = stored as unknown as BreakGlassEvent;
    switch (event.type) {
      case 'BreakGlassOpened': {
        const d = event.data;
        await m.query(
          `INSERT INTO audit_break_glass (grant_id, survivor_id, user_id, agency_id, opened_at, expires_at, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [d.grantId, d.survivorId, d.userId, d.agencyId, d.openedAt, d.expiresAt, stored.globalPosition.toString()],
        );
        return;
      }
      case 'BreakGlassClosed':
        await m.query('UPDATE audit_break_glass SET ended_at = $2, end_reason = $3 WHERE grant_id = $1', [
          event.data.grantId,
          event.data.closedAt,
          event.data.reason,
        ]);
        return;
      case 'BreakGlassReviewed':
        await m.query(
          'UPDATE audit_break_glass SET finding = $2, reviewer_id = $3, reviewed_at = $4 WHERE grant_id = $1',
          [event.data.grantId, event.data.finding, event.data.reviewerId, event.data.reviewedAt],
        );
        return;
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM audit_break_glass');
  }
}
