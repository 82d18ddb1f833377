import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `intake_retention`: per survivor, when their record was last active and which sections hold
 * content, for the retention job and its dry run; `erased` once the whole record is. No content,
 * only ids, section names and times.
 */
export class IntakeRetention1767300000000 implements MigrationInterface {
  name = 'IntakeRetention1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake_retention (
        survivor_id text PRIMARY KEY,
        care_team_agency_ids text[] NOT NULL DEFAULT '{}',
        last_active_at timestamptz NOT NULL,
        sections text[] NOT NULL DEFAULT '{}',
        erased_sections text[] NOT NULL DEFAULT '{}',
        erased boolean NOT NULL DEFAULT false
      )`);
    await q.query('CREATE INDEX intake_retention_active ON intake_retention (last_active_at) WHERE NOT erased');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE intake_retention');
  }
}
