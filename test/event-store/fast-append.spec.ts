import {
  contentHash,
  isDuplicate,
  verifyEventLog,
  type AppendResult,
  type StoredEvent,
  type Subscription,
} from '@harbour/event-store';
import { eventually, startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

/**
 * `harbour_append_events` (migration EventStoreFastAppend1767700000000): one multi-row insert
 * per append. These check what the rewrite could break: the positions and versions handed
 * back, the chain across the old and new functions, order under contention, readers racing
 * batch writers, idempotency and refusals of a malformed call.
 */
describe('the single-statement append (PostgreSQL)', () => {
  let ctx: StoreContext;
  beforeAll(async () => {
    ctx = await startStoreContext();
  });
  afterAll(() => ctx.close());

  const event = (n: number) => ({ type: 'TallyIncremented', data: { by: n } });
  const context = { actor: testActor, requestId: 'req-fast' };

  it('hands back exactly the positions and versions stored, for several streams in one append', async () => {
    await ctx.store.append('fast-existing', 'no-stream', [event(0), event(1)], context);
    const results = (await ctx.store.appendMany(
      [
        { streamId: 'fast-new-1', expected: 'no-stream', events: [event(1)] },
        { streamId: 'fast-existing', expected: 1, events: [event(2), event(3), event(4)] },
        { streamId: 'fast-new-2', expected: 'no-stream', events: [event(5), event(6)] },
      ],
      context,
    )) as AppendResult[];
    expect(results.map((r) => [r.streamId, r.nextExpectedVersion])).toEqual([
      ['fast-new-1', 0],
      ['fast-existing', 4],
      ['fast-new-2', 1],
    ]);
    const returned = results.flatMap((r) => r.events);
    const stored = [
      ...(await ctx.store.readStream('fast-new-1')),
      ...(await ctx.store.readStream('fast-existing', 2)),
      ...(await ctx.store.readStream('fast-new-2')),
    ];
    const key = (e: StoredEvent) => [e.eventId, e.streamId, e.streamVersion, e.globalPosition.toString(), e.data];
    expect(returned.map(key)).toEqual(stored.map(key));
    // One transaction: consecutive positions in the order of the append.
    const positions = returned.map((e) => e.globalPosition);
    positions.slice(1).forEach((p, i) => expect(p).toBe(positions[i] + 1n));
    expect(await ctx.store.streamVersions(['fast-new-1', 'fast-existing', 'fast-new-2'])).toEqual(
      new Map([
        ['fast-new-1', 0],
        ['fast-existing', 4],
        ['fast-new-2', 1],
      ]),
    );
    expect((await verifyEventLog(ctx.pool)).ok).toBe(true);
  });

  it('continues a stream written by the previous append function: the chain still verifies', async () => {
    const recordedAt = ctx.clock.now().toISOString();
    // What an existing database holds: events appended by harbour_append(jsonb, jsonb).
    const legacy = [0, 1].map((n) => ({
      eventId: `00000000-0000-4000-8000-00000000000${n}`,
      type: 'TallyIncremented',
      schemaVersion: 1,
      data: { by: n },
      metadata: { correlationId: 'c', causationId: null, actor: testActor, requestId: null, recordedAt },
    }));
    await ctx.pool.query('SELECT harbour_append($1::jsonb, NULL)', [
      JSON.stringify([
        {
          streamId: 'fast-legacy',
          expected: 'no-stream',
          events: legacy.map((e) => ({ ...e, recordedAt, contentHash: contentHash(e).toString('hex') })),
        },
      ]),
    ]);
    const result = (await ctx.store.append('fast-legacy', 1, [event(2), event(3)], context)) as AppendResult;
    expect(result.nextExpectedVersion).toBe(3);
    const events = await ctx.store.readStream('fast-legacy');
    expect(events.map((e) => e.streamVersion)).toEqual([0, 1, 2, 3]);
    const report = await verifyEventLog(ctx.pool);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('keeps one stream dense and in position order under 16 concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 16 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 5; i++)
            await ctx.store.append('fast-contended', 'any', [event(w), ...(i % 2 ? [event(w)] : [])], context);
        })(),
      ),
    );
    const events = await ctx.store.readStream('fast-contended');
    expect(events).toHaveLength(16 * 7);
    expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i));
    events.slice(1).forEach((e, i) => expect(e.globalPosition).toBeGreaterThan(events[i].globalPosition));
    expect((await verifyEventLog(ctx.pool)).ok).toBe(true);
  });

  it('lets a live reader see every event of 8 concurrent batch writers exactly once, in order', async () => {
    const seen: bigint[] = [];
    const { checkpoint: from } = await ctx.store.readAll(0n, { limit: 1_000_000 });
    const subscription: Subscription = ctx.store.subscribe({
      from,
      limit: 200,
      types: ['BatchWritten'],
      onEvents: (events) => {
        seen.push(...events.map((e) => e.globalPosition));
        return Promise.resolve();
      },
    });
    try {
      await Promise.all(
        Array.from({ length: 8 }, (_, w) =>
          (async () => {
            for (let i = 0; i < 15; i++)
              await ctx.store.append(
                `fast-batch-${w}`,
                i === 0 ? 'no-stream' : i * 20 - 1,
                Array.from({ length: 20 }, (_, k) => ({ type: 'BatchWritten', data: { w, i, k } })),
                context,
              );
          })(),
        ),
      );
      await eventually(() => expect(seen).toHaveLength(8 * 15 * 20));
    } finally {
      await subscription.stop();
    }
    expect(new Set(seen.map(String)).size).toBe(seen.length);
    seen.slice(1).forEach((p, i) => expect(p).toBeGreaterThan(seen[i]));
  });

  it('never lets a reader move past an append whose transaction opened first but commits last', async () => {
    const { checkpoint: start } = await ctx.store.readAll(0n, { limit: 1_000_000 });
    const slow = await ctx.pool.connect();
    try {
      await slow.query('BEGIN');
      const { rows } = await slow.query<{ first_position: string }>(
        `SELECT first_position::text FROM harbour_append_events('{fast-slow}', '{no-stream}', '{1}',
           '{00000000-0000-4000-8000-0000000000cc}', '{SlowWritten}', '{1}', ARRAY['{}'::jsonb],
           ARRAY['{"correlationId":"c","causationId":null,"actor":{"userId":"u","agencyId":"a","role":"caseworker"},"requestId":null,"recordedAt":"2026-11-02T09:00:00.000Z"}'::jsonb],
           now(), ARRAY[sha256('x')], NULL, NULL, NULL, NULL)`,
      );
      const slowPosition = BigInt(rows[0].first_position);
      for (let i = 0; i < 10; i++) await ctx.store.append(`fast-quick-${i}`, 'no-stream', [event(i)], context);
      const ours = (events: StoredEvent[]) =>
        events.map((e) => e.streamId).filter((id) => id === 'fast-slow' || id.startsWith('fast-quick-'));
      const before = await ctx.store.readAll(start, { limit: 1_000_000 });
      // The ten later appends are committed, but none is delivered while the slow one is open.
      expect(ours(before.events)).toEqual([]);
      expect(before.checkpoint).toBeLessThan(slowPosition);
      await slow.query('COMMIT');
      await eventually(async () => {
        const after = await ctx.store.readAll(before.checkpoint, { limit: 1_000_000 });
        expect(ours(after.events)).toEqual(['fast-slow', ...Array.from({ length: 10 }, (_, i) => `fast-quick-${i}`)]);
      });
    } finally {
      await slow.query('ROLLBACK').catch(() => undefined);
      slow.release();
    }
  });

  it('stores an idempotency key with the events and answers a repeat with the first result', async () => {
    const idempotency = { scope: 'fast-test', key: 'key-1', fingerprint: 'fp-1', result: { answer: 42 } };
    const first = await ctx.store.append('fast-idem', 'no-stream', [event(1)], context, { idempotency });
    expect(isDuplicate(first)).toBe(false);
    const again = await ctx.store.append('fast-idem', 'no-stream', [event(1)], context, { idempotency });
    expect(again).toEqual({ duplicate: true, fingerprint: 'fp-1', result: { answer: 42 } });
    expect(await ctx.store.readStream('fast-idem')).toHaveLength(1);
  });

  it('refuses a malformed call, and one that is not the first write of its transaction', async () => {
    const call = (counts: number[]) =>
      ctx.pool.query(
        `SELECT * FROM harbour_append_events($1::text[], $2::text[], $3::int[], $4::uuid[], $5::text[], $6::int[],
           $7::jsonb[], $8::jsonb[], now(), $9::bytea[], NULL, NULL, NULL, NULL)`,
        [
          ['fast-malformed'],
          ['any'],
          counts,
          ['00000000-0000-4000-8000-0000000000aa'],
          ['T'],
          [1],
          ['{}'],
          ['{}'],
          [Buffer.alloc(32)],
        ],
      );
    await expect(call([2])).rejects.toMatchObject({ code: 'HB400' });
    const client = await ctx.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("INSERT INTO harbour_checkpoints (name) VALUES ('fast-test-write')");
      await expect(
        client.query(
          `SELECT * FROM harbour_append_events('{s}', '{any}', '{1}', '{00000000-0000-4000-8000-0000000000ab}', '{T}',
             '{1}', ARRAY['{}'::jsonb], ARRAY['{}'::jsonb], now(), ARRAY['\\x00'::bytea], NULL, NULL, NULL, NULL)`,
        ),
      ).rejects.toMatchObject({ code: 'HB400' });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    expect(await ctx.store.readStream('fast-malformed')).toEqual([]);
  });
});
