import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * De-identified fact tables for analysts' reports, and the projections' private state.
 * Fact tables (`reports_*_facts`) hold no survivor id, no referral id, no agency id and no free
 * text: months, configured reporting regions, vocabulary values (need lists as a bit set,
 * bit i = NEED_CATEGORIES[i]: narrow rows, and a report by need counts without unnesting), and an opaque random
 * `subject_key` used only to count a survivor's facts while their consent permits statistics.
 * Private state (`reports_subjects`, `reports_consent_state`, `reports_referral_state`) links
 * events to those keys through SHA-256 digests of the ids; report queries never select from it
 * except to test `statistics` consent. All of it is rebuildable from the log.
 */
export class Reports1732800000000 implements MigrationInterface {
  name = 'Reports1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reports_subjects (survivor_ref bytea PRIMARY KEY, subject_key uuid NOT NULL UNIQUE)`);
    await q.query(`
      CREATE TABLE reports_consent_state (
        consent_ref bytea PRIMARY KEY,
        subject_key uuid NOT NULL,
        purposes text[] NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        revoked boolean NOT NULL DEFAULT false
      )`);
    // Covering, so the per-report "permits statistics now" test can be an index-only scan.
    await q.query(
      `CREATE INDEX reports_consent_state_statistics ON reports_consent_state (subject_key) INCLUDE (valid_from, valid_until) WHERE 'statistics' = ANY (purposes) AND NOT revoked`,
    );
    await q.query(
      `CREATE TABLE reports_referral_state (referral_ref bytea PRIMARY KEY, fact_key uuid NOT NULL, requested_at timestamptz NOT NULL)`,
    );
    await q.query(`
      CREATE TABLE reports_referral_facts (
        fact_key uuid PRIMARY KEY,
        subject_key uuid NOT NULL,
        month date NOT NULL,
        region text NOT NULL,
        sector text NOT NULL,
        urgency text NOT NULL,
        language text NOT NULL,
        need_bits integer NOT NULL,
        acknowledged boolean NOT NULL DEFAULT false,
        accepted boolean NOT NULL DEFAULT false,
        declined_reason text,
        expired boolean NOT NULL DEFAULT false,
        withdrawn boolean NOT NULL DEFAULT false,
        handoff_completed boolean NOT NULL DEFAULT false,
        days_to_accept real,
        days_to_handoff real
      )`);
    await q.query('CREATE INDEX reports_referral_facts_month ON reports_referral_facts (month)');
    await q.query(`
      CREATE TABLE reports_consent_facts (
        fact_key uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_key uuid NOT NULL,
        month date NOT NULL,
        purpose text NOT NULL,
        change text NOT NULL
      )`);
    await q.query('CREATE INDEX reports_consent_facts_month ON reports_consent_facts (month)');
    await q.query(`
      CREATE TABLE reports_need_facts (
        subject_key uuid NOT NULL,
        category text NOT NULL,
        urgency text NOT NULL,
        month date NOT NULL,
        PRIMARY KEY (subject_key, category)
      )`);
    await q.query(`
      CREATE TABLE reports_notice_facts (
        fact_key uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        month date NOT NULL,
        region text NOT NULL,
        need_bits integer NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'reports_notice_facts',
      'reports_need_facts',
      'reports_consent_facts',
      'reports_referral_facts',
      'reports_referral_state',
      'reports_consent_state',
      'reports_subjects',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
