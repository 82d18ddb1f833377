import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facts of the in-kind offers (libs/offers) for the `offers` and `offer-requests` reports: no
 * offer, request, agency or survivor id and no text; the private state links events to facts
 * through SHA-256 digests of the ids, as for referrals.
 */
export class ReportsOffers1767612500000 implements MigrationInterface {
  name = 'ReportsOffers1767612500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE reports_offer_state (ref bytea PRIMARY KEY)');
    await q.query('CREATE TABLE reports_offer_request_state (ref bytea PRIMARY KEY, fact_key uuid NOT NULL)');
    await q.query(`
      CREATE TABLE reports_offer_facts (
        fact_key uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        month date NOT NULL,
        kind text NOT NULL,
        region text NOT NULL,
        sector text NOT NULL
      )`);
    await q.query('CREATE INDEX reports_offer_facts_month ON reports_offer_facts (month)');
    await q.query(`
      CREATE TABLE reports_offer_request_facts (
        fact_key uuid PRIMARY KEY,
        subject_key uuid NOT NULL,
        month date NOT NULL,
        kind text NOT NULL,
        region text NOT NULL,
        sector text NOT NULL,
        approved boolean NOT NULL DEFAULT false,
        declined boolean NOT NULL DEFAULT false,
        given boolean NOT NULL DEFAULT false,
        received boolean NOT NULL DEFAULT false,
        expired boolean NOT NULL DEFAULT false,
        withdrawn boolean NOT NULL DEFAULT false
      )`);
    await q.query('CREATE INDEX reports_offer_request_facts_month ON reports_offer_request_facts (month)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'reports_offer_request_facts',
      'reports_offer_facts',
      'reports_offer_request_state',
      'reports_offer_state',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
