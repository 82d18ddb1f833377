import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Snapshots of stream states at fixed version intervals, for reads "as of" a past instant.
 * Derived data like any read model: deleting them loses nothing (a rebuild writes them again).
 */
export class StreamSnapshots1763900000000 implements MigrationInterface {
  name = 'StreamSnapshots1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE harbour_snapshots (
        kind text NOT NULL,
        stream_id text NOT NULL,
        version bigint NOT NULL,
        -- The latest recorded_at among the folded events: the snapshot serves any instant from here on.
        covers_until timestamptz NOT NULL,
        state jsonb NOT NULL,
        PRIMARY KEY (kind, stream_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE harbour_snapshots');
  }
}
