import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** One staff member the development sign-in offers (staff metadata only, never survivor data). */
export interface DevSignInUser {
  userId: string;
  displayName: string;
  agencyId: string;
  agencyName: string;
  roles: string[];
}

/** Reads the network's staff read model for the console's sign-in pages. */
@Injectable()
export class ConsoleQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Active staff of agencies not removed, by agency then name (the dev user picker). */
  async activeStaff(limit = 500): Promise<DevSignInUser[]> {
    const rows = await this.db.query<
      Array<{ user_id: string; display_name: string; agency_id: string; agency_name: string; roles: string[] }>
    >(
      `SELECT s.user_id, s.display_name, s.agency_id, a.name AS agency_name, s.roles
         FROM network_staff s JOIN network_agencies a ON a.agency_id = s.agency_id
        WHERE s.active AND a.status <> 'removed'
        ORDER BY a.name, s.display_name, s.user_id
        LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      displayName: r.display_name,
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      roles: r.roles,
    }));
  }

  async displayName(userId: string): Promise<string | null> {
    const rows = await this.db.query<Array<{ display_name: string }>>(
      'SELECT display_name FROM network_staff WHERE user_id = $1',
      [userId],
    );
    return rows[0]?.display_name ?? null;
  }
}
