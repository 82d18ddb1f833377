import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `match_encodings`: each survivor's identity encoding (128 bytes, keyed Bloom filter; never the
 * key, never a name), its status (`active`, `linked`: a duplicate closed by a link, `erased`:
 * the encoding is gone) and a sequence number the in-process index refreshes from.
 */
export class Matching1767500000000 implements MigrationInterface {
  name = 'Matching1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SEQUENCE match_encodings_seq');
    await q.query(`
      CREATE TABLE match_encodings (
        survivor_id uuid PRIMARY KEY,
        encoding bytea,
        status text NOT NULL,
        seq bigint NOT NULL DEFAULT nextval('match_encodings_seq'),
        CHECK (status <> 'erased' OR encoding IS NULL)
      )`);
    await q.query('CREATE INDEX match_encodings_seq_idx ON match_encodings (seq)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE match_encodings');
    await q.query('DROP SEQUENCE match_encodings_seq');
  }
}
