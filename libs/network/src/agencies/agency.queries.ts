import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NotFound } from '@harbour/kernel';
import { NetworkErrors } from '../errors.js';

export interface AgencyView {
  agencyId: string;
  name: string;
  sector: string;
  regions: string[];
  requestedTier: string;
  tier: string | null;
  status: string;
  endorsements: number;
  admittedVia: string | null;
  appliedAt: string;
  updatedAt: string;
}

/** A row of network_agencies as PostgreSQL returns it. */
interface AgencyRow {
  agency_id: string;
  name: string;
  sector: string;
  regions: string[];
  requested_tier: string;
  tier: string | null;
  status: string;
  endorsements: number;
  admitted_via: string | null;
  applied_at: Date;
  updated_at: Date;
}

interface NotificationRow {
  notification_id: string;
  kind: string;
  subject_agency_id: string;
  motion_id: string | null;
  details: unknown;
  created_at: Date;
}

const toView = (r: AgencyRow): AgencyView => ({
  agencyId: r.agency_id,
  name: r.name,
  sector: r.sector,
  regions: r.regions,
  requestedTier: r.requested_tier,
  tier: r.tier,
  status: r.status,
  endorsements: r.endorsements,
  admittedVia: r.admitted_via,
  appliedAt: new Date(r.applied_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** Reads of member agencies and their notifications (read models). */
@Injectable()
export class AgencyQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(filter: { status?: string; sector?: string }): Promise<AgencyView[]> {
    const rows = await this.db.query<AgencyRow[]>(
      `SELECT * FROM network_agencies WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR sector = $2) ORDER BY name, agency_id`,
      [filter.status ?? null, filter.sector ?? null],
    );
    return rows.map(toView);
  }

  async get(agencyId: string): Promise<AgencyView> {
    const rows = await this.db.query<AgencyRow[]>('SELECT * FROM network_agencies WHERE agency_id = $1', [agencyId]);
    if (!rows[0]) throw new NotFound('Agency', NetworkErrors.agencyNotFound);
    return toView(rows[0]);
  }

  /** Agency names by id, for answers people read (an id no longer in the network is absent). */
  async names(agencyIds: readonly string[]): Promise<Map<string, string>> {
    if (agencyIds.length === 0) return new Map();
    const rows = await this.db.query<Array<{ agency_id: string; name: string }>>(
      'SELECT agency_id, name FROM network_agencies WHERE agency_id::text = ANY($1::text[])',
      [[...new Set(agencyIds)]],
    );
    return new Map(rows.map((r) => [r.agency_id, r.name]));
  }

  /** Ids of active core agencies: the electorate for removal motions and the bootstrap rule. */
  async activeCoreIds(): Promise<string[]> {
    const rows = await this.db.query<Array<{ agency_id: string }>>(
      "SELECT agency_id FROM network_agencies WHERE status = 'active' AND tier = 'core' ORDER BY agency_id",
    );
    return rows.map((r) => r.agency_id);
  }

  async notifications(agencyId: string): Promise<
    Array<{
      notificationId: string;
      kind: string;
      subjectAgencyId: string;
      motionId: string | null;
      details: unknown;
      createdAt: string;
    }>
  > {
    const rows = await this.db.query<NotificationRow[]>(
      'SELECT * FROM network_notifications WHERE agency_id = $1 ORDER BY created_at DESC, notification_id LIMIT 200',
      [agencyId],
    );
    return rows.map((r) => ({
      notificationId: r.notification_id,
      kind: r.kind,
      subjectAgencyId: r.subject_agency_id,
      motionId: r.motion_id,
      details: r.details,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }
}
