import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ReplicaReads } from '@harbour/database';
import type { AccessBasis, AccessOutcome, WithheldSection } from '../access/access.events.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { OfficerScope } from './officer-scope.js';

export interface TrailFilter {
  survivorId?: string;
  userId?: string;
  agencyId?: string;
  from?: Date;
  to?: Date;
  purpose?: string;
  basis?: string;
  outcome?: string;
  kind?: 'read' | 'log-view';
  grantId?: string;
}

/** One access event as privacy officers see it: metadata only, never section content. */
export interface TrailItem {
  eventId: string;
  position: string;
  kind: 'read' | 'log-view';
  at: string;
  survivorId: string;
  actor: { userId: string; agencyId: string | null; role: string | null };
  purpose: string | null;
  outcome: AccessOutcome;
  sectionsReturned: string[];
  sectionsWithheld: WithheldSection[];
  basis: AccessBasis[];
  view: string | null;
  requestId: string;
  route: string;
  /** When the decision point was asked (null: an older event, a log view, or a refusal made outside it). */
  decidedAt: string | null;
  /** The consent stream version the decision read (-1: no consent yet; null: not recorded). */
  consentStreamVersion: number | null;
  /** The caller's own X-Request-Id, for their correlation only (never Harbour's requestId). */
  clientRequestId: string | null;
}

export interface TrailPage {
  items: TrailItem[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

interface Row {
  position: string;
  event_id: string;
  kind: 'read' | 'log-view';
  survivor_id: string;
  user_id: string;
  agency_id: string | null;
  role: string | null;
  purpose: string | null;
  outcome: AccessOutcome;
  basis: AccessBasis[];
  sections_returned: string[];
  sections_withheld: WithheldSection[];
  view: string | null;
  request_id: string;
  route: string;
  at: Date;
  decided_at: Date | null;
  consent_stream_version: number | null;
  client_request_id: string | null;
}

/** Queries over `audit_access` (AccessTrailProjection): newest first, cursor-paged, always scoped. */
@Injectable()
export class AccessTrailQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reads: ReplicaReads,
  ) {}

  async page(scope: OfficerScope, filter: TrailFilter, cursor: string | undefined, limit: number): Promise<TrailPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (scope.kind === 'agency') {
      add(
        (p) => `(agency_id = ${p} OR survivor_id IN (SELECT survivor_id FROM audit_care_teams WHERE agency_id = ${p}))`,
        scope.agencyId,
      );
    }
    if (filter.survivorId) add((p) => `survivor_id = ${p}`, filter.survivorId);
    if (filter.userId) add((p) => `user_id = ${p}`, filter.userId);
    if (filter.agencyId) add((p) => `agency_id = ${p}`, filter.agencyId);
    if (filter.from) add((p) => `at >= ${p}`, filter.from);
    if (filter.to) add((p) => `at < ${p}`, filter.to);
    if (filter.purpose) add((p) => `purpose = ${p}`, filter.purpose);
    if (filter.basis) add((p) => `${p} = ANY(bases)`, filter.basis);
    if (filter.outcome) add((p) => `outcome = ${p}`, filter.outcome);
    if (filter.kind) add((p) => `kind = ${p}`, filter.kind);
    if (filter.grantId) add((p) => `grant_id = ${p}`, filter.grantId);
    const before = decodeCursor(cursor);
    if (before !== null) add((p) => `position < ${p}`, before.toString());
    params.push(limit + 1);
    // Order by the table column: the text alias `position` would sort 10 before 9.
    const rows: Row[] = await this.reads.query(
      `SELECT position::text AS position, event_id::text AS event_id, kind, survivor_id, user_id, agency_id, role, purpose, outcome, basis,
              sections_returned, sections_withheld, view, request_id, route, at, decided_at, consent_stream_version, client_request_id
       FROM audit_access ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY audit_access.position DESC LIMIT $${params.length}`,
      params,
    );
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map(toItem);
    return { items, nextCursor: more ? encodeCursor(items.at(-1)!.position) : null };
  }

  /** Every read of one survivor's data that returned something, oldest first (the disclosure report). */
  async disclosures(survivorId: string): Promise<Array<TrailItem & { agencyName: string | null }>> {
    const rows: Array<Row & { agency_name: string | null }> = await this.db.query(
      `SELECT a.position::text AS position, a.event_id::text AS event_id, a.kind, a.survivor_id, a.user_id, a.agency_id, a.role, a.purpose,
              a.outcome, a.basis, a.sections_returned, a.sections_withheld, a.view, a.request_id, a.route, a.at,
              a.decided_at, a.consent_stream_version, a.client_request_id, n.name AS agency_name
       FROM audit_access a LEFT JOIN network_agencies n ON n.agency_id::text = a.agency_id
       WHERE a.survivor_id = $1 AND a.kind = 'read' AND a.outcome <> 'denied'
       ORDER BY a.position`,
      [survivorId],
    );
    return rows.map((r) => ({ ...toItem(r), agencyName: r.agency_name }));
  }
}

function toItem(r: Row): TrailItem {
  return {
    eventId: r.event_id,
    position: r.position,
    kind: r.kind,
    at: new Date(r.at).toISOString(),
    survivorId: r.survivor_id,
    actor: { userId: r.user_id, agencyId: r.agency_id, role: r.role },
    purpose: r.purpose,
    outcome: r.outcome,
    sectionsReturned: r.sections_returned,
    sectionsWithheld: r.sections_withheld,
    basis: r.basis,
    view: r.view,
    requestId: r.request_id,
    route: r.route,
    decidedAt: r.decided_at === null ? null : new Date(r.decided_at).toISOString(),
    consentStreamVersion: r.consent_stream_version,
    clientRequestId: r.client_request_id,
  };
}
