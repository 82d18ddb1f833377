import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { markRecorded, type Principal } from '@harbour/auth';
import { NotFound } from '@harbour/kernel';
import { AccessGate } from '@harbour/intake';
import { OfferErrors as E } from './errors.js';
import type { OfferConditions } from './offer.events.js';

interface OfferRow {
  offer_id: string;
  agency_id: string;
  agency_name: string | null;
  sector: string;
  kind: string;
  title: string;
  quantity: number;
  per: 'total' | 'month';
  taken: number;
  regions: string[];
  conditions: OfferConditions;
  handover: string;
  needs: string[];
  valid_from: Date;
  valid_until: Date;
  response_days: number;
  status: string;
  published_at: Date;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const day = (d: Date | string | null) => (d ? (typeof d === 'string' ? d.slice(0, 10) : isoDay(d)) : null);
const isoDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The offer as anyone in the network sees it: the partner's terms and what is left. */
export function offerView(r: OfferRow, now: Date) {
  const status =
    r.status !== 'published'
      ? r.status
      : now.getTime() < new Date(r.valid_from).getTime()
        ? 'upcoming'
        : now.getTime() >= new Date(r.valid_until).getTime()
          ? 'ended'
          : 'open';
  return {
    offerId: r.offer_id,
    agencyId: r.agency_id,
    agencyName: r.agency_name ?? null,
    sector: r.sector,
    kind: r.kind,
    title: r.title,
    capacity: { quantity: r.quantity, per: r.per },
    remaining: Math.max(0, r.quantity - Number(r.taken)),
    regions: r.regions,
    conditions: r.conditions,
    handover: r.handover,
    needs: r.needs,
    validFrom: iso(r.valid_from)!,
    validUntil: iso(r.valid_until)!,
    responseDays: r.response_days,
    status,
    publishedAt: iso(r.published_at)!,
  };
}
export type OfferView = ReturnType<typeof offerView>;

/** Units held this period: this month's for a monthly capacity, all for a fixed quantity. */
const OFFER_SELECT = `SELECT o.*, n.name AS agency_name,
    (SELECT coalesce(sum(r.quantity), 0)::int FROM offer_requests r
      WHERE r.offer_id = o.offer_id AND r.status IN ('requested', 'approved', 'fulfilled', 'confirmed')
        AND r.period = CASE WHEN o.per = 'month' THEN to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM') ELSE 'total' END) AS taken
  FROM offers o LEFT JOIN network_agencies n ON n.agency_id::text = o.agency_id`;

/** The columns a partner's inbox reads: notice level, never the survivor, their need or the worker. */
const PARTNER_COLUMNS = `r.request_id, r.offer_id, r.kind, r.quantity, r.region, r.needed_by, r.handover, r.handover_to,
  r.requested_by_agency_id, n.name AS requesting_agency_name, r.status, r.decline_reason, r.requested_at, r.respond_by,
  r.answered_at, r.fulfilled_at, r.confirmed_at, r.closed_at`;

interface PartnerRow {
  request_id: string;
  offer_id: string;
  kind: string;
  quantity: number;
  region: string;
  needed_by: Date | string | null;
  handover: string;
  handover_to: string;
  requested_by_agency_id: string;
  requesting_agency_name: string | null;
  status: string;
  decline_reason: string | null;
  requested_at: Date;
  respond_by: Date;
  answered_at: Date | null;
  fulfilled_at: Date | null;
  confirmed_at: Date | null;
  closed_at: Date | null;
}

/** A request as the offering partner sees it (notice level). */
export const partnerRequestView = (r: PartnerRow) => ({
  requestId: r.request_id,
  offerId: r.offer_id,
  kind: r.kind,
  quantity: r.quantity,
  region: r.region,
  neededBy: day(r.needed_by),
  handover: r.handover,
  handoverTo: r.handover_to,
  requestingAgency: { agencyId: r.requested_by_agency_id, name: r.requesting_agency_name ?? null },
  status: r.status,
  declineReason: r.decline_reason,
  requestedAt: iso(r.requested_at)!,
  respondBy: iso(r.respond_by)!,
  answeredAt: iso(r.answered_at),
  fulfilledAt: iso(r.fulfilled_at),
  confirmedAt: iso(r.confirmed_at),
  closedAt: iso(r.closed_at),
});

export interface OfferFilter {
  kind?: string;
  region?: string;
  need?: string;
  /** Only offers open now (default true). */
  openOnly?: boolean;
  limit?: number;
}

/** Reads of the offers read models. Only the care team's list names a survivor, and it is recorded first. */
@Injectable()
export class OfferQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly gate: AccessGate,
  ) {}

  async list(filter: OfferFilter, now: Date): Promise<OfferView[]> {
    const where: string[] = [];
    const params: unknown[] = [now];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.kind) add('o.kind = ?', filter.kind);
    if (filter.region) add('? = ANY (o.regions)', filter.region);
    if (filter.need) add('? = ANY (o.needs)', filter.need);
    if (filter.openOnly !== false) where.push(`o.status = 'published' AND o.valid_from <= $1 AND o.valid_until > $1`);
    params.push(filter.limit ?? 100);
    const rows = await this.db.query<OfferRow[]>(
      `${OFFER_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY o.published_at DESC, o.offer_id LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => offerView(r, now));
  }

  async one(offerId: string, now: Date): Promise<OfferView> {
    const rows = await this.db.query<OfferRow[]>(`${OFFER_SELECT} WHERE o.offer_id = $2`, [now, offerId]);
    if (!rows.length) throw new NotFound('Offer', E.offerNotFound);
    return offerView(rows[0], now);
  }

  /** The offers an agency published (any status), for its own staff. */
  async mine(agencyId: string, now: Date): Promise<OfferView[]> {
    const rows = await this.db.query<OfferRow[]>(
      `${OFFER_SELECT} WHERE o.agency_id = $2 ORDER BY o.published_at DESC, o.offer_id`,
      [now, agencyId],
    );
    return rows.map((r) => offerView(r, now));
  }

  /** Requests made of the caller's agency's offers, newest first: notice level only. */
  async partnerInbox(agencyId: string, status: string | undefined, limit: number) {
    const rows = await this.db.query<PartnerRow[]>(
      `SELECT ${PARTNER_COLUMNS} FROM offer_requests r
       LEFT JOIN network_agencies n ON n.agency_id::text = r.requested_by_agency_id
       WHERE r.offer_agency_id = $1 AND ($2::text IS NULL OR r.status = $2)
       ORDER BY r.requested_at DESC, r.request_id LIMIT $3`,
      [agencyId, status ?? null, limit],
    );
    return { items: rows.map(partnerRequestView) };
  }

  /** The survivor's offer requests, for their care team (one access event, like the referral history). */
  async forCareTeam(principal: Principal, survivorId: string, requestId: string) {
    const admission = (
      await this.gate.admit({
        principal,
        survivorIds: [survivorId],
        sections: ['needs'],
        purpose: 'care-coordination',
        requestId,
        route: 'GET /v1/intakes/:survivorId/offer-requests',
        careTeamOnly: true,
      })
    ).get(survivorId)!;
    if (!admission.exists) throw markRecorded(new NotFound('Intake', E.intakeNotFound));
    if (admission.decision.outcome === 'denied') throw this.gate.refusal(admission, E.accessDenied);
    const rows = await this.db.query<
      Array<
        PartnerRow & { need: string; offer_agency_id: string; title: string | null; offer_agency_name: string | null }
      >
    >(
      `SELECT ${PARTNER_COLUMNS}, r.need, r.offer_agency_id, o.title, oa.name AS offer_agency_name FROM offer_requests r
       LEFT JOIN network_agencies n ON n.agency_id::text = r.requested_by_agency_id
       LEFT JOIN network_agencies oa ON oa.agency_id::text = r.offer_agency_id
       LEFT JOIN offers o ON o.offer_id = r.offer_id
       WHERE r.survivor_id = $1 ORDER BY r.requested_at, r.request_id`,
      [survivorId],
    );
    return {
      survivorId,
      items: rows.map((r) => ({
        ...partnerRequestView(r),
        need: r.need,
        offeringAgency: { agencyId: r.offer_agency_id, name: r.offer_agency_name ?? null },
        title: r.title ?? null,
      })),
    };
  }

  /**
   * The agency's own totals by month and kind: offers published, requests and units by outcome.
   * These are the partner's own requests (it saw each one's notice), so nothing is withheld here;
   * network-wide counts go through the reports with disclosure control.
   */
  async totals(agencyId: string, from: string, to: string) {
    const requests = await this.db.query<Array<Record<string, string | number>>>(
      `SELECT to_char(requested_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, kind,
         count(*)::int AS requests,
         coalesce(sum(quantity), 0)::int AS units_requested,
         coalesce(sum(quantity) FILTER (WHERE status IN ('approved', 'fulfilled', 'confirmed')), 0)::int AS units_approved,
         coalesce(sum(quantity) FILTER (WHERE status IN ('fulfilled', 'confirmed')), 0)::int AS units_given,
         coalesce(sum(quantity) FILTER (WHERE status = 'confirmed'), 0)::int AS units_confirmed,
         count(*) FILTER (WHERE status = 'declined')::int AS declined,
         count(*) FILTER (WHERE status = 'expired')::int AS expired,
         count(*) FILTER (WHERE status = 'withdrawn')::int AS withdrawn
       FROM offer_requests WHERE offer_agency_id = $1
         AND requested_at >= ($2 || '-01')::date AND requested_at < (($3 || '-01')::date + interval '1 month')
       GROUP BY 1, 2`,
      [agencyId, from, to],
    );
    const offers = await this.db.query<Array<{ month: string; kind: string; offers: number }>>(
      `SELECT to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, kind, count(*)::int AS offers
       FROM offers WHERE agency_id = $1
         AND published_at >= ($2 || '-01')::date AND published_at < (($3 || '-01')::date + interval '1 month')
       GROUP BY 1, 2`,
      [agencyId, from, to],
    );
    const zero = {
      offers: 0,
      requests: 0,
      unitsRequested: 0,
      unitsApproved: 0,
      unitsGiven: 0,
      unitsConfirmed: 0,
      declined: 0,
      expired: 0,
      withdrawn: 0,
    };
    const byKey = new Map<string, { month: string; kind: string } & typeof zero>();
    const entry = (month: string, kind: string) => {
      const key = `${month}|${kind}`;
      if (!byKey.has(key)) byKey.set(key, { month, kind, ...zero });
      return byKey.get(key)!;
    };
    for (const o of offers) entry(o.month, o.kind).offers = o.offers;
    for (const r of requests) {
      const e = entry(String(r.month), String(r.kind));
      e.requests = Number(r.requests);
      e.unitsRequested = Number(r.units_requested);
      e.unitsApproved = Number(r.units_approved);
      e.unitsGiven = Number(r.units_given);
      e.unitsConfirmed = Number(r.units_confirmed);
      e.declined = Number(r.declined);
      e.expired = Number(r.expired);
      e.withdrawn = Number(r.withdrawn);
    }
    const items = [...byKey.values()].sort((a, b) => a.month.localeCompare(b.month) || a.kind.localeCompare(b.kind));
    const total = items.reduce(
      (t, i) => {
        for (const k of Object.keys(zero) as Array<keyof typeof zero>) t[k] += i[k];
        return t;
      },
      { ...zero },
    );
    return { agencyId, from, to, items, total };
  }

  /** Requests past their answer deadline, for the expiry sweep. */
  due(now: Date, limit: number): Promise<Array<{ offer_id: string; request_id: string }>> {
    return this.db.query(
      `SELECT offer_id, request_id FROM offer_requests WHERE status = 'requested' AND respond_by <= $1 ORDER BY respond_by LIMIT $2`,
      [now, limit],
    );
  }
}
