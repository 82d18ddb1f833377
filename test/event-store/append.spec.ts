import { jest } from '@jest/globals';
import { ConcurrencyConflict, InvalidAppend, Upcasters, type AppendResult } from '@harbour/event-store';
import { startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

describe('appending to streams (PostgreSQL)', () => {
  let ctx: StoreContext;
  beforeAll(async () => {
    ctx = await startStoreContext();
  });
  afterAll(() => ctx.close());

  const event = (n: number) => ({ type: 'TallyIncremented', data: { by: n } });
  const context = { actor: testActor, requestId: 'req-1', correlationId: 'corr-1', causationId: 'cause-1' };

  it('stores a batch with a full envelope and reads it back in order', async () => {
    const result = (await ctx.store.append(
      'tally-a',
      'no-stream',
      [event(1), event(2), event(3)],
      context,
    )) as AppendResult;
    expect(result.nextExpectedVersion).toBe(2);
    const events = await ctx.store.readStream('tally-a');
    expect(events.map((e) => [e.streamVersion, e.data])).toEqual([
      [0, { by: 1 }],
      [1, { by: 2 }],
      [2, { by: 3 }],
    ]);
    const first = events[0];
    expect(first).toMatchObject({
      type: 'TallyIncremented',
      schemaVersion: 1,
      streamId: 'tally-a',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      requestId: 'req-1',
      actor: testActor,
      recordedAt: new Date('2026-11-02T09:00:00Z'),
    });
    expect(first.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[1].globalPosition).toBeGreaterThan(first.globalPosition);
    expect(await ctx.store.readStream('tally-a', 2)).toHaveLength(1);
  });

  it('honours every kind of expected version', async () => {
    await expect(ctx.store.append('tally-b', 'stream-exists', [event(1)], context)).rejects.toBeInstanceOf(
      ConcurrencyConflict,
    );
    await ctx.store.append('tally-b', 'no-stream', [event(1)], context);
    await expect(ctx.store.append('tally-b', 'no-stream', [event(1)], context)).rejects.toMatchObject({ actual: 0 });
    await ctx.store.append('tally-b', 'stream-exists', [event(2)], context);
    await ctx.store.append('tally-b', 1, [event(3)], context);
    const stale = ctx.store.append('tally-b', 1, [event(4)], context);
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyConflict);
    await expect(stale).rejects.toMatchObject({ expected: 1, actual: 2, details: { currentVersion: 2 } });
    await ctx.store.append('tally-b', 'any', [event(5)], context);
    expect((await ctx.store.readStream('tally-b')).map((e) => (e.data as { by: number }).by)).toEqual([1, 2, 3, 5]);
  });

  it('lets exactly one of many appends with the same expected version win', async () => {
    await ctx.store.append('tally-race', 'no-stream', [event(0)], context);
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => ctx.store.append('tally-race', 0, [event(i + 1)], context)),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(11);
    lost.forEach((l) => expect(l.reason).toBeInstanceOf(ConcurrencyConflict));
    expect(await ctx.store.readStream('tally-race')).toHaveLength(2);
  });

  it('appends to several streams atomically: one stale stream and nothing is written', async () => {
    await ctx.store.append('tally-c', 'no-stream', [event(1)], context);
    await expect(
      ctx.store.appendMany(
        [
          { streamId: 'tally-d', expected: 'no-stream', events: [event(1)] },
          { streamId: 'tally-c', expected: 'no-stream', events: [event(2)] },
        ],
        context,
      ),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect(await ctx.store.readStream('tally-d')).toHaveLength(0);
    const ok = await ctx.store.appendMany(
      [
        { streamId: 'tally-d', expected: 'no-stream', events: [event(1)] },
        { streamId: 'tally-c', expected: 0, events: [event(2)] },
      ],
      context,
    );
    expect(Array.isArray(ok) && ok.map((r) => r.nextExpectedVersion)).toEqual([0, 1]);
  });

  it('refuses empty appends and keeps the log append-only', async () => {
    await expect(ctx.store.append('tally-e', 'any', [], context)).rejects.toBeInstanceOf(InvalidAppend);
    await expect(
      ctx.store.append('tally-e', 'any', [{ type: 'Bad', data: { n: NaN } }], context),
    ).rejects.toBeInstanceOf(InvalidAppend);
    await expect(
      ctx.store.append('tally-e', 'any', [{ type: 'Bad', data: { s: 'nul\u0000' } }], context),
    ).rejects.toBeInstanceOf(InvalidAppend);
    expect(await ctx.store.readStream('tally-e')).toHaveLength(0);
    await ctx.store.append('tally-e', 'any', [event(1)], context);
    await expect(ctx.pool.query("UPDATE harbour_events SET data = '{}' WHERE stream_id = 'tally-e'")).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.pool.query("DELETE FROM harbour_events WHERE stream_id = 'tally-e'")).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.pool.query('TRUNCATE harbour_events')).rejects.toThrow(/append-only/);
  });

  it('upcasts old payloads on read while the stored row stays as written', async () => {
    await ctx.store.append(
      'tally-f',
      'no-stream',
      [{ type: 'TallyRenamed', schemaVersion: 1, data: { label: 'old' } }],
      context,
    );
    ctx.app.get(Upcasters).register({ type: 'TallyRenamed', fromVersion: 1, upcast: (d) => ({ title: d.label }) });
    const [event] = await ctx.store.readStream('tally-f');
    expect(event).toMatchObject({ schemaVersion: 2, data: { title: 'old' } });
    const { rows } = await ctx.pool.query(
      "SELECT schema_version, data FROM harbour_events WHERE stream_id = 'tally-f'",
    );
    expect(rows[0]).toEqual({ schema_version: 1, data: { label: 'old' } });
  });

  it('answers concurrent version look-ups correctly while sharing queries between them', async () => {
    for (let i = 0; i < 20; i++)
      await ctx.store.append(
        `versions-${i}`,
        'no-stream',
        Array.from({ length: i + 1 }, () => event(i)),
        context,
      );
    const spy = jest.spyOn(ctx.pool, 'query');
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, k) => ctx.store.streamVersions([`versions-${k % 20}`, `missing-${k}`])),
      );
      answers.forEach((map, k) => expect([...map]).toEqual([[`versions-${k % 20}`, k % 20]]));
      expect(spy.mock.calls.length).toBeLessThan(10);
    } finally {
      spy.mockRestore();
    }
  });
});
