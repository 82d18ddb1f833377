import pg from 'pg';
import type { StoredEvent } from '@harbour/event-store';
import { eventually, startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

describe('reading "all" while writers commit concurrently', () => {
  let ctx: StoreContext;
  beforeAll(async () => {
    ctx = await startStoreContext({ env: { HARBOUR_DB_POOL_SIZE: '24' } });
  });
  afterAll(() => ctx.close());

  const context = { actor: testActor };

  /** The position of the newest event visible now. */
  async function head(): Promise<bigint> {
    let position = 0n;
    for (
      let batch = await ctx.store.readAll(position);
      batch.checkpoint !== position;
      batch = await ctx.store.readAll(position)
    ) {
      position = batch.checkpoint;
    }
    return position;
  }

  /** Subscribe from the start and collect everything, asserting strict global order on arrival. */
  function collect(from = 0n) {
    const seen: StoredEvent[] = [];
    let outOfOrder = 0;
    const subscription = ctx.store.subscribe({
      from,
      limit: 300,
      onEvents: async (events) => {
        for (const e of events) {
          if (seen.length && e.globalPosition <= seen[seen.length - 1].globalPosition) outOfOrder++;
          seen.push(e);
        }
      },
    });
    return { seen, subscription, outOfOrder: () => outOfOrder };
  }

  it('delivers every event of 16 writers × 500 appends exactly once, in global order', async () => {
    const reader = collect(await head());
    const writers = 16;
    const perWriter = 500;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const versions = new Map<string, number>();
        for (let i = 0; i < perWriter; i++) {
          const streamId = `load-${w}-${i % 25}`;
          const expected = versions.get(streamId) ?? 'no-stream';
          await ctx.store.append(streamId, expected, [{ type: 'LoadTested', data: { w, i } }], context);
          versions.set(streamId, typeof expected === 'number' ? expected + 1 : 0);
        }
      }),
    );
    await eventually(() => expect(reader.seen.length).toBeGreaterThanOrEqual(writers * perWriter));
    await reader.subscription.stop();

    expect(reader.seen).toHaveLength(writers * perWriter);
    expect(reader.outOfOrder()).toBe(0);
    expect(new Set(reader.seen.map((e) => e.eventId)).size).toBe(writers * perWriter);
    // Within each stream, versions arrive in order without gaps.
    const byStream = new Map<string, number[]>();
    reader.seen.forEach((e) => byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.streamVersion]));
    for (const versions of byStream.values()) expect(versions).toEqual(versions.map((_, i) => i));
    // And every delivered event is exactly what the table holds.
    const { rows } = await ctx.pool.query("SELECT count(*)::int AS n FROM harbour_events WHERE type = 'LoadTested'");
    expect(rows[0].n).toBe(writers * perWriter);
  });

  it('never skips an event whose transaction opened first but committed last', async () => {
    const reader = collect(await head());
    const slow = new pg.Client({ connectionString: ctx.database.url });
    await slow.connect();
    try {
      // The slow writer takes its transaction id and position first, then stalls before COMMIT.
      await slow.query('BEGIN');
      await slow.query('SELECT harbour_append($1::jsonb, NULL)', [
        JSON.stringify([
          {
            streamId: 'slow-stream',
            expected: 'no-stream',
            events: [
              {
                eventId: '6f1d3c55-8b0e-4d4f-9d6b-2f1f0d7b9a11',
                type: 'SlowCommitted',
                schemaVersion: 1,
                data: {},
                metadata: {
                  correlationId: 'c',
                  causationId: null,
                  actor: testActor,
                  requestId: null,
                  recordedAt: '2026-11-02T09:00:00.000Z',
                },
                recordedAt: '2026-11-02T09:00:00.000Z',
                contentHash: '00'.repeat(32),
              },
            ],
          },
        ]),
      ]);
      // Faster writers commit after it started.
      for (let i = 0; i < 20; i++)
        await ctx.store.append(`fast-${i}`, 'no-stream', [{ type: 'FastCommitted', data: { i } }], context);
      // They are committed and readable by stream, but "all" must hold them back behind the open transaction.
      expect(await ctx.store.readStream('fast-19')).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(reader.seen.filter((e) => e.type === 'FastCommitted')).toHaveLength(0);

      await slow.query('COMMIT');
      await eventually(() => expect(reader.seen).toHaveLength(21));
      await reader.subscription.stop();
      const types = reader.seen.map((e) => e.type);
      expect(types[0]).toBe('SlowCommitted');
      expect(types.filter((t) => t === 'FastCommitted')).toHaveLength(20);
      expect(reader.outOfOrder()).toBe(0);
    } finally {
      await slow.end();
    }
  });

  it('moves a filtered reader past events of other types', async () => {
    await ctx.store.append(
      'filter-a',
      'no-stream',
      [
        { type: 'Wanted', data: {} },
        { type: 'Unwanted', data: {} },
        { type: 'Unwanted', data: {} },
      ],
      context,
    );
    // Transactions still open elsewhere on the server may hold the batch back for a moment.
    await eventually(async () => {
      const all = await ctx.store.readAll(0n, { limit: 100_000 });
      const filtered = await ctx.store.readAll(0n, { types: ['Wanted'], limit: 100_000 });
      expect(filtered.events.map((e) => e.type)).toEqual(['Wanted']);
      expect(filtered.checkpoint).toBe(all.checkpoint);
    });
  });
});
