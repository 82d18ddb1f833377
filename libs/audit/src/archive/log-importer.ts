import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '@harbour/database';
import { NOTARY_STREAM } from '../notary/checkpoint.events.js';
import { AuditIntegrity, type FullIntegrityReport } from '../notary/audit-integrity.service.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchivedEvent, type ArchivedStream } from './archive-format.js';

const BATCH = 500;
const HEX32 = /^[0-9a-f]{64}$/;
const POSITION = /^[1-9][0-9]{0,18}$/;

export type ArchiveProblem =
  'not-empty' | 'not-an-archive' | 'malformed-line' | 'out-of-order' | 'truncated' | 'integrity-failed';

/**
 * The archive was not loaded and the database was left as it was (empty). The message names
 * line numbers, positions, stream ids and event ids only: never a payload, which may hold
 * survivor ciphertext.
 */
export class ArchiveRefused extends Error {
  constructor(
    readonly problem: ArchiveProblem,
    message: string,
    readonly report?: FullIntegrityReport,
  ) {
    super(message);
  }
}

export interface ImportReport {
  events: number;
  streams: number;
  checkpoints: number;
  /** Added to new positions so appends after the restore sort after it (position-shift.migrations.ts). */
  positionShift: string;
  integrity: FullIntegrityReport;
}

/**
 * Loads an archive into a database whose log is empty, in one transaction: the lines are
 * checked for shape and order and inserted in batches as they are read (memory stays flat),
 * then the very verifier behind `harbour verify` recomputes every hash chain and signed
 * checkpoint on what the transaction holds. Only a clean verdict commits; anything else rolls
 * back, leaving the log empty, and names the first bad event or line.
 */
@Injectable()
export class LogImporter {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly integrity: AuditIntegrity,
  ) {}

  async import(input: Readable, options: { publicKeyPem?: string } = {}): Promise<ImportReport> {
    // A read error before the lines are read (a missing file) must fail the import, not the process.
    const early: { error?: Error } = {};
    input.once('error', (error: Error) => (early.error ??= error));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Nothing may append while the log is being restored.
      await client.query('LOCK TABLE harbour_events, harbour_streams IN EXCLUSIVE MODE');
      const { rows } = await client.query<{ used: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM harbour_events) OR EXISTS (SELECT 1 FROM harbour_streams) AS used',
      );
      if (rows[0].used)
        throw new ArchiveRefused('not-empty', 'the database already holds events: import only into an empty database');
      if (early.error) throw early.error;
      const loaded = await this.load(client, input);
      const positionShift = await this.shiftPositions(client, loaded.lastPosition);
      const integrity = await this.integrity.verify({ client, publicKeyPem: options.publicKeyPem });
      if (!integrity.ok) throw new ArchiveRefused('integrity-failed', describe(integrity), integrity);
      await client.query('COMMIT');
      return {
        events: loaded.events,
        streams: loaded.streams,
        checkpoints: loaded.checkpoints,
        positionShift,
        integrity,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async load(client: PoolClient, input: Readable) {
    const lines = createInterface({ input, crlfDelay: Infinity });
    let n = 0;
    let header = false;
    let ended = false;
    let lastPosition = 0n;
    let events: ArchivedEvent[] = [];
    let streams: ArchivedStream[] = [];
    const counts = { events: 0, streams: 0, checkpoints: 0 };
    for await (const text of lines) {
      n++;
      if (text.trim() === '') continue;
      if (ended) throw new ArchiveRefused('malformed-line', `line ${n}: nothing may follow the end line`);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new ArchiveRefused('malformed-line', `line ${n} is not valid JSON`);
      }
      if (!header) {
        if (line.kind !== 'header' || line.format !== ARCHIVE_FORMAT)
          throw new ArchiveRefused('not-an-archive', `line 1 is not a ${ARCHIVE_FORMAT} header`);
        if (line.version !== ARCHIVE_VERSION)
          throw new ArchiveRefused('not-an-archive', `archive version ${String(line.version)} is not supported`);
        header = true;
        continue;
      }
      if (line.kind === 'event') {
        if (streams.length > 0 || counts.streams > 0)
          throw new ArchiveRefused('out-of-order', `line ${n}: an event after the stream lines`);
        const event = checkedEvent(line, n);
        const position = BigInt(event.globalPosition);
        if (position <= lastPosition)
          throw new ArchiveRefused(
            'out-of-order',
            `line ${n}: position ${event.globalPosition} is not after the one before`,
          );
        lastPosition = position;
        events.push(event);
        counts.events++;
        if (event.streamId === NOTARY_STREAM) counts.checkpoints++;
        if (events.length >= BATCH) events = await insertEvents(client, events);
      } else if (line.kind === 'stream') {
        if (events.length) events = await insertEvents(client, events);
        streams.push(checkedStream(line, n));
        counts.streams++;
        if (streams.length >= BATCH) streams = await insertStreams(client, streams);
      } else if (line.kind === 'end') {
        if (line.events !== counts.events || line.streams !== counts.streams)
          throw new ArchiveRefused(
            'truncated',
            `the end line counts ${String(line.events)} events and ${String(line.streams)} streams; the archive holds ${counts.events} and ${counts.streams}`,
          );
        ended = true;
      } else {
        throw new ArchiveRefused('malformed-line', `line ${n} is neither an event, a stream nor the end`);
      }
    }
    if (!header) throw new ArchiveRefused('not-an-archive', 'the file is empty');
    if (!ended)
      throw new ArchiveRefused('truncated', `the archive ends at line ${n} without its end line: it was cut off`);
    if (events.length) await insertEvents(client, events);
    if (streams.length) await insertStreams(client, streams);
    return { ...counts, lastPosition };
  }

  /**
   * Positions are transaction ids shifted left 20 bits; a server younger than the exporting one
   * would give new events positions below the restored ones (and readers would not see the
   * restored ones yet). The shift moves new positions past the archive's last one.
   */
  private async shiftPositions(client: PoolClient, lastPosition: bigint): Promise<string> {
    const { rows } = await client.query<{ shift: string }>(
      `UPDATE harbour_position_shift
          SET shift = greatest(shift, ($1::bigint >> 20) + 2 - pg_current_xact_id()::text::bigint)
        RETURNING shift::text AS shift`,
      [lastPosition.toString()],
    );
    return rows[0].shift;
  }
}

async function insertEvents(client: PoolClient, events: ArchivedEvent[]): Promise<ArchivedEvent[]> {
  await client.query(
    `INSERT INTO harbour_events (global_position, stream_id, stream_version, event_id, type, schema_version,
                                 data, metadata, recorded_at, content_hash, prev_hash, hash)
     SELECT (e->>'globalPosition')::bigint, e->>'streamId', (e->>'streamVersion')::bigint, (e->>'eventId')::uuid,
            e->>'type', (e->>'schemaVersion')::integer, e->'data', e->'metadata', (e->>'recordedAt')::timestamptz,
            decode(e->>'contentHash', 'hex'), decode(e->>'prevHash', 'hex'), decode(e->>'hash', 'hex')
       FROM jsonb_array_elements($1::jsonb) e`,
    [JSON.stringify(events)],
  );
  return [];
}

async function insertStreams(client: PoolClient, streams: ArchivedStream[]): Promise<ArchivedStream[]> {
  await client.query(
    `INSERT INTO harbour_streams (stream_id, version, last_hash)
     SELECT s->>'streamId', (s->>'version')::bigint, decode(s->>'lastHash', 'hex') FROM jsonb_array_elements($1::jsonb) s`,
    [JSON.stringify(streams)],
  );
  return [];
}

const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shape only (the verifier judges content): a wrong type or a missing field is named by field. */
function checkedEvent(l: Record<string, unknown>, n: number): ArchivedEvent {
  const bad = (field: string) =>
    new ArchiveRefused('malformed-line', `line ${n}: event field ${field} is missing or malformed`);
  if (!isText(l.globalPosition, 19) || !POSITION.test(l.globalPosition)) throw bad('globalPosition');
  if (!isText(l.streamId)) throw bad('streamId');
  if (!isCount(l.streamVersion)) throw bad('streamVersion');
  if (!isText(l.eventId, 36) || !UUID.test(l.eventId)) throw bad('eventId');
  if (!isText(l.type)) throw bad('type');
  if (!isCount(l.schemaVersion)) throw bad('schemaVersion');
  if (l.data === undefined || l.data === null) throw bad('data');
  if (typeof l.metadata !== 'object' || l.metadata === null) throw bad('metadata');
  if (!isText(l.recordedAt, 40) || Number.isNaN(Date.parse(l.recordedAt))) throw bad('recordedAt');
  for (const f of ['contentHash', 'prevHash', 'hash'] as const)
    if (!isText(l[f], 64) || !HEX32.test(l[f])) throw bad(f);
  return l as unknown as ArchivedEvent;
}

function checkedStream(l: Record<string, unknown>, n: number): ArchivedStream {
  const bad = (field: string) =>
    new ArchiveRefused('malformed-line', `line ${n}: stream field ${field} is missing or malformed`);
  if (!isText(l.streamId)) throw bad('streamId');
  if (!isCount(l.version)) throw bad('version');
  if (!isText(l.lastHash, 64) || !HEX32.test(l.lastHash)) throw bad('lastHash');
  return l as unknown as ArchivedStream;
}

function describe(report: FullIntegrityReport): string {
  const bad = report.firstBad!;
  if (bad.kind === 'event')
    return (
      `first bad event at global position ${bad.globalPosition} (stream ${bad.streamId}, version ${bad.streamVersion}` +
      `${bad.eventId ? `, event ${bad.eventId}` : ''}): ${bad.problem} (${bad.explanation})`
    );
  return `first bad checkpoint #${bad.sequence} (positions ${bad.fromPosition}..${bad.toPosition}): ${bad.problem} (${bad.explanation})`;
}
