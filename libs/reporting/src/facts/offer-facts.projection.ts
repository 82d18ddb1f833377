import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { OFFER_KINDS, SECTORS } from '@harbour/vocabulary';
import { REPORTS_SETTINGS, reportingRegion, type ReportsSettings } from '../reports.settings.js';
import { refOf, subjectKeyOf } from './subjects.js';

/** The parts of the offers lib's events these facts read (libs/offers/src/offer.events.ts, schema version 1). */
interface OfferPublishedData {
  offerId: string;
  kind: string;
  sector: string;
  regions: string[];
  publishedAt: string;
}
interface OfferRequestedData {
  requestId: string;
  survivorId: string;
  kind: string;
  region: string;
  sector: string;
  requestedAt: string;
}

/** Request outcome events → the fact's flag. */
const FLAGS: Record<string, string> = {
  OfferRequestApproved: 'approved',
  OfferRequestDeclined: 'declined',
  OfferRequestFulfilled: 'given',
  OfferReceiptConfirmed: 'received',
  OfferRequestExpired: 'expired',
  OfferRequestWithdrawn: 'withdrawn',
};

const known = (vocabulary: readonly string[], value: unknown, fallback: string) =>
  vocabulary.includes(value as string) ? (value as string) : fallback;

/**
 * `reports_offer_facts` (one row per offer published: month, kind, the reporting region of its
 * first region, the offering sector) and `reports_offer_request_facts` (one row per request:
 * month requested, kind, reporting region of the handover, offering sector, outcome flags, and
 * the survivor's opaque subject key so it counts only under a `statistics` consent). No offer,
 * request, agency or survivor id and no text is kept in either.
 */
@Injectable()
export class OfferFactsProjection implements Projection, OnModuleInit {
  readonly name = 'reports-offers';
  readonly eventTypes = ['OfferPublished', 'OfferRequested', ...Object.keys(FLAGS)];

  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(REPORTS_SETTINGS) private readonly settings: ReportsSettings,
  ) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(event: StoredEvent, m: EntityManager): Promise<void> {
    if (event.type === 'OfferPublished') {
      const d = event.data as OfferPublishedData;
      const ref = refOf('offer', d.offerId);
      const inserted: unknown[] = await m.query(
        'INSERT INTO reports_offer_state (ref) VALUES ($1) ON CONFLICT (ref) DO NOTHING RETURNING ref',
        [ref],
      );
      if (inserted.length === 0) return;
      await m.query('INSERT INTO reports_offer_facts (month, kind, region, sector) VALUES ($1, $2, $3, $4)', [
        `${d.publishedAt.slice(0, 7)}-01`,
        known(OFFER_KINDS, d.kind, 'other'),
        reportingRegion(this.settings, Array.isArray(d.regions) ? d.regions[0] : null),
        known(SECTORS, d.sector, 'other'),
      ]);
      return;
    }
    const data = event.data as { requestId?: unknown };
    if (typeof data.requestId !== 'string') return;
    const ref = refOf('offer-request', data.requestId);
    if (event.type === 'OfferRequested') {
      const d = event.data as OfferRequestedData;
      const subject = await subjectKeyOf(m, d.survivorId);
      const inserted: unknown[] = await m.query(
        `INSERT INTO reports_offer_request_state (ref, fact_key) VALUES ($1, gen_random_uuid())
         ON CONFLICT (ref) DO NOTHING RETURNING fact_key`,
        [ref],
      );
      if (inserted.length === 0) return;
      const [{ fact_key }] = inserted as Array<{ fact_key: string }>;
      await m.query(
        `INSERT INTO reports_offer_request_facts (fact_key, subject_key, month, kind, region, sector)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          fact_key,
          subject,
          `${d.requestedAt.slice(0, 7)}-01`,
          known(OFFER_KINDS, d.kind, 'other'),
          reportingRegion(this.settings, d.region),
          known(SECTORS, d.sector, 'other'),
        ],
      );
      return;
    }
    const flag = FLAGS[event.type];
    if (!flag) return;
    await m.query(
      `UPDATE reports_offer_request_facts SET ${flag} = true
       WHERE fact_key = (SELECT fact_key FROM reports_offer_request_state WHERE ref = $1)`,
      [ref],
    );
  }

  async reset(m: EntityManager): Promise<void> {
    for (const table of [
      'reports_offer_request_facts',
      'reports_offer_request_state',
      'reports_offer_facts',
      'reports_offer_state',
    ])
      await m.query(`DELETE FROM ${table}`);
  }
}
