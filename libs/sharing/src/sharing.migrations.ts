import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `share_codes`: each code's metadata and life, for the care team's list, the issuing agency's
 * privacy officer and the survivor's disclosure report. Neither the code nor its hash is here:
 * redemption finds a code by loading its own stream (the id is derived from the hash).
 */
export class Sharing1767400000000 implements MigrationInterface {
  name = 'Sharing1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE share_codes (
        code_id uuid PRIMARY KEY,
        survivor_id uuid NOT NULL,
        status text NOT NULL,
        sections text[] NOT NULL,
        purposes text[] NOT NULL,
        language text NOT NULL,
        issued_by_user_id text NOT NULL,
        issued_by_agency_id text NOT NULL,
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        redeemed_by_user_id text,
        redeemed_by_agency_id text,
        redeemed_at timestamptz,
        consent_id uuid,
        revoked_by_user_id text,
        revoked_at timestamptz,
        version integer NOT NULL
      )`);
    await q.query('CREATE INDEX share_codes_survivor ON share_codes (survivor_id, issued_at)');
    await q.query('CREATE INDEX share_codes_issuer ON share_codes (issued_by_agency_id, issued_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE share_codes');
  }
}
