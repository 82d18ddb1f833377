import {
  BACKWARDS,
  eventTypeFilter,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendStreamRequest,
  type ResolvedEvent,
  type JSONEventType,
} from '@kurrent/kurrentdb-client';
import type { Clock } from '@harbour/kernel';
import { newId } from '@harbour/kernel';
import type {
  AppendContext,
  AppendResult,
  EventMetadata,
  ExpectedVersion,
  NewEvent,
  ReadAllBatch,
  StoredEvent,
  StreamAppend,
} from '../envelope.js';
import { ConcurrencyConflict, InvalidAppend } from '../errors.js';
import {
  EventStore,
  type AppendOptions,
  type DuplicateCommand,
  type ReadAllOptions,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.js';
import { GENESIS_HASH, chainHash, contentHash } from '../hashing.js';
import { Upcasters } from '../upcasters.js';
import { KurrentSubscription } from './kurrentdb-subscription.js';
import {
  CHAIN_POSITION,
  IDEMPOTENCY_TYPE,
  decodeMetadata,
  decodePosition,
  encodeMetadata,
  encodePosition,
  eventTypeRegex,
  idempotencyStream,
  isHarbourType,
  pinnedStreamState,
  type StreamTail,
} from './mapping.js';

const MAX_EVENTS_PER_APPEND = 10_000;
/** Lost races on `any`/`stream-exists` appends before giving up with a conflict. */
const MAX_RACE_RETRIES = 20;

export interface KurrentEventStoreOptions {
  /** Subscriptions re-subscribe after a dropped connection this long later. */
  reconnectMs?: number;
}

interface Prepared {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
  contentHash: Buffer;
}

/**
 * The EventStore port on KurrentDB (client 1.x, server 25.1+ for multi-stream appends).
 * Design and limits: docs/event-store.md#kurrentdb. In short:
 * - every append reads the stream tail, chains the new events from its hash and appends with
 *   the tail's exact revision, so the stored chain is the computed one;
 * - several streams, or one stream plus an Idempotency-Key, go out as ONE `multiStreamAppend`
 *   (KurrentDB commits it all or nothing); the key is a `harbour-idempotency-<sha256>` stream
 *   appended with no_stream, so a second use of the key is refused by the server itself;
 * - Harbour positions are `(commit << 20) | (prepare - commit)` (mapping.ts), so projection
 *   checkpoints stay plain bigints in PostgreSQL's harbour_checkpoints.
 */
export class KurrentEventStore extends EventStore {
  constructor(
    readonly client: KurrentDBClient,
    private readonly clock: Clock,
    private readonly upcasters: Upcasters = new Upcasters(),
    private readonly options: KurrentEventStoreOptions = {},
  ) {
    super();
  }

  static connect(url: string, clock: Clock, upcasters?: Upcasters): KurrentEventStore {
    return new KurrentEventStore(KurrentDBClient.connectionString(url), clock, upcasters);
  }

  async append(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    context: AppendContext,
    options?: AppendOptions,
  ): Promise<AppendResult | DuplicateCommand> {
    const result = await this.appendMany([{ streamId, expected, events }], context, options);
    return Array.isArray(result) ? result[0] : result;
  }

  async appendMany(
    appends: StreamAppend[],
    context: AppendContext,
    options: AppendOptions = {},
  ): Promise<AppendResult[] | DuplicateCommand> {
    const total = appends.reduce((n, a) => n + a.events.length, 0);
    if (appends.length === 0 || total === 0) throw new InvalidAppend('nothing to append');
    if (total > MAX_EVENTS_PER_APPEND) throw new InvalidAppend(`at most ${MAX_EVENTS_PER_APPEND} events per append`);
    if (new Set(appends.map((a) => a.streamId)).size !== appends.length)
      throw new InvalidAppend('each stream once per append');
    if (appends.some((a) => a.streamId.startsWith('$') || a.streamId.startsWith('harbour-idempotency-')))
      throw new InvalidAppend('reserved stream name');

    const idem = options.idempotency;
    if (idem) {
      const known = await this.findIdempotencyRecord(idem.scope, idem.key);
      if (known) return { duplicate: true, fingerprint: known.fingerprint, result: known.result };
    }
    const recordedAt = this.clock.now().toISOString();
    const prepared = appends.map((a) => a.events.map((e) => this.prepare(e, context, recordedAt)));

    for (let attempt = 0; ; attempt++) {
      const tails = await Promise.all(appends.map((a) => this.tail(a.streamId)));
      const requests: AppendStreamRequest[] = [];
      for (const [i, a] of appends.entries()) {
        const pinned = pinnedStreamState(a.expected, tails[i]);
        if ('conflict' in pinned) throw new ConcurrencyConflict(a.streamId, a.expected, pinned.conflict);
        requests.push({
          streamName: a.streamId,
          expectedState: pinned.state,
          events: this.chain(a.streamId, tails[i], prepared[i]),
        });
      }
      if (idem)
        requests.push({
          streamName: idempotencyStream(idem.scope, idem.key),
          expectedState: 'no_stream',
          events: [
            jsonEvent({
              id: newId(),
              type: IDEMPOTENCY_TYPE,
              data: { scope: idem.scope, fingerprint: idem.fingerprint, result: idem.result ?? null } as never,
              metadata: { recordedAt },
            }),
          ],
        });
      try {
        if (requests.length === 1)
          await this.client.appendToStream(requests[0].streamName, requests[0].events, {
            streamState: requests[0].expectedState,
          });
        else await this.client.multiStreamAppend(requests);
      } catch (error) {
        if (!isWrongVersion(error)) throw translate(error);
        if (idem) {
          const known = await this.findIdempotencyRecord(idem.scope, idem.key);
          if (known) return { duplicate: true, fingerprint: known.fingerprint, result: known.result };
        }
        // A stream moved between our tail read and the append. The next attempt re-reads the
        // tails: a pinned expectation (no-stream, a version) then answers a conflict, while
        // `any`/`stream-exists` chain from the new tail.
        if (attempt >= MAX_RACE_RETRIES) {
          const now = await Promise.all(appends.map((a) => this.tail(a.streamId)));
          throw new ConcurrencyConflict(appends[0].streamId, appends[0].expected, now[0]?.revision ?? -1);
        }
        // A little jitter so racing writers do not keep colliding in lockstep.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
        continue;
      }
      // Read the stored events back: the server assigns the positions.
      return Promise.all(
        appends.map(async (a, i) => {
          const first = (tails[i]?.revision ?? -1) + 1;
          const events = await this.readStream(a.streamId, first, a.events.length);
          return { streamId: a.streamId, nextExpectedVersion: first + a.events.length - 1, events };
        }),
      );
    }
  }

  async readStream(streamId: string, fromVersion = 0, limit = 100_000): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(fromVersion),
        maxCount: limit,
      }))
        if (resolved.event && isHarbourType(resolved.event.type)) out.push(this.toStored(resolved));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translate(error);
    }
    return out;
  }

  async readAll(after: bigint, options: ReadAllOptions = {}): Promise<ReadAllBatch> {
    const limit = options.limit ?? 500;
    const filtered = Boolean(options.types && options.types.length > 0);
    // For a filtered read that comes back short, everything up to the log's end as it was
    // before the read was considered: take that end first (KurrentDB's log is one ordered
    // sequence written by the leader, so nothing can appear below it later).
    const end = filtered ? await this.lastPosition() : null;
    const events = await this.readAllEvents(after, limit, options.types);
    if (events.length === limit) return { events, checkpoint: events[events.length - 1].globalPosition };
    let checkpoint = events.length ? events[events.length - 1].globalPosition : after;
    if (end !== null && end > checkpoint) checkpoint = end;
    return { events, checkpoint };
  }

  subscribe(options: SubscribeOptions): Subscription {
    return new KurrentSubscription(this, options, this.options.reconnectMs ?? 1_000);
  }

  async streamVersions(streamIds: readonly string[]): Promise<Map<string, number>> {
    const ids = [...new Set(streamIds)];
    const tails = await Promise.all(ids.map((id) => this.tail(id)));
    return new Map(ids.flatMap((id, i) => (tails[i] ? [[id, tails[i].revision] as const] : [])));
  }

  async findIdempotencyRecord(scope: string, key: string): Promise<{ fingerprint: string; result: unknown } | null> {
    try {
      for await (const resolved of this.client.readStream(idempotencyStream(scope, key), {
        direction: FORWARDS,
        fromRevision: START,
        maxCount: 1,
      })) {
        const data = resolved.event?.data as { scope?: string; fingerprint?: string; result?: unknown } | undefined;
        if (typeof data?.fingerprint === 'string')
          return { fingerprint: data.fingerprint, result: data.result ?? null };
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw translate(error);
    }
    return null;
  }

  async countAfter(position: bigint, cap = 100_000): Promise<number> {
    let n = 0;
    const from = decodePosition(position);
    for await (const resolved of this.client.readAll({
      fromPosition: from ?? START,
      maxCount: cap + 1,
      filter: eventTypeFilter({ regex: eventTypeRegex() }),
    })) {
      const e = resolved.event;
      if (!e || !isHarbourType(e.type) || encodePosition(e.position) <= position) continue;
      if (++n >= cap) break;
    }
    return n;
  }

  async countAfterEach(positions: readonly bigint[], cap = 100_000): Promise<number[]> {
    return Promise.all(positions.map((p) => this.countAfter(p, cap)));
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** Nest closes the gRPC channel with the application. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** Events strictly after `after`, in $all order, of the given types (default: every Harbour type). */
  async readAllEvents(after: bigint, limit: number, types?: readonly string[]): Promise<StoredEvent[]> {
    const from = decodePosition(after);
    const out: StoredEvent[] = [];
    // A read from a position starts at that event (inclusive): ask for one more and drop it.
    for await (const resolved of this.client.readAll({
      fromPosition: from ?? START,
      maxCount: limit + (from ? 1 : 0),
      filter: eventTypeFilter({ regex: eventTypeRegex(types) }),
    })) {
      const e = resolved.event;
      if (!e || !isHarbourType(e.type, types)) continue;
      const stored = this.toStored(resolved);
      if (stored.globalPosition <= after) continue;
      out.push(stored);
      if (out.length === limit) break;
    }
    return out;
  }

  /** The Harbour position of the log's last Harbour event (0n when empty). */
  async lastPosition(): Promise<bigint> {
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: eventTypeFilter({ regex: eventTypeRegex() }),
    }))
      if (resolved.event) return encodePosition(resolved.event.position);
    return 0n;
  }

  /** The stream's last revision and chain hash, or null when it has no events. */
  async tail(streamId: string): Promise<StreamTail | null> {
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        const e = resolved.event;
        if (!e) continue;
        const fields = decodeMetadata(e.metadata);
        // An event not written by Harbour still has a revision; its chain is then broken
        // (verify names it), and new events chain from genesis rather than refuse to write.
        return { revision: Number(e.revision), hash: fields?.hash ?? GENESIS_HASH };
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw translate(error);
    }
    return null;
  }

  toStored(resolved: AllStreamResolvedEvent | ResolvedEvent): StoredEvent {
    const e = resolved.event!;
    const fields = decodeMetadata(e.metadata);
    if (!fields || !e.position) throw new Error('KurrentDB event without Harbour metadata or position');
    const lifted = this.upcasters.apply(e.type, fields.schemaVersion, e.data);
    const m = fields.metadata;
    return {
      eventId: e.id,
      type: e.type,
      schemaVersion: lifted.schemaVersion,
      streamId: e.streamId,
      streamVersion: Number(e.revision),
      globalPosition: encodePosition(e.position),
      recordedAt: new Date(m.recordedAt),
      correlationId: m.correlationId,
      causationId: m.causationId,
      actor: m.actor,
      requestId: m.requestId,
      data: lifted.data,
    };
  }

  private chain(streamId: string, tail: StreamTail | null, events: Prepared[]) {
    let prev = tail?.hash ?? GENESIS_HASH;
    let version = tail ? tail.revision : -1;
    return events.map((p) => {
      version++;
      const hash = chainHash(prev, p.contentHash, version, CHAIN_POSITION, streamId);
      const metadata = encodeMetadata({
        schemaVersion: p.schemaVersion,
        metadata: p.metadata,
        contentHash: p.contentHash,
        prevHash: prev,
        hash,
      });
      prev = hash;
      return jsonEvent<JSONEventType>({ id: p.eventId, type: p.type, data: p.data as never, metadata });
    });
  }

  private prepare(event: NewEvent, context: AppendContext, recordedAt: string): Prepared {
    if (!event.type || typeof event.type !== 'string') throw new InvalidAppend('every event needs a type');
    if (!isHarbourType(event.type)) throw new InvalidAppend('reserved event type');
    const eventId = event.eventId ?? newId();
    const schemaVersion = event.schemaVersion ?? 1;
    const metadata: EventMetadata = {
      correlationId: context.correlationId ?? context.requestId ?? eventId,
      causationId: context.causationId ?? null,
      actor: context.actor,
      requestId: context.requestId ?? null,
      recordedAt,
    };
    const data = event.data ?? {};
    let hash: Buffer;
    try {
      hash = contentHash({ eventId, type: event.type, schemaVersion, data, metadata });
    } catch {
      throw new InvalidAppend('an event payload is not valid JSON (NaN, Infinity, lone surrogate or cycle)');
    }
    // Stored as JSON text: store exactly what was hashed (toJSON applied, undefined dropped).
    return {
      eventId,
      type: event.type,
      schemaVersion,
      data: JSON.parse(JSON.stringify(data)),
      metadata,
      contentHash: hash,
    };
  }
}

const isWrongVersion = (error: unknown): boolean =>
  error instanceof WrongExpectedVersionError || (error as { type?: string })?.type === 'wrong-expected-version';

/**
 * Client errors name streams (record ids) in their messages; Harbour's own errors never do.
 * Anything else is passed on as it is: the API's error filter answers it without its message.
 */
function translate(error: unknown): unknown {
  const e = error as { type?: string };
  if (e?.type === 'maximum-append-size-exceeded' || e?.type === 'append-record-size-exceeded')
    return new InvalidAppend('the append is larger than the event store accepts');
  return error;
}
