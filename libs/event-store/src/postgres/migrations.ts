import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only log. Global positions are (transaction id << 20) | index in the transaction,
 * so they rise in the order transactions become safely visible; a reader takes only positions
 * below the oldest running transaction (pg_snapshot_xmin) and so never skips a late commit.
 * Appends lock their streams with advisory locks *before* the transaction gets an id, which
 * keeps every stream's versions in position order.
 */
export class EventStore1732300000000 implements MigrationInterface {
  name = 'EventStore1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE harbour_streams (
        stream_id text PRIMARY KEY,
        version bigint NOT NULL,
        last_hash bytea NOT NULL
      )`);
    await q.query(`
      CREATE TABLE harbour_events (
        global_position bigint PRIMARY KEY,
        stream_id text NOT NULL,
        stream_version bigint NOT NULL,
        event_id uuid NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        content_hash bytea NOT NULL,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL,
        CONSTRAINT harbour_events_stream_version UNIQUE (stream_id, stream_version)
      )`);
    await q.query(`
      CREATE TABLE harbour_idempotency (
        scope text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        result jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`
      CREATE TABLE harbour_checkpoints (
        name text PRIMARY KEY,
        position bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The log is append-only: changing or removing history needs a deliberate act by a
    // database owner (disabling this trigger), and even then verify() names the damage.
    await q.query(`
      CREATE FUNCTION harbour_events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'harbour_events is append-only' USING ERRCODE = 'HB403';
      END $$`);
    await q.query(`
      CREATE TRIGGER harbour_events_no_update BEFORE UPDATE OR DELETE ON harbour_events
      FOR EACH ROW EXECUTE FUNCTION harbour_events_are_immutable()`);
    await q.query(`
      CREATE TRIGGER harbour_events_no_truncate BEFORE TRUNCATE ON harbour_events
      FOR EACH STATEMENT EXECUTE FUNCTION harbour_events_are_immutable()`);
    await q.query(APPEND_FUNCTION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION harbour_append(jsonb, jsonb)');
    await q.query('DROP TABLE harbour_checkpoints, harbour_idempotency, harbour_events, harbour_streams');
    await q.query('DROP FUNCTION harbour_events_are_immutable()');
  }
}

/**
 * harbour_append(appends, idempotency) in one round trip.
 * appends: [{streamId, expected, events: [{eventId, type, schemaVersion, data, metadata,
 * recordedAt, contentHash(hex)}]}]; idempotency: {scope, key, fingerprint, result} or null.
 * Returns {duplicate: true, fingerprint, result} or {duplicate: false, appends: [...]}.
 * Errors: HB409 wrong expected version (DETAIL is JSON), HB400 bad call.
 */
export const APPEND_FUNCTION = `
CREATE FUNCTION harbour_append(p_appends jsonb, p_idempotency jsonb DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  a jsonb;
  e jsonb;
  v_key bigint;
  v_stream text;
  v_expected text;
  v_version bigint;
  v_first_version bigint;
  v_hash bytea;
  v_new_hash bytea;
  v_exists boolean;
  v_wrong boolean;
  v_base bigint;
  v_index bigint := 0;
  v_pos bigint;
  v_first_pos bigint;
  v_content bytea;
  v_prior record;
  v_results jsonb := '[]'::jsonb;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'harbour_append must be the first write of its transaction' USING ERRCODE = 'HB400';
  END IF;

  -- Lock every stream in a fixed order before this transaction is given an id.
  FOR v_key IN
    SELECT DISTINCT hashtextextended(x->>'streamId', 0) AS k FROM jsonb_array_elements(p_appends) x ORDER BY k
  LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;

  IF p_idempotency IS NOT NULL THEN
    SELECT fingerprint, result INTO v_prior FROM harbour_idempotency
      WHERE scope = p_idempotency->>'scope' AND key = p_idempotency->>'key';
    IF FOUND THEN
      RETURN jsonb_build_object('duplicate', true, 'fingerprint', v_prior.fingerprint, 'result', v_prior.result);
    END IF;
  END IF;

  FOR a IN SELECT * FROM jsonb_array_elements(p_appends) LOOP
    v_stream := a->>'streamId';
    v_expected := a->>'expected';
    SELECT version, last_hash INTO v_version, v_hash FROM harbour_streams WHERE stream_id = v_stream;
    v_exists := FOUND;
    IF NOT v_exists THEN
      v_version := -1;
      v_hash := decode(repeat('00', 32), 'hex');
    END IF;
    v_wrong := CASE v_expected
      WHEN 'any' THEN false
      WHEN 'no-stream' THEN v_exists
      WHEN 'stream-exists' THEN NOT v_exists
      ELSE v_version <> v_expected::bigint
    END;
    IF v_wrong THEN
      RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'HB409',
        DETAIL = jsonb_build_object('streamId', v_stream, 'expected', v_expected, 'actual', v_version)::text;
    END IF;

    IF v_base IS NULL THEN
      v_base := pg_current_xact_id()::text::bigint << 20;
    END IF;
    v_first_version := v_version + 1;
    v_first_pos := NULL;
    FOR e IN SELECT * FROM jsonb_array_elements(a->'events') LOOP
      IF v_index >= 1048576 THEN
        RAISE EXCEPTION 'too many events in one transaction' USING ERRCODE = 'HB400';
      END IF;
      v_version := v_version + 1;
      v_pos := v_base | v_index;
      v_index := v_index + 1;
      v_first_pos := coalesce(v_first_pos, v_pos);
      v_content := decode(e->>'contentHash', 'hex');
      v_new_hash := sha256(v_hash || v_content || int8send(v_version) || int8send(v_pos) || convert_to(v_stream, 'UTF8'));
      INSERT INTO harbour_events (global_position, stream_id, stream_version, event_id, type, schema_version,
                                  data, metadata, recorded_at, content_hash, prev_hash, hash)
      VALUES (v_pos, v_stream, v_version, (e->>'eventId')::uuid, e->>'type', (e->>'schemaVersion')::integer,
              e->'data', e->'metadata', (e->>'recordedAt')::timestamptz, v_content, v_hash, v_new_hash);
      v_hash := v_new_hash;
    END LOOP;

    INSERT INTO harbour_streams (stream_id, version, last_hash) VALUES (v_stream, v_version, v_hash)
      ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, last_hash = EXCLUDED.last_hash;
    v_results := v_results || jsonb_build_object('streamId', v_stream, 'firstVersion', v_first_version,
      'lastVersion', v_version, 'firstPosition', v_first_pos::text);
  END LOOP;

  IF p_idempotency IS NOT NULL THEN
    INSERT INTO harbour_idempotency (scope, key, fingerprint, result)
      VALUES (p_idempotency->>'scope', p_idempotency->>'key', p_idempotency->>'fingerprint', p_idempotency->'result');
  END IF;

  RETURN jsonb_build_object('duplicate', false, 'appends', v_results);
END
$fn$`;
