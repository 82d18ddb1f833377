import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_FUNCTION } from './migrations.js';

/**
 * Positions come from transaction ids, and a restored log (`harbour log import`) may come from a
 * server whose transaction ids ran far ahead of the new one's. `harbour_position_shift` holds
 * how far ahead: new positions and the readers' visibility bound both add it, so events
 * appended after a restore still sort after every restored one and readers see them all. It is
 * 0 except after an import into a younger server, and it only ever grows.
 */
export class EventStorePositionShift1767400000000 implements MigrationInterface {
  name = 'EventStorePositionShift1767400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE harbour_position_shift (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        shift bigint NOT NULL DEFAULT 0 CHECK (shift >= 0)
      )`);
    await q.query('INSERT INTO harbour_position_shift DEFAULT VALUES');
    // The first position a transaction with this id would get; readers take positions below it for xmin.
    await q.query(`
      CREATE FUNCTION harbour_position_base(p_xid bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
        SELECT (p_xid + (SELECT shift FROM harbour_position_shift)) << 20
      $$`);
    await q.query(`
      CREATE FUNCTION harbour_visible_bound() RETURNS bigint LANGUAGE sql STABLE AS $$
        SELECT harbour_position_base(pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
      $$`);
    await q.query(
      APPEND_FUNCTION.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION').replace(
        'pg_current_xact_id()::text::bigint << 20',
        'harbour_position_base(pg_current_xact_id()::text::bigint)',
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(APPEND_FUNCTION.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
    await q.query('DROP FUNCTION harbour_visible_bound(), harbour_position_base(bigint)');
    await q.query('DROP TABLE harbour_position_shift');
  }
}
