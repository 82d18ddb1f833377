import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface StaffView {
  userId: string;
  agencyId: string;
  displayName: string;
  email: string;
  roles: string[];
  active: boolean;
}

@Injectable()
export class StaffQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async ofAgency(agencyId: string): Promise<StaffView[]> {
    const rows = await this.db.query<
      Array<{
        user_id: string;
        agency_id: string;
        display_name: string;
        email: string;
        roles: string[];
        active: boolean;
      }>
    >(
      `SELECT user_id, agency_id, display_name, email, roles, active FROM network_staff WHERE agency_id = $1 ORDER BY display_name, user_id`,
      [agencyId],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      agencyId: r.agency_id,
      displayName: r.display_name,
      email: r.email,
      roles: r.roles,
      active: r.active,
    }));
  }

  /** Display names by user id (a survivor's exclusion names a staff member by id). */
  async names(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.query<Array<{ user_id: string; display_name: string }>>(
      'SELECT user_id, display_name FROM network_staff WHERE user_id = ANY($1::text[])',
      [[...new Set(userIds)]],
    );
    return new Map(rows.map((r) => [r.user_id, r.display_name]));
  }
}

/** One grant of case roles, as a privacy officer sees it (ids and role names only). */
export interface RoleGrantView {
  agencyId: string;
  userId: string;
  /** The case roles this act granted (roles already held are not repeated). */
  roles: string[];
  grantedBy: { userId: string; agencyId: string | null; role: string | null };
  grantedAt: string;
}

/** Case-role grants, newest first: one agency's, or every agency's for a network privacy officer. */
@Injectable()
export class RoleGrantQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(agencyId: string | null, limit: number): Promise<RoleGrantView[]> {
    const rows = await this.db.query<
      Array<{
        agency_id: string;
        user_id: string;
        roles: string[];
        granted_by: RoleGrantView['grantedBy'];
        granted_at: Date;
      }>
    >(
      `SELECT agency_id, user_id, roles, granted_by, granted_at FROM network_role_grants
       WHERE ($1::uuid IS NULL OR agency_id = $1) ORDER BY global_position DESC LIMIT $2`,
      [agencyId, limit],
    );
    return rows.map((r) => ({
      agencyId: r.agency_id,
      userId: r.user_id,
      roles: r.roles,
      grantedBy: r.granted_by,
      grantedAt: new Date(r.granted_at).toISOString(),
    }));
  }
}
