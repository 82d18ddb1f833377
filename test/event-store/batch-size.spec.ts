import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ProjectionRunner, type Projection, type StoredEvent } from '@harbour/event-store';
import { eventually, startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

/** Records the size of every batch it is given while following the log live. */
@Injectable()
class SmallBatches implements Projection, OnModuleInit {
  readonly name = 'test-small-batches';
  readonly eventTypes = ['Ticked'];
  readonly batchSize = 2;
  readonly batches: number[] = [];

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  apply(): Promise<void> {
    throw new Error('applyBatch is used when present');
  }

  async applyBatch(events: StoredEvent[]): Promise<void> {
    this.batches.push(events.length);
  }

  async reset(): Promise<void> {}
}

describe('a projection batch size', () => {
  let ctx: StoreContext;
  beforeAll(async () => {
    ctx = await startStoreContext({ providers: [SmallBatches] });
  });
  afterAll(() => ctx.close());

  it('bounds the events applied per transaction while following the log, and all of them are applied', async () => {
    const projection = ctx.app.get(SmallBatches);
    await ctx.store.append(
      'ticks-1',
      'no-stream',
      [1, 2, 3, 4, 5].map((n) => ({ type: 'Ticked', data: { n } })),
      { actor: testActor },
    );
    await eventually(() => expect(projection.batches.reduce((a, b) => a + b, 0)).toBe(5));
    expect(Math.max(...projection.batches)).toBeLessThanOrEqual(2);
    await eventually(async () =>
      expect((await ctx.projections.status()).find((s) => s.name === 'test-small-batches')).toMatchObject({
        state: 'running',
        lag: 0,
      }),
    );
  });
});
