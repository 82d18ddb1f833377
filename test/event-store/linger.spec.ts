import type { StoredEvent } from '@harbour/event-store';
import { eventually, startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

describe('a subscription that lingers after short batches', () => {
  let ctx: StoreContext;
  beforeAll(async () => {
    ctx = await startStoreContext();
  });
  afterAll(() => ctx.close());

  it('gets a busy event type in a few larger batches, every event once and in order', async () => {
    const batches: StoredEvent[][] = [];
    const subscription = ctx.store.subscribe({
      from: 0n,
      types: ['Counted'],
      lingerMs: 300,
      onEvents: async (events) => void batches.push(events),
    });
    try {
      for (let i = 0; i < 30; i++)
        await ctx.store.append('tally-linger', i - 1, [{ type: 'Counted', data: { i } }], { actor: testActor });
      await eventually(() => expect(batches.flat()).toHaveLength(30));
      expect(batches.flat().map((e) => (e.data as { i: number }).i)).toEqual([...Array(30).keys()]);
      // Thirty separate appends, each of which wakes the subscription: far fewer batches than appends.
      expect(batches.length).toBeLessThanOrEqual(5);
    } finally {
      await subscription.stop();
    }
  });

  it('stops at once even while lingering', async () => {
    const subscription = ctx.store.subscribe({ from: 0n, lingerMs: 60_000, onEvents: async () => undefined });
    await eventually(() => expect(subscription.checkpoint).toBeGreaterThan(0n));
    const started = Date.now();
    await subscription.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
