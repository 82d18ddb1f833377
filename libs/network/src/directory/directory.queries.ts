import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NotFound } from '@harbour/kernel';
import type { DirectorySearchDto } from './directory-search.dto.js';
import type { ServiceDetails } from './service-details.js';
import { NetworkErrors } from '../errors.js';

export interface ServiceView extends ServiceDetails {
  serviceId: string;
  agencyId: string;
  agencyName: string;
}

interface Row {
  service_id: string;
  agency_id: string;
  agency_name: string;
  name: string;
  description: string;
  needs: ServiceDetails['needs'];
  languages: string[];
  regions: string[];
  gender: ServiceDetails['eligibility']['gender'];
  min_age: number | null;
  max_age: number | null;
  hours: ServiceDetails['hours'];
  accepting_referrals: boolean;
  response_window_hours: number;
  address: ServiceDetails['address'];
  address_confidential: boolean;
}

/**
 * Reads of the service directory. A confidential address leaves only to staff of the agency
 * that owns the service, and never through search.
 */
@Injectable()
export class DirectoryQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async search(
    filters: DirectorySearchDto,
  ): Promise<{ items: ServiceView[]; page: number; pageSize: number; total: number }> {
    const where = ["a.status = 'active'", 's.withdrawn = false'];
    const params: unknown[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filters.need) add((p) => `s.needs @> ARRAY[${p}]::text[]`, filters.need);
    if (filters.language) add((p) => `s.languages @> ARRAY[${p}]::text[]`, filters.language);
    if (filters.region) add((p) => `s.regions @> ARRAY[${p}]::text[]`, filters.region);
    if (filters.acceptingReferrals !== undefined)
      add((p) => `s.accepting_referrals = ${p}`, filters.acceptingReferrals);
    if (filters.gender) add((p) => `s.gender IN ('any', ${p})`, filters.gender);
    if (filters.age !== undefined)
      add((p) => `coalesce(s.min_age, 0) <= ${p} AND coalesce(s.max_age, 200) >= ${p}`, filters.age);
    const from = `FROM directory_services s JOIN network_agencies a ON a.agency_id = s.agency_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.db.query<Array<{ total: number }>>(`SELECT count(*)::int AS total ${from}`, params);
    const rows: Row[] = await this.db.query(
      `SELECT s.*, a.name AS agency_name ${from} ORDER BY s.name, s.service_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filters.pageSize, (filters.page - 1) * filters.pageSize],
    );
    return { items: rows.map((r) => toView(r, null)), page: filters.page, pageSize: filters.pageSize, total };
  }

  /** One service; its confidential address only for the owning agency's staff. */
  async get(serviceId: string, viewerAgencyId: string): Promise<ServiceView> {
    const rows: Row[] = await this.db.query(
      `SELECT s.*, a.name AS agency_name FROM directory_services s JOIN network_agencies a ON a.agency_id = s.agency_id
       WHERE s.service_id = $1 AND s.withdrawn = false`,
      [serviceId],
    );
    if (!rows[0]) throw new NotFound('Service', NetworkErrors.serviceNotFound);
    return toView(rows[0], viewerAgencyId);
  }

  /** Every listed service of one agency (for HSDS export). */
  async ofAgency(agencyId: string): Promise<ServiceView[]> {
    const rows: Row[] = await this.db.query(
      `SELECT s.*, a.name AS agency_name FROM directory_services s JOIN network_agencies a ON a.agency_id = s.agency_id
       WHERE s.agency_id = $1 AND s.withdrawn = false ORDER BY s.name`,
      [agencyId],
    );
    return rows.map((r) => toView(r, agencyId));
  }
}

function toView(r: Row, viewerAgencyId: string | null): ServiceView {
  const maySeeAddress = !r.address_confidential || r.agency_id === viewerAgencyId;
  return {
    serviceId: r.service_id,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    name: r.name,
    description: r.description,
    needs: r.needs,
    languages: r.languages,
    regions: r.regions,
    eligibility: { gender: r.gender, minAge: r.min_age, maxAge: r.max_age },
    hours: r.hours,
    acceptingReferrals: r.accepting_referrals,
    responseWindowHours: r.response_window_hours,
    address: maySeeAddress ? r.address : null,
    addressConfidential: r.address_confidential,
  };
}
