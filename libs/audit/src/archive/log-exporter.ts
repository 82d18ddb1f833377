import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '@harbour/database';
import { CLOCK, type Clock } from '@harbour/kernel';
import { CHECKPOINT_SIGNED, type CheckpointV1, NOTARY_STREAM } from '../notary/checkpoint.events.js';
import { Notary } from '../notary/notary.service.js';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  type ArchivedEvent,
  type ArchivedStream,
  type ArchiveHeader,
  type ArchiveLine,
} from './archive-format.js';

const BATCH = 1000;

interface EventRow {
  global_position: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
  content_hash: Buffer;
  prev_hash: Buffer;
  hash: Buffer;
}

export interface ExportReport {
  events: number;
  streams: number;
  checkpoints: number;
  lastPosition: string;
}

/**
 * Writes the whole log as an archive (archive-format.ts) from one consistent snapshot (a
 * read-only repeatable-read transaction), in keyset-paged batches, waiting on the output
 * whenever it is full: memory stays flat whatever the size of the log.
 */
@Injectable()
export class LogExporter {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly notary: Notary,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async export(out: Writable): Promise<ExportReport> {
    const client = await this.pool.connect();
    const report: ExportReport = { events: 0, streams: 0, checkpoints: 0, lastPosition: '0' };
    const write = async (line: ArchiveLine) => {
      if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
    };
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await write(await this.header(client));
      let after = '-1';
      for (;;) {
        const { rows } = await client.query<EventRow>(
          `SELECT global_position::text AS global_position, stream_id, stream_version::text AS stream_version,
                  event_id::text AS event_id, type, schema_version, data, metadata, recorded_at, content_hash, prev_hash, hash
             FROM harbour_events WHERE global_position > $1 ORDER BY harbour_events.global_position LIMIT $2`,
          [after, BATCH],
        );
        for (const r of rows) {
          await write(eventLine(r));
          report.events++;
          if (r.stream_id === NOTARY_STREAM) report.checkpoints++;
        }
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1].global_position;
      }
      report.lastPosition = after === '-1' ? '0' : after;
      let afterStream: string | null = null;
      for (;;) {
        const { rows }: { rows: Array<{ stream_id: string; version: string; last_hash: Buffer }> } = await client.query(
          `SELECT stream_id, version::text AS version, last_hash FROM harbour_streams
            WHERE $1::text IS NULL OR stream_id > $1 ORDER BY stream_id LIMIT $2`,
          [afterStream, BATCH],
        );
        for (const r of rows) {
          const line: ArchivedStream = {
            kind: 'stream',
            streamId: r.stream_id,
            version: Number(r.version),
            lastHash: r.last_hash.toString('hex'),
          };
          await write(line);
          report.streams++;
        }
        if (rows.length < BATCH) break;
        afterStream = rows[rows.length - 1].stream_id;
      }
      await write({ kind: 'end', events: report.events, streams: report.streams });
      await client.query('COMMIT');
      return report;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Every key the checkpoints name, with its public half where a hand-over or this process knows it. */
  private async header(client: PoolClient): Promise<ArchiveHeader> {
    const { rows } = await client.query<{ data: CheckpointV1 }>(
      'SELECT data FROM harbour_events WHERE stream_id = $1 AND type = $2 ORDER BY stream_version',
      [NOTARY_STREAM, CHECKPOINT_SIGNED],
    );
    const keys = new Map<string, string | null>();
    const pem = (spkiBase64: string) =>
      `-----BEGIN PUBLIC KEY-----\n${spkiBase64.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    for (const { data: c } of rows) {
      if (!keys.has(c.keyId)) keys.set(c.keyId, null);
      if (c.handOver) {
        keys.set(c.keyId, pem(c.handOver.publicKey));
        keys.set(c.handOver.nextKeyId, pem(c.handOver.nextPublicKey));
      }
    }
    const own = await this.notary.keyPair().then(
      (k) => k.exportPublic(),
      () => null,
    );
    if (own) keys.set(own.keyId, own.publicKeyPem);
    return {
      kind: 'header',
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      exportedAt: this.clock.now().toISOString(),
      notaryKeys: [...keys].map(([keyId, publicKeyPem]) => ({ keyId, algorithm: 'Ed25519', publicKeyPem })),
    };
  }
}

const eventLine = (r: EventRow): ArchivedEvent => ({
  kind: 'event',
  globalPosition: r.global_position,
  streamId: r.stream_id,
  streamVersion: Number(r.stream_version),
  eventId: r.event_id,
  type: r.type,
  schemaVersion: r.schema_version,
  data: r.data,
  metadata: r.metadata,
  recordedAt: new Date(r.recorded_at).toISOString(),
  contentHash: r.content_hash.toString('hex'),
  prevHash: r.prev_hash.toString('hex'),
  hash: r.hash.toString('hex'),
});
