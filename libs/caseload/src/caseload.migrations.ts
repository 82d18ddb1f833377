import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `caseload_members`: who works each survivor's case by name; `caseload_agencies`: which
 * agencies are on the care team (their supervisors answer for the whole caseload). Opaque ids
 * only: nothing of the record is here.
 */
export class Caseload1767500000000 implements MigrationInterface {
  name = 'Caseload1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE caseload_members (
        survivor_id uuid NOT NULL,
        user_id text NOT NULL,
        agency_id text NOT NULL,
        joined_at timestamptz NOT NULL,
        PRIMARY KEY (survivor_id, user_id)
      )`);
    await q.query('CREATE INDEX caseload_members_user ON caseload_members (user_id, joined_at DESC)');
    await q.query(`
      CREATE TABLE caseload_agencies (
        survivor_id uuid NOT NULL,
        agency_id text NOT NULL,
        joined_at timestamptz NOT NULL,
        PRIMARY KEY (survivor_id, agency_id)
      )`);
    await q.query('CREATE INDEX caseload_agencies_agency ON caseload_agencies (agency_id, joined_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE caseload_agencies');
    await q.query('DROP TABLE caseload_members');
  }
}
