import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `console_sessions`: one row per signed-in console session, keyed by the SHA-256 of the
 * cookie's random 256-bit id (the id itself is never stored). The access token is sealed with
 * AES-256-GCM under a key derived from the master key; the CSRF token is useless without the cookie.
 */
export class Console1767600000000 implements MigrationInterface {
  name = 'Console1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sessions (
        id_hash bytea PRIMARY KEY,
        user_id text NOT NULL,
        agency_id text NOT NULL,
        master_key_id text NOT NULL,
        sealed_tokens jsonb NOT NULL,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)');
    await q.query('CREATE INDEX console_sessions_user ON console_sessions (user_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE console_sessions');
  }
}
