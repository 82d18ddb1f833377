import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `harbour_append_events`: the same append as `harbour_append` (same locks, same positions, same
 * hash chain, same checks, same errors), cheaper per event:
 *
 * - typed array parameters instead of one jsonb document: no parse of the whole append into a
 *   jsonb tree and no per-field extraction (`e->>'…'`) per event;
 * - the chain is computed in a loop over plain variables, then ALL events go in with ONE
 *   multi-row `INSERT … SELECT FROM unnest(…)` (one executor run, one trigger queue) instead of
 *   one INSERT statement per event;
 * - an existing stream's tail is moved with a plain UPDATE (no speculative insertion of
 *   `ON CONFLICT`), new streams are inserted; `harbour_streams` gets fillfactor 70 so those
 *   updates stay HOT (no new index entry, less WAL);
 * - the result is a row of scalars and arrays, not a jsonb object built and re-parsed.
 *
 * `harbour_append(jsonb, jsonb)` stays (same semantics) for any caller that still uses it.
 * Existing data needs no change: the tables are the same.
 */
export class EventStoreFastAppend1767700000000 implements MigrationInterface {
  name = 'EventStoreFastAppend1767700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE harbour_streams SET (fillfactor = 70)');
    await q.query(FAST_APPEND_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP FUNCTION harbour_append_events(text[], text[], integer[], uuid[], text[], integer[], jsonb[], jsonb[], timestamptz, bytea[], text, text, text, jsonb)',
    );
    await q.query('ALTER TABLE harbour_streams RESET (fillfactor)');
  }
}

/**
 * harbour_append_events(streams, expected, counts, event ids, types, schema versions, data,
 * metadata, recorded at, content hashes, idempotency scope, key, fingerprint, result).
 * Stream i owns the next counts[i] events of the event arrays, in order. Returns one row:
 * (duplicate, fingerprint, result) for an idempotency key already applied, else
 * (false, null, null, first version of each stream, position of the first event); the k-th
 * event of the whole append is at that position + k. Errors: HB409 (DETAIL is JSON), HB400.
 */
export const FAST_APPEND_FUNCTION = `
CREATE FUNCTION harbour_append_events(
  p_streams text[], p_expected text[], p_counts integer[],
  p_event_ids uuid[], p_types text[], p_schema_versions integer[], p_data jsonb[], p_metadata jsonb[],
  p_recorded_at timestamptz, p_content_hashes bytea[],
  p_idem_scope text, p_idem_key text, p_idem_fingerprint text, p_idem_result jsonb,
  OUT duplicate boolean, OUT prior_fingerprint text, OUT prior_result jsonb,
  OUT first_versions bigint[], OUT first_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  n_streams integer := cardinality(p_streams);
  n_events integer := cardinality(p_event_ids);
  v_key bigint;
  v_stream text;
  v_expected text;
  v_version bigint;
  v_hash bytea;
  v_exists boolean;
  v_wrong boolean;
  v_base bigint;
  v_index integer := 0;
  v_total bigint := 0;
  v_pos bigint;
  v_content bytea;
  v_prior record;
  v_positions bigint[] := '{}';
  v_stream_ids text[] := '{}';
  v_versions bigint[] := '{}';
  v_prev bytea[] := '{}';
  v_hashes bytea[] := '{}';
  v_new_streams text[] := '{}';
  v_new_versions bigint[] := '{}';
  v_new_hashes bytea[] := '{}';
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'harbour_append must be the first write of its transaction' USING ERRCODE = 'HB400';
  END IF;
  -- Plain expressions only (no query): plpgsql evaluates them without the SQL executor.
  FOR i IN 1 .. coalesce(cardinality(p_counts), 0) LOOP
    v_total := v_total + greatest(p_counts[i], 0);
  END LOOP;
  IF n_streams IS NULL OR n_streams = 0 OR n_events IS NULL OR n_events = 0
     OR cardinality(p_expected) <> n_streams OR cardinality(p_counts) <> n_streams
     OR v_total <> n_events OR cardinality(p_types) <> n_events OR cardinality(p_schema_versions) <> n_events
     OR cardinality(p_data) <> n_events OR cardinality(p_metadata) <> n_events
     OR cardinality(p_content_hashes) <> n_events THEN
    RAISE EXCEPTION 'malformed append' USING ERRCODE = 'HB400';
  END IF;
  IF n_events > 1048576 THEN
    RAISE EXCEPTION 'too many events in one transaction' USING ERRCODE = 'HB400';
  END IF;

  -- Lock every stream in a fixed order before this transaction is given an id: whoever
  -- locks a stream first also gets the lower transaction id, so a stream's versions rise
  -- with its positions.
  IF n_streams = 1 THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_streams[1], 0));
  ELSE
    FOR v_key IN SELECT DISTINCT hashtextextended(s, 0) AS k FROM unnest(p_streams) s ORDER BY k LOOP
      PERFORM pg_advisory_xact_lock(v_key);
    END LOOP;
  END IF;

  IF p_idem_key IS NOT NULL THEN
    SELECT fingerprint, result INTO v_prior FROM harbour_idempotency WHERE scope = p_idem_scope AND key = p_idem_key;
    IF FOUND THEN
      duplicate := true;
      prior_fingerprint := v_prior.fingerprint;
      prior_result := v_prior.result;
      RETURN;
    END IF;
  END IF;

  first_versions := '{}';
  FOR i IN 1 .. n_streams LOOP
    v_stream := p_streams[i];
    v_expected := p_expected[i];
    SELECT version, last_hash INTO v_version, v_hash FROM harbour_streams WHERE stream_id = v_stream;
    v_exists := FOUND;
    IF NOT v_exists THEN
      v_version := -1;
      v_hash := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    END IF;
    v_wrong := CASE v_expected
      WHEN 'any' THEN false
      WHEN 'no-stream' THEN v_exists
      WHEN 'stream-exists' THEN NOT v_exists
      ELSE v_version <> v_expected::bigint
    END;
    IF v_wrong THEN
      RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'HB409',
        DETAIL = json_build_object('streamId', v_stream, 'expected', v_expected, 'actual', v_version)::text;
    END IF;
    IF v_base IS NULL THEN
      v_base := harbour_position_base(pg_current_xact_id()::text::bigint);
    END IF;
    first_versions := first_versions || (v_version + 1);
    FOR j IN 1 .. p_counts[i] LOOP
      v_version := v_version + 1;
      v_pos := v_base | v_index;
      v_index := v_index + 1;
      v_content := p_content_hashes[v_index];
      v_positions := v_positions || v_pos;
      v_stream_ids := v_stream_ids || v_stream;
      v_versions := v_versions || v_version;
      v_prev := v_prev || v_hash;
      v_hash := sha256(v_hash || v_content || int8send(v_version) || int8send(v_pos) || convert_to(v_stream, 'UTF8'));
      v_hashes := v_hashes || v_hash;
    END LOOP;
    IF v_exists THEN
      UPDATE harbour_streams SET version = v_version, last_hash = v_hash WHERE stream_id = v_stream;
    ELSE
      v_new_streams := v_new_streams || v_stream;
      v_new_versions := v_new_versions || v_version;
      v_new_hashes := v_new_hashes || v_hash;
    END IF;
  END LOOP;

  INSERT INTO harbour_events (global_position, stream_id, stream_version, event_id, type, schema_version,
                              data, metadata, recorded_at, content_hash, prev_hash, hash)
    SELECT u.pos, u.sid, u.ver, u.eid, u.typ, u.sv, u.dat, u.meta, p_recorded_at, u.ch, u.prev, u.h
    FROM unnest(v_positions, v_stream_ids, v_versions, p_event_ids, p_types, p_schema_versions, p_data, p_metadata,
                p_content_hashes, v_prev, v_hashes) AS u(pos, sid, ver, eid, typ, sv, dat, meta, ch, prev, h);

  IF cardinality(v_new_streams) = 1 THEN
    INSERT INTO harbour_streams (stream_id, version, last_hash) VALUES (v_new_streams[1], v_new_versions[1], v_new_hashes[1]);
  ELSIF cardinality(v_new_streams) > 1 THEN
    INSERT INTO harbour_streams (stream_id, version, last_hash)
      SELECT * FROM unnest(v_new_streams, v_new_versions, v_new_hashes);
  END IF;

  IF p_idem_key IS NOT NULL THEN
    INSERT INTO harbour_idempotency (scope, key, fingerprint, result)
      VALUES (p_idem_scope, p_idem_key, p_idem_fingerprint, p_idem_result);
  END IF;

  duplicate := false;
  first_position := v_base;
END
$fn$`;
