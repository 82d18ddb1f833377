import type { Pool, PoolClient } from 'pg';
import type { EventMetadata } from '../envelope.js';
import { GENESIS_HASH, chainHash, contentHash } from '../hashing.js';

export type IntegrityProblem =
  'content-altered' | 'hash-altered' | 'chain-broken' | 'event-missing' | 'out-of-order' | 'stream-tail-missing';

export interface IntegrityFinding {
  problem: IntegrityProblem;
  globalPosition: string;
  streamId: string;
  streamVersion: number;
  eventId: string | null;
  explanation: string;
}

export interface IntegrityReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  /** The bad event with the lowest global position, if any. */
  firstBad: IntegrityFinding | null;
  findings: IntegrityFinding[];
}

interface Row {
  global_position: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  content_hash: Buffer;
  prev_hash: Buffer;
  hash: Buffer;
}

const EXPLAIN: Record<IntegrityProblem, string> = {
  'content-altered': 'the stored event no longer matches its content hash (payload, type or metadata changed)',
  'hash-altered': 'the stored chain hash does not match a recomputation',
  'chain-broken': 'the event does not link to the previous event of its stream',
  'event-missing': 'one or more events before this one are missing from the stream',
  'out-of-order': 'the event is positioned before an earlier event of its stream',
  'stream-tail-missing': 'events after this one were removed from the end of the stream',
};

/**
 * Recomputes every stream's hash chain from the rows alone and names the first bad event.
 * Streams are walked in (stream, version) order with keyset paging, so memory stays flat.
 * Given a client inside a transaction it checks what that transaction sees (`harbour log import`
 * verifies a restore before committing it).
 */
export async function verifyEventLog(
  pool: Pool | PoolClient,
  options: { batchSize?: number; maxFindings?: number } = {},
): Promise<IntegrityReport> {
  const batchSize = options.batchSize ?? 5000;
  const maxFindings = options.maxFindings ?? 100;
  const findings: IntegrityFinding[] = [];
  const tails = new Map<string, { version: number; hash: Buffer }>();
  const { rows: streamRows } = await pool.query<{ stream_id: string; version: string; last_hash: Buffer }>(
    'SELECT stream_id, version, last_hash FROM harbour_streams',
  );
  for (const s of streamRows) tails.set(s.stream_id, { version: Number(s.version), hash: s.last_hash });

  let eventsChecked = 0;
  let streamsChecked = 0;
  let current: { streamId: string; version: number; hash: Buffer; position: bigint; last: Row } | null = null;
  let cursor: [string, string] | null = null;

  const report = (problem: IntegrityProblem, row: Row) => {
    if (findings.length < maxFindings) {
      findings.push({
        problem,
        globalPosition: row.global_position,
        streamId: row.stream_id,
        streamVersion: Number(row.stream_version),
        eventId: row.event_id,
        explanation: EXPLAIN[problem],
      });
    }
  };
  const closeStream = () => {
    if (!current) return;
    streamsChecked++;
    const tail = tails.get(current.streamId);
    if (!tail || tail.version !== current.version || !tail.hash.equals(current.hash))
      report('stream-tail-missing', current.last);
    tails.delete(current.streamId);
  };

  for (;;) {
    // ORDER BY names the table's columns: the bare names would pick the text aliases, sorting version 10 before 2.
    const result = await pool.query<Row>(
      `SELECT global_position::text AS global_position, stream_id, stream_version::text AS stream_version,
              event_id::text AS event_id, type, schema_version, data, metadata, content_hash, prev_hash, hash
       FROM harbour_events
       WHERE $1::text IS NULL OR (stream_id, stream_version) > ($1::text, $2::bigint)
       ORDER BY harbour_events.stream_id, harbour_events.stream_version LIMIT $3`,
      [cursor?.[0] ?? null, cursor?.[1] ?? null, batchSize],
    );
    const rows: Row[] = result.rows;
    for (const row of rows) {
      eventsChecked++;
      if (!current || current.streamId !== row.stream_id) {
        closeStream();
        current = { streamId: row.stream_id, version: -1, hash: GENESIS_HASH, position: -1n, last: row };
      }
      const version = Number(row.stream_version);
      const position = BigInt(row.global_position);
      const content = contentHash({
        eventId: row.event_id,
        type: row.type,
        schemaVersion: row.schema_version,
        data: row.data,
        metadata: row.metadata,
      });
      if (!content.equals(row.content_hash)) report('content-altered', row);
      else if (version !== current.version + 1) report('event-missing', row);
      else if (!row.prev_hash.equals(current.hash)) report('chain-broken', row);
      else if (position <= current.position) report('out-of-order', row);
      else if (!chainHash(row.prev_hash, row.content_hash, version, position, row.stream_id).equals(row.hash))
        report('hash-altered', row);
      // Follow the stored chain from here on, so one bad event is reported once, not for every successor.
      current.version = version;
      current.hash = row.hash;
      current.position = position;
      current.last = row;
    }
    if (rows.length < batchSize) break;
    const last: Row = rows[rows.length - 1];
    cursor = [last.stream_id, last.stream_version];
  }
  closeStream();
  for (const [streamId, tail] of tails) {
    if (findings.length < maxFindings) {
      findings.push({
        problem: 'stream-tail-missing',
        globalPosition: '0',
        streamId,
        streamVersion: tail.version,
        eventId: null,
        explanation: 'every event of this stream is missing',
      });
    }
  }

  findings.sort((a, b) =>
    BigInt(a.globalPosition) < BigInt(b.globalPosition)
      ? -1
      : BigInt(a.globalPosition) > BigInt(b.globalPosition)
        ? 1
        : 0,
  );
  return { ok: findings.length === 0, eventsChecked, streamsChecked, firstBad: findings[0] ?? null, findings };
}
