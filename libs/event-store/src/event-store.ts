import type {
  AppendContext,
  AppendResult,
  ExpectedVersion,
  IdempotencyRecord,
  NewEvent,
  ReadAllBatch,
  StoredEvent,
  StreamAppend,
} from './envelope.js';

export interface AppendOptions {
  /** Recorded with the events in the same transaction (see AggregateRepository). */
  idempotency?: IdempotencyRecord;
}

/** Returned instead of an append when the idempotency key was already applied. */
export interface DuplicateCommand {
  duplicate: true;
  fingerprint: string;
  result: unknown;
}

export interface ReadAllOptions {
  limit?: number;
  /** Only these event types (the checkpoint still moves past the others). */
  types?: readonly string[];
}

export interface SubscribeOptions extends ReadAllOptions {
  /** Deliver events after this position (0n: from the beginning). */
  from: bigint;
  /** Called with each batch in global order; the subscription waits for it. */
  onEvents(events: StoredEvent[], checkpoint: bigint): Promise<void>;
  /**
   * After a batch smaller than `limit`, wait this long before reading on (default 0): a
   * consumer of a busy event type then handles fewer, larger batches (less work per event).
   */
  lingerMs?: number;
  /** Called once if onEvents throws; the subscription has then stopped. */
  onError?(error: unknown): void;
}

export interface Subscription {
  /** Position up to which events have been handled. */
  readonly checkpoint: bigint;
  readonly running: boolean;
  stop(): Promise<void>;
}

/**
 * The port every bounded context writes through. Adapters: PostgreSQL (default) and
 * KurrentDB. All appends are atomic; readers of "all" never skip an event.
 */
export abstract class EventStore {
  abstract append(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    context: AppendContext,
    options?: AppendOptions,
  ): Promise<AppendResult | DuplicateCommand>;

  /** Atomic append to several streams (all or nothing). */
  abstract appendMany(
    appends: StreamAppend[],
    context: AppendContext,
    options?: AppendOptions,
  ): Promise<AppendResult[] | DuplicateCommand>;

  abstract readStream(streamId: string, fromVersion?: number, limit?: number): Promise<StoredEvent[]>;

  /** Events after `after`, in global order, only once every earlier transaction has finished. */
  abstract readAll(after: bigint, options?: ReadAllOptions): Promise<ReadAllBatch>;

  abstract subscribe(options: SubscribeOptions): Subscription;

  /** The current version of each existing stream among `streamIds` (missing streams are absent). */
  abstract streamVersions(streamIds: readonly string[]): Promise<Map<string, number>>;

  /** The stored outcome of an idempotent command, if that key was already applied. */
  abstract findIdempotencyRecord(scope: string, key: string): Promise<{ fingerprint: string; result: unknown } | null>;

  /** Number of events after a position (for lag reporting), capped at `cap`. */
  abstract countAfter(position: bigint, cap?: number): Promise<number>;

  /** `countAfter` for several positions in one round trip (projection lags for /health). */
  abstract countAfterEach(positions: readonly bigint[], cap?: number): Promise<number[]>;
}

export const isDuplicate = (value: unknown): value is DuplicateCommand =>
  typeof value === 'object' && value !== null && (value as DuplicateCommand).duplicate === true;
