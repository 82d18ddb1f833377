import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { SHARE_CODE_EVENT_TYPES, type ShareCodeEvent } from './share-code.events.js';

/** `share_codes`: every code's metadata and status (never the code, never its hash). */
@Injectable()
export class ShareCodeProjection implements Projection, OnModuleInit {
  readonly name = 'share-codes';
  readonly eventTypes = SHARE_CODE_EVENT_TYPES;

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    const event = stored as unknown as ShareCodeEvent;
    switch (event.type) {
      case 'ShareCodeIssued': {
        const d = event.data;
        await m.query(
          `INSERT INTO share_codes (code_id, survivor_id, status, sections, purposes, language, issued_by_user_id,
             issued_by_agency_id, issued_at, expires_at, version)
           VALUES ($1, $2, 'issued', $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (code_id) DO NOTHING`,
          [
            d.codeId,
            d.survivorId,
            d.sections,
            d.purposes,
            d.language,
            d.issuedBy.userId,
            d.issuedBy.agencyId,
            d.issuedAt,
            d.expiresAt,
            stored.streamVersion,
          ],
        );
        return;
      }
      case 'ShareCodeRedeemed': {
        const d = event.data;
        await m.query(
          `UPDATE share_codes SET status = 'redeemed', redeemed_by_user_id = $2, redeemed_by_agency_id = $3, redeemed_at = $4,
             consent_id = $5, version = $6 WHERE code_id = $1`,
          [d.codeId, d.userId, d.agencyId, d.redeemedAt, d.consentId, stored.streamVersion],
        );
        return;
      }
      case 'ShareCodeRevoked': {
        const d = event.data;
        await m.query(
          `UPDATE share_codes SET status = 'revoked', revoked_by_user_id = $2, revoked_at = $3, version = $4 WHERE code_id = $1`,
          [d.codeId, d.revokedBy.userId, d.revokedAt, stored.streamVersion],
        );
        return;
      }
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM share_codes');
  }
}
