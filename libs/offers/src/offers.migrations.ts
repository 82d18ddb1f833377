import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `offers`: every offer's terms and status, for the network's list and suggestions.
 * `offer_requests`: every request, for the partner's inbox (notice-level columns only are ever
 * selected for it), the care team's list and the expiry sweep. `survivor_id` is here for the
 * care team's own view and is never selected by a partner-facing query.
 */
export class Offers1767612000000 implements MigrationInterface {
  name = 'Offers1767612000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE offers (
        offer_id uuid PRIMARY KEY,
        agency_id text NOT NULL,
        sector text NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        quantity integer NOT NULL,
        per text NOT NULL,
        regions text[] NOT NULL,
        conditions jsonb NOT NULL,
        handover text NOT NULL,
        needs text[] NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        response_days integer NOT NULL,
        status text NOT NULL,
        published_by_user_id text NOT NULL,
        published_at timestamptz NOT NULL,
        withdrawn_at timestamptz,
        version integer NOT NULL
      )`);
    await q.query('CREATE INDEX offers_agency ON offers (agency_id, published_at)');
    await q.query("CREATE INDEX offers_open ON offers (valid_until) WHERE status = 'published'");
    await q.query(`
      CREATE TABLE offer_requests (
        request_id uuid PRIMARY KEY,
        offer_id uuid NOT NULL,
        offer_agency_id text NOT NULL,
        kind text NOT NULL,
        survivor_id uuid NOT NULL,
        need text NOT NULL,
        quantity integer NOT NULL,
        region text NOT NULL,
        needed_by date,
        handover text NOT NULL,
        handover_to text NOT NULL,
        requested_by_user_id text NOT NULL,
        requested_by_agency_id text NOT NULL,
        requested_at timestamptz NOT NULL,
        period text NOT NULL,
        respond_by timestamptz NOT NULL,
        status text NOT NULL,
        decline_reason text,
        answered_at timestamptz,
        fulfilled_at timestamptz,
        confirmed_at timestamptz,
        closed_at timestamptz,
        version integer NOT NULL
      )`);
    await q.query('CREATE INDEX offer_requests_offer ON offer_requests (offer_id, period)');
    await q.query('CREATE INDEX offer_requests_partner ON offer_requests (offer_agency_id, requested_at DESC)');
    await q.query('CREATE INDEX offer_requests_survivor ON offer_requests (survivor_id, requested_at)');
    await q.query("CREATE INDEX offer_requests_due ON offer_requests (respond_by) WHERE status = 'requested'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE offer_requests');
    await q.query('DROP TABLE offers');
  }
}
