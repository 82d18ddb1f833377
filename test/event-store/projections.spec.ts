import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProjectionRunner, type Projection, type StoredEvent } from '@harbour/event-store';
import { eventually, startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

/** A read model of deposits per account, that can be told to fail on one amount. */
@Injectable()
class BalancesProjection implements Projection, OnModuleInit {
  readonly name = 'test-balances';
  readonly eventTypes = ['Deposited'];
  failOnAmount: number | null = null;

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(event: StoredEvent, manager: EntityManager): Promise<void> {
    const { amount } = event.data as { amount: number };
    await manager.query(
      `INSERT INTO test_balances (account, total, deposits) VALUES ($1, $2, 1)
       ON CONFLICT (account) DO UPDATE SET total = test_balances.total + $2, deposits = test_balances.deposits + 1`,
      [event.streamId, amount],
    );
    if (amount === this.failOnAmount) throw new Error('cannot project this deposit');
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM test_balances');
  }
}

describe('projections', () => {
  let ctx: StoreContext;
  let projection: BalancesProjection;
  const deposit = (account: string, amount: number) =>
    ctx.store.append(
      account,
      'any',
      [
        { type: 'Deposited', data: { amount } },
        { type: 'Noted', data: {} },
      ],
      { actor: testActor },
    );
  const balances = async () =>
    Object.fromEntries(
      (await ctx.pool.query('SELECT account, total, deposits FROM test_balances ORDER BY account')).rows.map((r) => [
        r.account,
        [r.total, r.deposits],
      ]),
    );
  const statusOf = async () => (await ctx.projections.status()).find((s) => s.name === 'test-balances')!;

  beforeAll(async () => {
    ctx = await startStoreContext({ providers: [BalancesProjection] });
    await ctx.pool.query(
      'CREATE TABLE test_balances (account text PRIMARY KEY, total int NOT NULL, deposits int NOT NULL)',
    );
    projection = ctx.app.get(BalancesProjection);
  });
  afterAll(() => ctx.close());

  it('catches up, then follows live appends, with lag reported', async () => {
    await deposit('acct-1', 10);
    await deposit('acct-2', 5);
    await eventually(async () => expect(await balances()).toEqual({ 'acct-1': [10, 1], 'acct-2': [5, 1] }));
    await eventually(async () => expect(await statusOf()).toMatchObject({ state: 'running', lag: 0, failure: null }));
  });

  it('stops on a throwing handler without committing its change or its checkpoint, then resumes exactly once', async () => {
    const before = await statusOf();
    projection.failOnAmount = 13;
    // One append: the three deposits become visible together and are projected as one batch.
    await ctx.store.append(
      'acct-1',
      'any',
      [7, 13, 20].map((amount) => ({ type: 'Deposited', data: { amount } })),
      { actor: testActor },
    );
    await eventually(async () => expect((await statusOf()).state).toBe('failed'));

    const failed = await statusOf();
    expect(failed.failure).toMatchObject({ eventType: 'Deposited', error: { name: 'Error' } });
    expect(JSON.stringify(failed.failure)).not.toContain('cannot project');
    // The whole batch rolled back: not even the 7 before the 13 is in the read model, the checkpoint did not move.
    expect(await balances()).toEqual({ 'acct-1': [10, 1], 'acct-2': [5, 1] });
    expect(failed.checkpoint).toBe(before.checkpoint);
    expect(failed.lag).toBeGreaterThan(0);

    projection.failOnAmount = null;
    await ctx.projections.start('test-balances');
    await eventually(async () => expect(await balances()).toEqual({ 'acct-1': [50, 4], 'acct-2': [5, 1] }));
    await eventually(async () => expect(await statusOf()).toMatchObject({ state: 'running', lag: 0 }));
  });

  it('resumes after a restart from its committed checkpoint without applying anything twice', async () => {
    await ctx.projections.stop('test-balances');
    await deposit('acct-3', 1);
    await deposit('acct-3', 2);
    expect((await balances())['acct-3']).toBeUndefined();
    await ctx.projections.start('test-balances');
    await eventually(async () => expect((await balances())['acct-3']).toEqual([3, 2]));
    expect(await balances()).toEqual({ 'acct-1': [50, 4], 'acct-2': [5, 1], 'acct-3': [3, 2] });
  });

  it('rebuilds from zero to the same read model', async () => {
    const expected = await balances();
    await ctx.pool.query("UPDATE test_balances SET total = -1 WHERE account = 'acct-2'");
    await ctx.projections.rebuild('test-balances');
    await eventually(async () => expect(await balances()).toEqual(expected));
  });

  it('catchUp follows a checkpoint another process moved meanwhile (e.g. the API while the CLI exports)', async () => {
    await ctx.projections.stop('test-balances');
    await deposit('acct-4', 4);
    // The other process holds the checkpoint row, applies the deposit and commits while catchUp waits for the lock.
    const other = await ctx.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query("SELECT position FROM harbour_checkpoints WHERE name = 'test-balances' FOR UPDATE");
      // Transactions of other test files on the same server can briefly hide the deposit from
      // "all" (they share transaction ids); a catchUp that found nothing to do is started again.
      let finished = false;
      const begin = () => {
        finished = false;
        const run = ctx.projections.catchUp('test-balances');
        void run.then(() => (finished = true));
        return run;
      };
      let catchingUp = begin();
      await eventually(async () => {
        if (finished) catchingUp = begin();
        const { rows } = await ctx.pool.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        expect(rows[0].n).toBe(1);
      });
      await other.query("INSERT INTO test_balances (account, total, deposits) VALUES ('acct-4', 4, 1)");
      await other.query(
        "UPDATE harbour_checkpoints SET position = (SELECT max(global_position) FROM harbour_events) WHERE name = 'test-balances'",
      );
      await other.query('COMMIT');
      await catchingUp;
    } finally {
      other.release();
    }
    expect((await balances())['acct-4']).toEqual([4, 1]); // applied once, by the other process
  });

  it('moves past a stream of other event types without writing its checkpoint on every poll, and shows no lag for them', async () => {
    await ctx.projections.start('test-balances'); // the test before stopped it
    await eventually(async () => expect(await statusOf()).toMatchObject({ state: 'running', lag: 0 }));
    const stored = async () =>
      (
        await ctx.pool.query(
          "SELECT position::text AS position, updated_at FROM harbour_checkpoints WHERE name = 'test-balances'",
        )
      ).rows[0];
    const before = await stored();
    // Only other types for a while: the projection polls several times meanwhile (every 250 ms).
    for (let i = 0; i < 8; i++) {
      await ctx.store.append('noise-1', 'any', [{ type: 'Noted', data: { i } }], { actor: testActor });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await eventually(async () => expect(await statusOf()).toMatchObject({ state: 'running', lag: 0 }));
    expect(await stored()).toEqual(before); // nothing written for events it does not want
    // Its next real batch writes the checkpoint past everything it has seen.
    await deposit('acct-idle', 1);
    await eventually(async () => expect((await balances())['acct-idle']).toEqual([1, 1]));
    const {
      rows: [{ last }],
    } = await ctx.pool.query("SELECT max(global_position)::text AS last FROM harbour_events WHERE type = 'Deposited'");
    await eventually(async () => expect(BigInt((await stored()).position)).toBeGreaterThanOrEqual(BigInt(last)));
  });
});
