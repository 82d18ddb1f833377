import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '../envelope.js';

/**
 * A named read model fed by the log. `apply` runs inside the transaction that also moves the
 * checkpoint, so a batch's read-model changes and its checkpoint commit together or not at all.
 */
export interface Projection {
  readonly name: string;
  /** Only these event types are delivered (default: all). */
  readonly eventTypes?: readonly string[];
  /** For consumers of busy event types: wait this long after a short batch (see SubscribeOptions.lingerMs). */
  readonly lingerMs?: number;
  /**
   * Most events per transaction while following the log (default 500). A busy projection sets
   * a smaller one: each batch is applied in one stretch of the event loop, which every request
   * waiting on the same process pays for in latency. Rebuilds (catchUp) use 500 regardless.
   */
  readonly batchSize?: number;
  apply(event: StoredEvent, manager: EntityManager): Promise<void>;
  /** Optional: apply a whole batch at once (e.g. one multi-row INSERT); used instead of `apply` when present. */
  applyBatch?(events: StoredEvent[], manager: EntityManager): Promise<void>;
  /** Remove everything this projection wrote, before a rebuild from zero. */
  reset(manager: EntityManager): Promise<void>;
}

export type ProjectionState = 'stopped' | 'running' | 'failed';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  checkpoint: string;
  /** Events in the log after the checkpoint. */
  lag: number;
  /** Where and why it failed (no event data). */
  failure: { globalPosition: string; eventType: string; error: Record<string, unknown> } | null;
}
