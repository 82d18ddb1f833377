import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventStore, ProjectionRunner, SnapshotProjection, StreamHistory } from '@harbour/event-store';
import { eventually, startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

type Tally = { total: number; notes: string[] };
type TallyEvent = { type: 'Counted'; data: { n: number } };
const tally = {
  initialState: (): Tally => ({ total: 0, notes: [] }),
  evolve: (s: Tally, e: TallyEvent): Tally => ({
    total: s.total + e.data.n,
    notes: [...s.notes, `+${e.data.n}`].slice(-3),
  }),
};

@Injectable()
class TallySnapshots implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly store: EventStore,
  ) {}
  onModuleInit(): void {
    this.runner.register(
      new SnapshotProjection(this.store, {
        kind: 'tally-v1',
        streamPrefix: 'tally-',
        eventTypes: ['Counted'],
        folder: tally,
        every: 10,
      }),
    );
  }
}

describe('snapshots and reads as of a past instant', () => {
  let ctx: StoreContext;
  let history: StreamHistory;
  const start = new Date('2026-11-02T09:00:00Z').getTime();
  const minute = (m: number) => new Date(start + m * 60_000);

  beforeAll(async () => {
    ctx = await startStoreContext({ providers: [TallySnapshots] });
    history = ctx.app.get(StreamHistory);
    // 35 events, one a minute: event i (version i) adds i + 1 and is recorded at minute i.
    for (let i = 0; i < 35; i++) {
      ctx.clock.set(minute(i));
      await ctx.store.append('tally-a', i - 1, [{ type: 'Counted', data: { n: i + 1 } }], { actor: testActor });
    }
    // The running projection writes them (a catch-up alone may stop short while another test
    // database on the shared server holds an old transaction open).
    await eventually(async () => {
      const { rows } = await ctx.pool.query(`SELECT count(*)::int AS n FROM harbour_snapshots WHERE kind = 'tally-v1'`);
      expect(rows[0].n).toBe(3);
    });
  });
  afterAll(() => ctx.close());

  const sum = (count: number) => (count * (count + 1)) / 2;

  it('writes a snapshot after every interval of a stream, covering up to its last event', async () => {
    const { rows } = await ctx.pool.query(
      `SELECT version::int, covers_until FROM harbour_snapshots WHERE kind = 'tally-v1' ORDER BY version`,
    );
    expect(rows.map((r) => r.version)).toEqual([9, 19, 29]);
    expect(rows.map((r) => r.covers_until.toISOString())).toEqual(
      [minute(9), minute(19), minute(29)].map((d) => d.toISOString()),
    );
  });

  it('answers every instant with exactly the events recorded by then', async () => {
    for (const m of [0, 5, 9, 10, 19, 23, 29, 30, 34, 500]) {
      const { state, version } = await history.asOf(
        'tally-v1',
        'tally-a',
        tally,
        new Date(minute(m).getTime() + 30_000),
      );
      const count = Math.min(m, 34) + 1;
      expect({ m, total: state.total, version }).toEqual({ m, total: sum(count), version: count - 1 });
    }
    const before = await history.asOf('tally-v1', 'tally-a', tally, minute(-1));
    expect(before).toEqual({ state: { total: 0, notes: [] }, version: -1 });
  });

  it('starts from the newest snapshot the instant covers instead of the first event', async () => {
    // Mark the snapshot at version 19: a read after minute 19 must start from it.
    await ctx.pool.query(
      `UPDATE harbour_snapshots SET state = jsonb_set(state, '{notes}', '["from-snapshot"]') WHERE kind = 'tally-v1' AND version = 19`,
    );
    const { state } = await history.asOf('tally-v1', 'tally-a', tally, new Date(minute(21).getTime() + 1));
    expect(state.notes).toEqual(['from-snapshot', '+21', '+22']);
    const early = await history.asOf('tally-v1', 'tally-a', tally, minute(15));
    expect(early.state.notes).toEqual(['+14', '+15', '+16']);
  });

  it('rebuilds its snapshots from the log', async () => {
    await ctx.projections.rebuild('snapshots-tally-v1');
    await eventually(async () => {
      const { rows } = await ctx.pool.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE state->'notes' ? 'from-snapshot')::int AS marked FROM harbour_snapshots WHERE kind = 'tally-v1'`,
      );
      expect(rows[0]).toEqual({ total: 3, marked: 0 });
    });
    const { state } = await history.asOf('tally-v1', 'tally-a', tally, new Date(minute(21).getTime() + 1));
    expect(state.notes).toEqual(['+20', '+21', '+22']);
  });
});
