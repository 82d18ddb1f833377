import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { OFFER_EVENT_TYPES, type OfferEvent } from './offer.events.js';

/** `offers` and `offer_requests` from the offer streams. */
@Injectable()
export class OfferProjection implements Projection, OnModuleInit {
  readonly name = 'offers';
  readonly eventTypes = OFFER_EVENT_TYPES;

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    const event = stored as unknown as OfferEvent;
    const v = stored.streamVersion;
    const status = (requestId: string, state: string, column: string | null, at: string, reason?: string) =>
      m.query(
        `UPDATE offer_requests SET status = $2, version = $3${column ? `, ${column} = $4` : ''}${reason ? ', decline_reason = $5' : ''}
         WHERE request_id = $1`,
        [requestId, state, v, ...(column ? [at] : []), ...(reason ? [reason] : [])],
      );
    switch (event.type) {
      case 'OfferPublished':
      case 'OfferAmended': {
        const d = event.data;
        if (event.type === 'OfferPublished') {
          const p = event.data;
          await m.query(
            `INSERT INTO offers (offer_id, agency_id, sector, kind, title, quantity, per, regions, conditions, handover, needs,
               valid_from, valid_until, response_days, status, published_by_user_id, published_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'published', $15, $16, $17)
             ON CONFLICT (offer_id) DO NOTHING`,
            [
              p.offerId,
              p.agencyId,
              p.sector,
              p.kind,
              p.title,
              p.capacity.quantity,
              p.capacity.per,
              p.regions,
              JSON.stringify(p.conditions),
              p.handover,
              p.needs,
              p.validFrom,
              p.validUntil,
              p.responseDays,
              p.publishedBy.userId,
              p.publishedAt,
              v,
            ],
          );
          return;
        }
        await m.query(
          `UPDATE offers SET kind = $2, title = $3, quantity = $4, per = $5, regions = $6, conditions = $7, handover = $8,
             needs = $9, valid_from = $10, valid_until = $11, response_days = $12, version = $13 WHERE offer_id = $1`,
          [
            d.offerId,
            d.kind,
            d.title,
            d.capacity.quantity,
            d.capacity.per,
            d.regions,
            JSON.stringify(d.conditions),
            d.handover,
            d.needs,
            d.validFrom,
            d.validUntil,
            d.responseDays,
            v,
          ],
        );
        return;
      }
      case 'OfferWithdrawn':
        await m.query(`UPDATE offers SET status = 'withdrawn', withdrawn_at = $2, version = $3 WHERE offer_id = $1`, [
          event.data.offerId,
          event.data.withdrawnAt,
          v,
        ]);
        return;
      case 'OfferRequested': {
        const d = event.data;
        await m.query(
          `INSERT INTO offer_requests (request_id, offer_id, offer_agency_id, kind, survivor_id, need, quantity, region, needed_by,
             handover, handover_to, requested_by_user_id, requested_by_agency_id, requested_at, period, respond_by, status, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'requested', $17)
           ON CONFLICT (request_id) DO NOTHING`,
          [
            d.requestId,
            d.offerId,
            d.agencyId,
            d.kind,
            d.survivorId,
            d.need,
            d.quantity,
            d.region,
            d.neededBy,
            d.handover,
            d.handoverTo,
            d.requestedBy.userId,
            d.requestedBy.agencyId,
            d.requestedAt,
            d.period,
            d.respondBy,
            v,
          ],
        );
        await m.query('UPDATE offers SET version = $2 WHERE offer_id = $1', [d.offerId, v]);
        return;
      }
      case 'OfferRequestApproved':
        return void (await status(event.data.requestId, 'approved', 'answered_at', event.data.at));
      case 'OfferRequestDeclined':
        return void (await status(event.data.requestId, 'declined', 'answered_at', event.data.at, event.data.reason));
      case 'OfferRequestFulfilled':
        return void (await status(event.data.requestId, 'fulfilled', 'fulfilled_at', event.data.at));
      case 'OfferReceiptConfirmed':
        return void (await status(event.data.requestId, 'confirmed', 'confirmed_at', event.data.at));
      case 'OfferRequestWithdrawn':
        return void (await status(event.data.requestId, 'withdrawn', 'closed_at', event.data.at));
      case 'OfferRequestExpired':
        return void (await status(event.data.requestId, 'expired', 'closed_at', event.data.at));
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM offer_requests');
    await m.query('DELETE FROM offers');
  }
}
