import type { EntityManager } from 'typeorm';
import type { Decider, DomainEvent } from '../aggregates/decider.js';
import type { StoredEvent } from '../envelope.js';
import type { EventStore } from '../event-store.js';
import type { Projection } from '../projections/projection.js';
import { asDomainEvent } from './stream-history.js';

export interface SnapshotOptions<S, E extends DomainEvent> {
  /** Names the state's shape; change it when `evolve` changes so old snapshots are not reused. */
  kind: string;
  streamPrefix: string;
  eventTypes: readonly string[];
  folder: Pick<Decider<S, unknown, E>, 'initialState' | 'evolve'>;
  /** A snapshot after every this many events of a stream. */
  every: number;
}

/**
 * Writes a snapshot of a stream's state after every `every` events, in the projection's own
 * transaction (so snapshots and checkpoint move together). StreamHistory reads them.
 */
export class SnapshotProjection<S, E extends DomainEvent> implements Projection {
  readonly name: string;
  readonly eventTypes: readonly string[];

  constructor(
    private readonly store: EventStore,
    private readonly options: SnapshotOptions<S, E>,
  ) {
    this.name = `snapshots-${options.kind}`;
    this.eventTypes = options.eventTypes;
  }

  async apply(event: StoredEvent, m: EntityManager): Promise<void> {
    const { kind, streamPrefix, folder, every } = this.options;
    if (!event.streamId.startsWith(streamPrefix) || (event.streamVersion + 1) % every !== 0) return;
    const previous: Array<{ version: string; covers_until: Date; state: S }> = await m.query(
      `SELECT version::text AS version, covers_until, state FROM harbour_snapshots
       WHERE kind = $1 AND stream_id = $2 AND version < $3 ORDER BY harbour_snapshots.version DESC LIMIT 1`,
      [kind, event.streamId, event.streamVersion],
    );
    const from = previous.length ? Number(previous[0].version) + 1 : 0;
    const events = await this.store.readStream(event.streamId, from, event.streamVersion - from + 1);
    let state = previous.length ? previous[0].state : folder.initialState();
    let coversUntil = previous.length ? previous[0].covers_until.getTime() : 0;
    for (const e of events) {
      state = folder.evolve(state, asDomainEvent<E>(e));
      coversUntil = Math.max(coversUntil, e.recordedAt.getTime());
    }
    await m.query(
      `INSERT INTO harbour_snapshots (kind, stream_id, version, covers_until, state) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [kind, event.streamId, event.streamVersion, new Date(coversUntil), JSON.stringify(state)],
    );
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM harbour_snapshots WHERE kind = $1', [this.options.kind]);
  }
}
