import { randomUUID } from 'node:crypto';
import {
  ACCESS_RECORDER_ACTOR,
  ACCESS_RECORDER_OPTIONS,
  AccessNotRecorded,
  AccessRecorder,
  type AccessRecord,
  accessStream,
} from '@harbour/audit';
import {
  type AppendContext,
  type AppendOptions,
  type AppendResult,
  type DuplicateCommand,
  EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllBatch,
  type ReadAllOptions,
  type StoredEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '@harbour/event-store';
import { CLOCK, type Clock } from '@harbour/kernel';
import { startStoreContext, type StoreContext } from '../support/store-context.js';

/** Delegates to the real store; appends touching a poisoned stream fail; every appendMany is logged. */
class FaultyStore extends EventStore {
  readonly calls: string[][] = [];
  readonly poisoned = new Set<string>();
  constructor(private readonly inner: EventStore) {
    super();
  }
  append(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    context: AppendContext,
    options?: AppendOptions,
  ): Promise<AppendResult | DuplicateCommand> {
    return this.appendMany([{ streamId, expected, events }], context, options).then((r) =>
      Array.isArray(r) ? r[0] : r,
    );
  }
  async appendMany(
    appends: StreamAppend[],
    context: AppendContext,
    options?: AppendOptions,
  ): Promise<AppendResult[] | DuplicateCommand> {
    this.calls.push(appends.flatMap((a) => a.events.map(() => a.streamId)));
    if (appends.some((a) => this.poisoned.has(a.streamId))) throw new Error('simulated storage failure');
    return this.inner.appendMany(appends, context, options);
  }
  readStream(streamId: string, fromVersion?: number, limit?: number): Promise<StoredEvent[]> {
    return this.inner.readStream(streamId, fromVersion, limit);
  }
  readAll(after: bigint, options?: ReadAllOptions): Promise<ReadAllBatch> {
    return this.inner.readAll(after, options);
  }
  subscribe(options: SubscribeOptions): Subscription {
    return this.inner.subscribe(options);
  }
  streamVersions(streamIds: readonly string[]): Promise<Map<string, number>> {
    return this.inner.streamVersions(streamIds);
  }
  findIdempotencyRecord(scope: string, key: string) {
    return this.inner.findIdempotencyRecord(scope, key);
  }
  countAfter(position: bigint, cap?: number): Promise<number> {
    return this.inner.countAfter(position, cap);
  }
  countAfterEach(positions: readonly bigint[], cap?: number): Promise<number[]> {
    return this.inner.countAfterEach(positions, cap);
  }
}

const worker = { userId: 'user-7', agencyId: 'agency-3', role: 'caseworker' };

const access = (survivorId: string, requestId: string, overrides: Partial<AccessRecord> = {}): AccessRecord => ({
  survivorId,
  actor: worker,
  sectionsReturned: ['identity', 'safety'],
  sectionsWithheld: [{ section: 'health', reason: 'section-not-consented' }],
  purpose: 'care-coordination',
  basis: [
    { section: 'identity', kind: 'care-team' },
    { section: 'safety', kind: 'consent', consentId: 'c0ffee00-0000-4000-8000-000000000001', version: 2 },
  ],
  outcome: 'partial',
  requestId,
  route: 'GET /v1/intakes/:id',
  ...overrides,
});

/** Distinct transactions (global_position >> 20) that wrote these streams' events. */
async function transactionsOf(ctx: StoreContext, streamIds: string[]): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    'SELECT count(DISTINCT global_position >> 20)::int AS n FROM harbour_events WHERE stream_id = ANY($1)',
    [streamIds],
  );
  return rows[0].n;
}

describe('access recorder (PostgreSQL)', () => {
  let ctx: StoreContext;
  let recorder: AccessRecorder;
  let faulty: FaultyStore;
  let faultyRecorder: AccessRecorder;
  let smallGroups: FaultyStore;
  let smallGroupRecorder: AccessRecorder;

  beforeAll(async () => {
    ctx = await startStoreContext({
      providers: [
        AccessRecorder,
        { provide: ACCESS_RECORDER_OPTIONS, useValue: { maxGroupSize: 500 } },
        {
          provide: 'FAULTY',
          inject: [EventStore, CLOCK],
          useFactory: (store: EventStore, clock: Clock) => {
            const wrapped = new FaultyStore(store);
            return { wrapped, recorder: new AccessRecorder(wrapped, clock) };
          },
        },
        {
          provide: 'SMALL_GROUPS',
          inject: [EventStore, CLOCK],
          useFactory: (store: EventStore, clock: Clock) => {
            const wrapped = new FaultyStore(store);
            return { wrapped, recorder: new AccessRecorder(wrapped, clock, { maxGroupSize: 25 }) };
          },
        },
      ],
    });
    recorder = ctx.app.get(AccessRecorder);
    ({ wrapped: faulty, recorder: faultyRecorder } = ctx.app.get('FAULTY'));
    ({ wrapped: smallGroups, recorder: smallGroupRecorder } = ctx.app.get('SMALL_GROUPS'));
  });
  afterAll(() => ctx.close());

  it('appends one SurvivorDataAccessed to access-<survivorId> with exactly the payload', async () => {
    const survivorId = randomUUID();
    await recorder.record(access(survivorId, 'req-single'));

    const events = await ctx.store.readStream(accessStream(survivorId));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'SurvivorDataAccessed',
      schemaVersion: 1,
      streamId: `access-${survivorId}`,
      streamVersion: 0,
      actor: ACCESS_RECORDER_ACTOR,
    });
    expect(events[0].data).toEqual({
      survivorId,
      actor: { userId: 'user-7', agencyId: 'agency-3', role: 'caseworker' },
      sectionsReturned: ['identity', 'safety'],
      sectionsWithheld: [{ section: 'health', reason: 'section-not-consented' }],
      purpose: 'care-coordination',
      basis: [
        { section: 'identity', kind: 'care-team' },
        { section: 'safety', kind: 'consent', consentId: 'c0ffee00-0000-4000-8000-000000000001', version: 2 },
      ],
      outcome: 'partial',
      requestId: 'req-single',
      route: 'GET /v1/intakes/:id',
      at: '2026-11-02T09:00:00.000Z',
    });
  });

  it("groups 200 concurrent records over 20 survivors into few transactions, keeping each caller's order", async () => {
    const survivors = Array.from({ length: 20 }, () => randomUUID());
    // 40 callers, each reading 5 times in a row (awaiting each), all at once: caller c reads
    // survivor c % 20, so every stream gets two callers' interleaved reads.
    const callers = Array.from({ length: 40 }, (_, c) =>
      (async () => {
        for (let i = 0; i < 5; i++) await recorder.record(access(survivors[c % 20], `req-${c}-${i}`));
      })(),
    );
    await Promise.all(callers);

    const streams = survivors.map(accessStream);
    for (const [s, survivorId] of survivors.entries()) {
      const events = await ctx.store.readStream(accessStream(survivorId));
      expect(events).toHaveLength(10);
      for (const c of [s, s + 20]) {
        const mine = events
          .map((e) => (e.data as { requestId: string }).requestId)
          .filter((r) => r.startsWith(`req-${c}-`));
        expect(mine).toEqual([0, 1, 2, 3, 4].map((i) => `req-${c}-${i}`));
      }
    }
    expect(await transactionsOf(ctx, streams)).toBeLessThan(200 / 5);
  });

  it('writes a burst issued in one tick as a single transaction', async () => {
    const survivors = Array.from({ length: 20 }, () => randomUUID());
    await Promise.all(Array.from({ length: 200 }, (_, n) => recorder.record(access(survivors[n % 20], `burst-${n}`))));
    for (const [s, survivorId] of survivors.entries()) {
      const events = await ctx.store.readStream(accessStream(survivorId));
      expect(events.map((e) => (e.data as { requestId: string }).requestId)).toEqual(
        Array.from({ length: 10 }, (_, k) => `burst-${s + 20 * k}`),
      );
    }
    expect(await transactionsOf(ctx, survivors.map(accessStream))).toBe(1);
  });

  it('caps a group and still stores everything', async () => {
    const survivors = Array.from({ length: 7 }, () => randomUUID());
    smallGroups.calls.length = 0;
    await Promise.all(
      Array.from({ length: 100 }, (_, n) => smallGroupRecorder.record(access(survivors[n % 7], `cap-${n}`))),
    );
    expect(Math.max(...smallGroups.calls.map((c) => c.length))).toBeLessThanOrEqual(25);
    expect(smallGroups.calls.flat()).toHaveLength(100);
    const counts = await Promise.all(survivors.map(async (s) => (await ctx.store.readStream(accessStream(s))).length));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('refuses only the reads whose stream failed; the rest of the group is recorded', async () => {
    const bad = randomUUID();
    const good = Array.from({ length: 5 }, () => randomUUID());
    faulty.poisoned.add(accessStream(bad));
    faulty.calls.length = 0;

    const outcomes = await Promise.allSettled([
      faultyRecorder.record(access(good[0], 'f-0')),
      faultyRecorder.record(access(bad, 'f-bad-1')),
      ...good.slice(1).map((s, i) => faultyRecorder.record(access(s, `f-${i + 1}`))),
      faultyRecorder.record(access(bad, 'f-bad-2')),
    ]);

    // One grouped append with every stream, then one append per survivor.
    expect(new Set(faulty.calls[0])).toEqual(new Set([...good, bad].map(accessStream)));
    expect(faulty.calls).toHaveLength(1 + 6);
    const rejected = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    expect(rejected).toEqual([1, 6]);
    for (const i of rejected) {
      const reason = (outcomes[i] as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(AccessNotRecorded);
      expect(reason).toMatchObject({
        kind: 'unavailable',
        code: 'access-not-recorded',
        reason: 'store-failed',
        details: {},
      });
      expect(reason.message).not.toContain(bad);
    }
    expect(await ctx.store.readStream(accessStream(bad))).toHaveLength(0);
    for (const s of good) expect(await ctx.store.readStream(accessStream(s))).toHaveLength(1);

    // A lone failing read is refused too; the recorder keeps working afterwards.
    await expect(faultyRecorder.record(access(bad, 'f-bad-3'))).rejects.toBeInstanceOf(AccessNotRecorded);
    faulty.poisoned.clear();
    await faultyRecorder.record(access(bad, 'f-bad-4'));
    expect(
      (await ctx.store.readStream(accessStream(bad))).map((e) => (e.data as { requestId: string }).requestId),
    ).toEqual(['f-bad-4']);
  });

  it("stores what the decision saw (decidedAt, consentStreamVersion) and the caller's clientRequestId when given", async () => {
    const survivorId = randomUUID();
    await recorder.record({
      ...access(survivorId, 'req-decided'),
      decidedAt: new Date('2026-11-02T08:59:59.000Z'),
      consentStreamVersion: 4,
      clientRequestId: 'caller-trace-77',
    });
    const [event] = await ctx.store.readStream(accessStream(survivorId));
    expect(event.data).toMatchObject({
      requestId: 'req-decided',
      at: '2026-11-02T09:00:00.000Z',
      decidedAt: '2026-11-02T08:59:59.000Z',
      consentStreamVersion: 4,
      clientRequestId: 'caller-trace-77',
    });
  });

  it('never stores section content, even when a caller smuggles it in', async () => {
    const survivorId = randomUUID();
    const MARKER = 'MARKER-content-7f3a9c';
    // The input type has no place for content: a literal with an extra field does not compile.
    // @ts-expect-error content is not a field of AccessRecord
    const typed: AccessRecord = { ...access(survivorId, 'req-marker'), content: MARKER };
    const smuggled = {
      ...typed,
      sections: { story: MARKER },
      actor: { ...worker, name: MARKER },
      sectionsWithheld: [{ section: 'health', reason: 'section-not-consented', value: MARKER }],
      basis: [
        { section: 'identity', kind: 'care-team', note: MARKER },
        { section: 'safety', kind: 'care-team' },
      ],
    } as unknown as AccessRecord;
    await recorder.record(smuggled);

    const { rows } = await ctx.pool.query<{ row: string }>(
      'SELECT to_jsonb(e)::text AS row FROM harbour_events e WHERE stream_id = $1',
      [accessStream(survivorId)],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].row).not.toContain(MARKER);
    expect(rows[0].row).toContain('req-marker');

    // Content cannot ride in the named fields either: they accept names and ids only.
    for (const bad of [
      access(survivorId, 'r', { sectionsReturned: ['identity', 'safety', `Lives at ${MARKER}`] }),
      access(survivorId, 'r', { route: `GET /v1/search?name=${MARKER}` }),
      access(survivorId, `req ${MARKER} with spaces`),
      access(survivorId, 'r', { outcome: 'permitted' }),
      access(survivorId, 'r', { clientRequestId: `trace ${MARKER}` }),
      access(survivorId, 'r', { consentStreamVersion: 1.5 }),
      access(survivorId, 'r', { decidedAt: new Date(Number.NaN) }),
    ]) {
      await expect(recorder.record(bad)).rejects.toMatchObject({
        code: 'access-not-recorded',
        reason: 'invalid-record',
      });
    }
    expect(await ctx.store.readStream(accessStream(survivorId))).toHaveLength(1);
  });
});
