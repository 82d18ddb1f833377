import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Decider, DomainEvent } from '../aggregates/decider.js';
import type { StoredEvent } from '../envelope.js';
import { EventStore } from '../event-store.js';

type Folder<S, E extends DomainEvent> = Pick<Decider<S, unknown, E>, 'initialState' | 'evolve'>;

const PAGE = 500;

/**
 * A stream as it stood at a past instant: the longest prefix of its events recorded at or
 * before that instant (a prefix, so the answer is a state that really existed). Starts from the
 * newest snapshot that instant covers, so a long history costs at most one snapshot interval.
 */
@Injectable()
export class StreamHistory {
  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async asOf<S, E extends DomainEvent>(
    kind: string,
    streamId: string,
    folder: Folder<S, E>,
    at: Date,
  ): Promise<{ state: S; version: number }> {
    const rows: Array<{ version: string; state: S }> = await this.dataSource.query(
      `SELECT version::text AS version, state FROM harbour_snapshots
       WHERE kind = $1 AND stream_id = $2 AND covers_until <= $3 ORDER BY harbour_snapshots.version DESC LIMIT 1`,
      [kind, streamId, at],
    );
    let state = rows.length ? rows[0].state : folder.initialState();
    let version = rows.length ? Number(rows[0].version) : -1;
    for (;;) {
      const page = await this.store.readStream(streamId, version + 1, PAGE);
      for (const event of page) {
        if (event.recordedAt.getTime() > at.getTime()) return { state, version };
        state = folder.evolve(state, asDomainEvent<E>(event));
        version = event.streamVersion;
      }
      if (page.length < PAGE) return { state, version };
    }
  }
}

export const asDomainEvent = <E extends DomainEvent>(e: StoredEvent): E =>
  ({ type: e.type, data: e.data, schemaVersion: e.schemaVersion }) as unknown as E;
