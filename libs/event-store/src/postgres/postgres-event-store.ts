import type { Pool } from 'pg';
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
import { ConcurrencyConflict, IdempotencyRace, InvalidAppend } from '../errors.js';
import {
  EventStore,
  type AppendOptions,
  type DuplicateCommand,
  type ReadAllOptions,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.js';
import { contentHash } from '../hashing.js';
import { PollingSubscription } from '../polling-subscription.js';
import { Signal } from '../signal.js';
import { Upcasters } from '../upcasters.js';

const MAX_EVENTS_PER_APPEND = 10_000;
const EVENT_COLUMNS = `global_position::text AS global_position, stream_id, stream_version::int AS stream_version,
  event_id::text AS event_id, type, schema_version, data, metadata`;

export interface EventRow {
  global_position: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
}

interface AppendRow {
  duplicate: boolean;
  prior_fingerprint: string | null;
  prior_result: unknown;
  /** bigint[] arrives as strings. */
  first_versions: string[] | null;
  first_position: string | null;
}

const APPEND_SQL = `SELECT duplicate, prior_fingerprint, prior_result, first_versions, first_position::text AS first_position
  FROM harbour_append_events($1::text[], $2::text[], $3::int[], $4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[],
                             $9::timestamptz, $10::bytea[], $11::text, $12::text, $13::text, $14::jsonb)`;

export interface PostgresEventStoreOptions {
  pollIntervalMs: number;
}

export class PostgresEventStore extends EventStore {
  /** Wakes this process's subscribers right after its own appends. */
  private readonly appended = new Signal();

  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly upcasters: Upcasters = new Upcasters(),
    private readonly options: PostgresEventStoreOptions = { pollIntervalMs: 250 },
  ) {
    super();
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

    const recordedAt = this.clock.now().toISOString();
    const prepared = appends.map((a) => ({
      streamId: a.streamId,
      events: a.events.map((event) => this.prepare(event, context, recordedAt)),
    }));
    const events = prepared.flatMap((a) => a.events);
    const idempotency = options.idempotency;

    let row: AppendRow;
    try {
      // Named: parsed and planned once per connection, then only bound and executed.
      const res = await this.pool.query<AppendRow>({
        name: 'harbour_append_events',
        text: APPEND_SQL,
        values: [
          prepared.map((a) => a.streamId),
          appends.map((a) => String(a.expected)),
          prepared.map((a) => a.events.length),
          events.map((e) => e.eventId),
          events.map((e) => e.type),
          events.map((e) => e.schemaVersion),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata)),
          recordedAt,
          events.map((e) => e.contentHash),
          idempotency?.scope ?? null,
          idempotency?.key ?? null,
          idempotency?.fingerprint ?? null,
          idempotency ? JSON.stringify(idempotency.result ?? null) : null,
        ],
      });
      row = res.rows[0];
    } catch (error) {
      throw this.translate(error);
    }
    if (row.duplicate) return { duplicate: true, fingerprint: row.prior_fingerprint!, result: row.prior_result };

    this.appended.notify(appends.flatMap((a) => a.events.map((e) => e.type)));
    const base = BigInt(row.first_position!);
    let offset = 0;
    return prepared.map((a, i) => {
      const firstVersion = Number(row.first_versions![i]);
      const stored = a.events.map((e, j) =>
        this.toStored(
          {
            global_position: (base + BigInt(offset + j)).toString(),
            stream_id: a.streamId,
            stream_version: firstVersion + j,
            event_id: e.eventId,
            type: e.type,
            schema_version: e.schemaVersion,
            data: e.data,
            metadata: e.metadata,
          },
          false,
        ),
      );
      offset += a.events.length;
      return { streamId: a.streamId, nextExpectedVersion: firstVersion + a.events.length - 1, events: stored };
    });
  }

  async readStream(streamId: string, fromVersion = 0, limit = 100_000): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM harbour_events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY harbour_events.stream_version LIMIT $3`,
      [streamId, fromVersion, limit],
    );
    return rows.map((r) => this.toStored(r));
  }

  async readAll(after: bigint, options: ReadAllOptions = {}): Promise<ReadAllBatch> {
    const limit = options.limit ?? 500;
    const types = options.types && options.types.length > 0 ? [...options.types] : null;
    // Only positions below the oldest running transaction are final: an event committed
    // later by a slower transaction always gets a higher position than anything read here.
    // `last` (the highest position below the bound, of any type) lets a filtered read that
    // found less than a full batch move past everything it considered, in the same round trip.
    const { rows } = await this.pool.query<EventRow & { bound: string; last: string | null }>(
      `WITH b AS MATERIALIZED (
         SELECT bound, CASE WHEN $3::text[] IS NULL THEN NULL ELSE
           (SELECT max(global_position) FROM harbour_events WHERE global_position > $1 AND global_position < bound) END AS last
         FROM (SELECT harbour_visible_bound() AS bound) s)
       SELECT b.bound::text AS bound, b.last::text AS last, e.* FROM b LEFT JOIN LATERAL (
         SELECT ${EVENT_COLUMNS} FROM harbour_events
         WHERE global_position > $1 AND global_position < b.bound AND ($3::text[] IS NULL OR type = ANY($3))
         ORDER BY harbour_events.global_position LIMIT $2) e ON true`,
      [after.toString(), limit, types],
    );
    const events = rows.filter((r) => r.global_position !== null).map((r) => this.toStored(r));
    if (events.length === limit) return { events, checkpoint: events[events.length - 1].globalPosition };
    if (!types) return { events, checkpoint: events.length ? events[events.length - 1].globalPosition : after };
    // Filtered and not full: everything below the bound was considered, so move past it.
    return { events, checkpoint: rows[0].last === null ? after : BigInt(rows[0].last) };
  }

  subscribe(options: SubscribeOptions): Subscription {
    return new PollingSubscription(this, options, this.appended, this.options.pollIntervalMs);
  }

  /**
   * Version look-ups are the hot path of every request (sign-in check, reads), so concurrent
   * callers share queries: while one query is in flight, the next callers queue and go out
   * together in a single query. A caller only ever joins a query not yet sent, so its answer
   * is never older than its request.
   */
  streamVersions(streamIds: readonly string[]): Promise<Map<string, number>> {
    return new Promise((resolve, reject) => {
      this.versionWaiters.push({ streamIds, resolve, reject });
      if (!this.versionQueryInFlight) void this.flushVersionQueries();
    });
  }

  private versionWaiters: Array<{
    streamIds: readonly string[];
    resolve: (m: Map<string, number>) => void;
    reject: (e: unknown) => void;
  }> = [];
  private versionQueryInFlight = false;

  private async flushVersionQueries(): Promise<void> {
    this.versionQueryInFlight = true;
    while (this.versionWaiters.length > 0) {
      const batch = this.versionWaiters.splice(0, 1000);
      try {
        const ids = [...new Set(batch.flatMap((w) => w.streamIds))];
        const { rows } = await this.pool.query<{ stream_id: string; version: number }>(
          'SELECT stream_id, version::int AS version FROM harbour_streams WHERE stream_id = ANY($1)',
          [ids],
        );
        const all = new Map(rows.map((r) => [r.stream_id, r.version]));
        for (const w of batch)
          w.resolve(new Map(w.streamIds.flatMap((id) => (all.has(id) ? [[id, all.get(id)!] as const] : []))));
      } catch (error) {
        batch.forEach((w) => w.reject(error));
      }
    }
    this.versionQueryInFlight = false;
  }

  async findIdempotencyRecord(scope: string, key: string): Promise<{ fingerprint: string; result: unknown } | null> {
    const { rows } = await this.pool.query<{ fingerprint: string; result: unknown }>(
      'SELECT fingerprint, result FROM harbour_idempotency WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    return rows[0] ?? null;
  }

  async countAfter(position: bigint, cap = 100_000): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM (SELECT 1 FROM harbour_events WHERE global_position > $1 LIMIT $2) t',
      [position.toString(), cap],
    );
    return rows[0].n;
  }

  async countAfterEach(positions: readonly bigint[], cap = 100_000): Promise<number[]> {
    if (positions.length === 0) return [];
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM harbour_events WHERE global_position > u.p LIMIT $2) t) AS n
       FROM unnest($1::bigint[]) WITH ORDINALITY AS u(p, i) ORDER BY u.i`,
      [positions.map(String), cap],
    );
    return rows.map((r) => r.n);
  }

  private prepare(event: NewEvent, context: AppendContext, recordedAt: string) {
    if (!event.type || typeof event.type !== 'string') throw new InvalidAppend('every event needs a type');
    const eventId = event.eventId ?? newId();
    const schemaVersion = event.schemaVersion ?? 1;
    const metadata: EventMetadata = {
      correlationId: context.correlationId ?? context.requestId ?? eventId,
      causationId: context.causationId ?? null,
      actor: context.actor,
      requestId: context.requestId ?? null,
      recordedAt,
    };
    // JCS follows JSON.stringify's rules (toJSON, dropped undefined) and refuses NaN, Infinity
    // and lone surrogates, so the hash covers exactly what jsonb will store.
    const data = event.data ?? {};
    let hash: Buffer;
    try {
      hash = contentHash({ eventId, type: event.type, schemaVersion, data, metadata });
    } catch {
      throw new InvalidAppend('an event payload is not valid JSON (NaN, Infinity, lone surrogate or cycle)');
    }
    return { eventId, type: event.type, schemaVersion, data, metadata, contentHash: hash };
  }

  private toStored(row: EventRow, upcast = true): StoredEvent {
    const lifted = upcast
      ? this.upcasters.apply(row.type, row.schema_version, row.data)
      : { schemaVersion: row.schema_version, data: row.data };
    const m = row.metadata;
    return {
      eventId: row.event_id,
      type: row.type,
      schemaVersion: lifted.schemaVersion,
      streamId: row.stream_id,
      streamVersion: row.stream_version,
      globalPosition: BigInt(row.global_position),
      recordedAt: new Date(m.recordedAt),
      correlationId: m.correlationId,
      causationId: m.causationId,
      actor: m.actor,
      requestId: m.requestId,
      data: lifted.data,
    };
  }

  private translate(error: unknown): unknown {
    const e = error as { code?: string; detail?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'harbour_idempotency_pkey') return new IdempotencyRace();
    if (e.code === 'HB409' && e.detail) {
      const d = JSON.parse(e.detail) as { streamId: string; expected: string; actual: number };
      const expected = /^-?\d+$/.test(d.expected) ? Number(d.expected) : (d.expected as ExpectedVersion);
      return new ConcurrencyConflict(d.streamId, expected, Number(d.actual));
    }
    if (e.code === 'HB400') return new InvalidAppend('the append was refused by the store');
    // e.g. a NUL character, which jsonb cannot hold (the message would echo the data: not kept).
    if (e.code === '22P05' || e.code === '22P02') return new InvalidAppend('an event payload cannot be stored as JSON');
    return error;
  }
}
