import { Injectable } from '@nestjs/common';
import { EventStore } from '../event-store.js';
import type { Decider, DomainEvent } from './decider.js';

interface Cached {
  version: number;
  state: unknown;
}

/**
 * Strictly current aggregate state for hot read paths (e.g. the per-request staff and agency
 * check): one query for the streams' versions, then only the events not yet folded are read.
 * Unlike a projection this is never behind, so a suspension bites on the very next request.
 */
@Injectable()
export class CurrentState {
  private readonly cache = new Map<string, Cached>();
  private static readonly MAX_ENTRIES = 50_000;
  /** States are cached per stream AND per fold: two contexts may fold one stream into different shapes. */
  private readonly folds = new WeakMap<object, number>();
  private nextFold = 0;

  constructor(private readonly store: EventStore) {}

  /** Current states of several streams of one aggregate kind (missing streams get the initial state). */
  async loadMany<S, E extends DomainEvent>(
    streamIds: readonly string[],
    decider: Pick<Decider<S, unknown, E>, 'initialState' | 'evolve'>,
    /** Versions already read in the same request (see `versions`), to save the round trip. */
    known?: Map<string, number>,
  ): Promise<Map<string, { state: S; version: number }>> {
    const versions = known ?? (await this.store.streamVersions(streamIds));
    const result = new Map<string, { state: S; version: number }>();
    let fold = this.folds.get(decider);
    if (fold === undefined) this.folds.set(decider, (fold = this.nextFold++));
    for (const streamId of streamIds) {
      const version = versions.get(streamId) ?? -1;
      const key = `${fold}|${streamId}`;
      let cached = this.cache.get(key);
      if (!cached || cached.version > version) cached = { version: -1, state: decider.initialState() };
      if (cached.version < version) {
        const events = await this.store.readStream(streamId, cached.version + 1);
        const state = events.reduce(
          (s, e) => decider.evolve(s, { type: e.type, data: e.data, schemaVersion: e.schemaVersion } as E),
          cached.state as S,
        );
        cached = { version: events.length ? events[events.length - 1].streamVersion : cached.version, state };
        if (this.cache.size >= CurrentState.MAX_ENTRIES) this.cache.clear();
        this.cache.set(key, cached);
      }
      result.set(streamId, { state: cached.state as S, version: cached.version });
    }
    return result;
  }

  async load<S, E extends DomainEvent>(
    streamId: string,
    decider: Pick<Decider<S, unknown, E>, 'initialState' | 'evolve'>,
    known?: Map<string, number>,
  ): Promise<{ state: S; version: number }> {
    return (await this.loadMany([streamId], decider, known)).get(streamId)!;
  }

  /** One query for the current versions of streams of different kinds, to pass to `load`. */
  versions(streamIds: readonly string[]): Promise<Map<string, number>> {
    return this.store.streamVersions(streamIds);
  }
}
