import pg from 'pg';
import { IntegrityService } from '@harbour/event-store';
import { startStoreContext, testActor, type StoreContext } from '../support/store-context.js';

/**
 * Tampering as a database owner could: bypass the append-only trigger and edit rows directly.
 * verify() must name the first damaged event each time.
 */
describe('verifying the event log', () => {
  let ctx: StoreContext;
  let integrity: IntegrityService;

  beforeEach(async () => {
    ctx = await startStoreContext();
    integrity = ctx.app.get(IntegrityService);
    for (const stream of ['case-a', 'case-b']) {
      await ctx.store.append(
        stream,
        'no-stream',
        [1, 2, 3, 4].map((n) => ({ type: 'NoteAdded', data: { n, text: `note ${n}` } })),
        { actor: testActor },
      );
    }
  });
  afterEach(() => ctx.close());

  async function tamper(sql: string, params: unknown[] = []): Promise<void> {
    const client = new pg.Client({ connectionString: ctx.database.url });
    await client.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await client.query(sql, params);
    } finally {
      await client.end();
    }
  }
  const positionOf = async (stream: string, version: number) =>
    (
      await ctx.pool.query(
        'SELECT global_position::text AS p FROM harbour_events WHERE stream_id = $1 AND stream_version = $2',
        [stream, version],
      )
    ).rows[0].p as string;

  it('passes an untouched log', async () => {
    const report = await integrity.verify();
    expect(report).toMatchObject({ ok: true, eventsChecked: 8, streamsChecked: 2, firstBad: null });
  });

  it('passes a stream of more than ten events (versions compare as numbers, not text)', async () => {
    await ctx.store.append(
      'case-long',
      'no-stream',
      Array.from({ length: 12 }, (_, n) => ({ type: 'NoteAdded', data: { n, text: `note ${n}` } })),
      { actor: testActor },
    );
    expect(await integrity.verify()).toMatchObject({ ok: true, eventsChecked: 20, streamsChecked: 3, firstBad: null });
  });

  it('names an event whose payload was altered', async () => {
    const target = await positionOf('case-b', 2);
    await tamper(`UPDATE harbour_events SET data = '{"n": 3, "text": "rewritten"}' WHERE global_position = $1`, [
      target,
    ]);
    const report = await integrity.verify();
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({
      problem: 'content-altered',
      globalPosition: target,
      streamId: 'case-b',
      streamVersion: 2,
    });
    expect(report.findings).toHaveLength(1);
  });

  it('names an event whose actor was altered (metadata is covered too)', async () => {
    const target = await positionOf('case-a', 0);
    await tamper(
      `UPDATE harbour_events SET metadata = jsonb_set(metadata, '{actor,userId}', '"someone-else"') WHERE global_position = $1`,
      [target],
    );
    expect((await integrity.verify()).firstBad).toMatchObject({ problem: 'content-altered', globalPosition: target });
  });

  it('names the event after a deleted one', async () => {
    await tamper("DELETE FROM harbour_events WHERE stream_id = 'case-a' AND stream_version = 1");
    const report = await integrity.verify();
    expect(report.firstBad).toMatchObject({
      problem: 'event-missing',
      streamId: 'case-a',
      streamVersion: 2,
      globalPosition: await positionOf('case-a', 2),
    });
  });

  it('names the first of two reordered events', async () => {
    // Swap the stream versions of events 1 and 2 of case-a.
    const [first, second] = [await positionOf('case-a', 1), await positionOf('case-a', 2)];
    await tamper(`UPDATE harbour_events SET stream_version = -1 WHERE stream_id = 'case-a' AND stream_version = 1;
                  UPDATE harbour_events SET stream_version = 1 WHERE stream_id = 'case-a' AND stream_version = 2;
                  UPDATE harbour_events SET stream_version = 2 WHERE stream_id = 'case-a' AND stream_version = -1;`);
    const report = await integrity.verify();
    expect(report.ok).toBe(false);
    // Both are reported; the first in log order is the event originally written at version 1.
    expect(report.findings.map((f) => f.globalPosition)).toEqual(expect.arrayContaining([first, second]));
    expect(report.firstBad).toMatchObject({
      streamId: 'case-a',
      globalPosition: first,
      streamVersion: 2,
      problem: 'chain-broken',
    });
  });

  it('names the new last event when the tail of a stream was cut off', async () => {
    await tamper("DELETE FROM harbour_events WHERE stream_id = 'case-b' AND stream_version = 3");
    const report = await integrity.verify();
    expect(report.firstBad).toMatchObject({ problem: 'stream-tail-missing', streamId: 'case-b', streamVersion: 2 });
  });

  it('notices a recomputed content hash that no longer chains', async () => {
    const target = await positionOf('case-a', 3);
    await tamper(`UPDATE harbour_events SET hash = sha256('forged') WHERE global_position = $1`, [target]);
    expect((await integrity.verify()).firstBad).toMatchObject({ problem: 'hash-altered', globalPosition: target });
  });
});
