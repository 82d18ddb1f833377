import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One data key per survivor, stored only wrapped (AES-256-GCM under a master key):
 * wrapped_key = iv (12) || tag (16) || ciphertext (32). Erasure keeps the row (so the survivor's
 * key can never be created again and the erasure is on record) but zeroes wrapped_key.
 */
export class Privacy1732500000000 implements MigrationInterface {
  name = 'Privacy1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE privacy_data_keys (
        survivor_id text PRIMARY KEY,
        key_id text NOT NULL UNIQUE,
        wrapped_key bytea NOT NULL,
        master_key_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rewrapped_at timestamptz,
        destroyed_at timestamptz,
        CONSTRAINT privacy_data_keys_destroyed_zeroed
          CHECK (destroyed_at IS NULL OR wrapped_key = decode(repeat('00', length(wrapped_key)), 'hex'))
      )`);
    await q.query(
      'CREATE INDEX privacy_data_keys_master ON privacy_data_keys (master_key_id) WHERE destroyed_at IS NULL',
    );
    // Erasure is final: a destroyed key's row can no longer be changed (no "un-erasing").
    await q.query(`
      CREATE FUNCTION privacy_destroyed_keys_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'privacy_data_keys: a destroyed data key cannot be changed' USING ERRCODE = 'HB403';
      END $$`);
    await q.query(`
      CREATE TRIGGER privacy_data_keys_destroyed_final BEFORE UPDATE ON privacy_data_keys
      FOR EACH ROW WHEN (OLD.destroyed_at IS NOT NULL) EXECUTE FUNCTION privacy_destroyed_keys_are_final()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE privacy_data_keys');
    await q.query('DROP FUNCTION privacy_destroyed_keys_are_final()');
  }
}
