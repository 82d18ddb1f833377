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
    const rows = await this.db.query(
      `SELECT user_id, agency_id, display_name, email, roles, active FROM network_staff WHERE agency_id = $1 ORDER BY display_name, user_id`,
      [agencyId],
    );
    return rows.map((r: Record<string, never>) => ({
      userId: r.user_id,
      agencyId: r.agency_id,
      displayName: r.display_name,
      email: r.email,
      roles: r.roles,
      active: r.active,
    }));
  }
}
