import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outcome facts (issue 14): goals set and reached, check-ins kept, needs resolved — each row a
 * subject key, a month, a reporting region and a vocabulary word, never an id or a survivor's
 * words. `reports_outcome_state` is the projection's private memory per survivor (a digest, the
 * region, the goals and needs last seen as digests and words, the first goal dates).
 */
export class ReportsOutcomes1767500000001 implements MigrationInterface {
  name = 'ReportsOutcomes1767500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reports_outcome_state (
        survivor_ref bytea PRIMARY KEY,
        region text NOT NULL DEFAULT 'unknown',
        goals jsonb NOT NULL DEFAULT '{}'::jsonb,
        needs text[] NOT NULL DEFAULT '{}',
        first_goal_at timestamptz,
        first_reached_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE reports_goal_facts (
        fact_key uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_key uuid NOT NULL,
        month date NOT NULL,
        region text NOT NULL,
        category text NOT NULL,
        kind text NOT NULL,
        days_to_first_reached real
      )`);
    await q.query('CREATE INDEX reports_goal_facts_month ON reports_goal_facts (month)');
    await q.query(`
      CREATE TABLE reports_check_in_facts (
        fact_key uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_key uuid NOT NULL,
        month date NOT NULL,
        region text NOT NULL,
        needs_changed boolean NOT NULL
      )`);
    await q.query('CREATE INDEX reports_check_in_facts_month ON reports_check_in_facts (month)');
    await q.query(`
      CREATE TABLE reports_need_resolved_facts (
        fact_key uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_key uuid NOT NULL,
        month date NOT NULL,
        region text NOT NULL,
        category text NOT NULL
      )`);
    await q.query('CREATE INDEX reports_need_resolved_facts_month ON reports_need_resolved_facts (month)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'reports_need_resolved_facts',
      'reports_check_in_facts',
      'reports_goal_facts',
      'reports_outcome_state',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
