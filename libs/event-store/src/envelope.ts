import type { Actor } from '@harbour/kernel';

/**
 * What a caller expects of a stream before appending:
 * `any` — no check; `no-stream` — the stream must not exist; `stream-exists` — it must;
 * a number — the version of the stream's last event (versions start at 0).
 */
export type ExpectedVersion = 'any' | 'no-stream' | 'stream-exists' | number;

/** An event to append: a past-tense fact with a versioned payload schema. */
export interface NewEvent<T = unknown> {
  type: string;
  data: T;
  /** Payload schema version (default 1). */
  schemaVersion?: number;
  /** Supplied when the caller must know the id before the append (default: random). */
  eventId?: string;
}

/** Why and by whom events are appended; the same for every event of one append. */
export interface AppendContext {
  actor: Actor;
  requestId?: string | null;
  correlationId?: string | null;
  causationId?: string | null;
}

export interface EventMetadata {
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  requestId: string | null;
  recordedAt: string;
}

/** One stored event with its envelope. */
export interface StoredEvent<T = unknown> {
  eventId: string;
  type: string;
  /** Schema version of `data` as returned (after upcasting). */
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  /** Strictly increasing in the order events become visible to readers of "all" (not dense). */
  globalPosition: bigint;
  recordedAt: Date;
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  requestId: string | null;
  data: T;
}

export interface AppendResult {
  streamId: string;
  /** Version of the stream's last event after the append. */
  nextExpectedVersion: number;
  events: StoredEvent[];
}

export interface StreamAppend {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEvent[];
}

/** Stored together with the events, so a repeated command can return its first result. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  /** Hash of the command, to refuse a key reused for a different command. */
  fingerprint: string;
  result: unknown;
}

export interface ReadAllBatch {
  events: StoredEvent[];
  /** Every event at or below this position has been considered (use it as the checkpoint). */
  checkpoint: bigint;
}
