import { startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

describe('counting events after positions (projection lag)', () => {
  let ctx: StoreContext;
  beforeAll(async () => {
    ctx = await startStoreContext({ env: { HARBOUR_PROJECTIONS: 'false' } });
  });
  afterAll(() => ctx.close());

  it('answers several positions in one call, each as countAfter would, capped', async () => {
    const { events } = (await ctx.store.append(
      'lag-a',
      'no-stream',
      [1, 2, 3, 4, 5].map((n) => ({ type: 'Counted', data: { n } })),
      { actor: testActor },
    )) as { events: Array<{ globalPosition: bigint }> };
    const [first, second, , , last] = events.map((e) => e.globalPosition);
    const positions = [0n, first, second, last];
    expect(await ctx.store.countAfterEach(positions)).toEqual([5, 4, 3, 0]);
    expect(await ctx.store.countAfterEach(positions)).toEqual(
      await Promise.all(positions.map((p) => ctx.store.countAfter(p))),
    );
    expect(await ctx.store.countAfterEach([0n, second], 2)).toEqual([2, 2]);
    expect(await ctx.store.countAfterEach([])).toEqual([]);
  });
});
