import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  ConcurrencyConflict,
  isDuplicate,
  type AppendResult,
  type EventStore,
  type IntegrityProblem,
  type IntegrityReport,
  type StoredEvent,
} from '@harbour/event-store';
import { eventually, testActor } from '../../support/store-context.js';

/** What a spec gives the contract: a store, the PostgreSQL pool read models live in, and its tamper tools. */
export interface ContractHarness {
  store: EventStore;
  /** PostgreSQL, where read models and their checkpoints live whichever store holds the log. */
  pool: Pool;
  verify(): Promise<IntegrityReport>;
  /**
   * Damage one stored event of `streamId` the way this store allows it (PostgreSQL: a database
   * owner rewriting a row; KurrentDB: appending a forged event around the adapter) and say
   * which event verify must name and with what problem.
   */
  tamper(streamId: string): Promise<{ streamVersion: number; problem: IntegrityProblem }>;
  close(): Promise<void>;
}

/**
 * ONE contract for every adapter of the EventStore port. Names are unique per run (a KurrentDB
 * node may keep earlier runs' events), and every read of "all" starts from a marker appended
 * by the test itself.
 */
export function describeEventStoreContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`EventStore contract: ${name}`, () => {
    let h: ContractHarness;
    const run = randomUUID().slice(0, 8);
    const stream = (s: string) => `contract-${run}-${s}`;
    const type = (t: string) => `${t}_${run}`;
    const context = { actor: testActor, requestId: 'req-contract', correlationId: 'corr-contract' };
    const tally = (n: number, t = 'Tallied') => ({ type: type(t), data: { n } });
    const numbers = (events: StoredEvent[]) => events.map((e) => (e.data as { n: number }).n);
    const appended = async (...args: Parameters<EventStore['append']>) => {
      const result = await h.store.append(...args);
      if (isDuplicate(result)) throw new Error('unexpected duplicate');
      return result;
    };
    /** A position at or after everything appended so far (a marker event of its own type). */
    const here = async () =>
      (await appended(stream(`marker-${randomUUID()}`), 'no-stream', [tally(0, 'Marked')], context)).events[0]
        .globalPosition;
    /**
     * Everything readable after `from`, reading on until the reader has passed `until`: a reader
     * never skips, so it may hold back events behind a transaction still in flight elsewhere
     * (a background job's append) — it must catch up, not see them at once.
     */
    const readAllAfter = async (from: bigint, until: bigint, types?: string[]) => {
      const out: StoredEvent[] = [];
      const deadline = Date.now() + 15_000;
      let position = from;
      for (;;) {
        const batch = await h.store.readAll(position, { limit: 7, types });
        out.push(...batch.events);
        if (batch.checkpoint === position) {
          if (position >= until || Date.now() > deadline) return { events: out, checkpoint: position };
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        position = batch.checkpoint;
      }
    };

    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(() => h?.close());

    it('appends and reads back a stream in order with its full envelope', async () => {
      const result = (await h.store.append(
        stream('order'),
        'no-stream',
        [tally(1), tally(2), tally(3)],
        context,
      )) as AppendResult;
      expect(result.nextExpectedVersion).toBe(2);
      expect(result.events.map((e) => e.streamVersion)).toEqual([0, 1, 2]);
      const events = await h.store.readStream(stream('order'));
      expect(events.map((e) => [e.streamVersion, e.data])).toEqual([
        [0, { n: 1 }],
        [1, { n: 2 }],
        [2, { n: 3 }],
      ]);
      expect(events[0]).toMatchObject({
        type: type('Tallied'),
        schemaVersion: 1,
        streamId: stream('order'),
        correlationId: 'corr-contract',
        requestId: 'req-contract',
        actor: testActor,
      });
      expect(events.map((e) => e.globalPosition)).toEqual(result.events.map((e) => e.globalPosition));
      expect(events[1].globalPosition).toBeGreaterThan(events[0].globalPosition);
      expect(events[2].globalPosition).toBeGreaterThan(events[1].globalPosition);
      expect(numbers(await h.store.readStream(stream('order'), 2))).toEqual([3]);
      expect(await h.store.readStream(stream('never-written'))).toEqual([]);
      const versions = await h.store.streamVersions([stream('order'), stream('never-written')]);
      expect([...versions]).toEqual([[stream('order'), 2]]);
    });

    it('honours no-stream, stream-exists, exact versions and any', async () => {
      const s = stream('expect');
      await expect(h.store.append(s, 'stream-exists', [tally(1)], context)).rejects.toBeInstanceOf(ConcurrencyConflict);
      await expect(h.store.append(s, 0, [tally(1)], context)).rejects.toBeInstanceOf(ConcurrencyConflict);
      await h.store.append(s, 'no-stream', [tally(1)], context);
      await expect(h.store.append(s, 'no-stream', [tally(1)], context)).rejects.toMatchObject({
        actual: 0,
        details: { currentVersion: 0 },
      });
      await h.store.append(s, 'stream-exists', [tally(2)], context);
      await h.store.append(s, 1, [tally(3)], context);
      const stale = h.store.append(s, 1, [tally(4)], context);
      await expect(stale).rejects.toBeInstanceOf(ConcurrencyConflict);
      await expect(stale).rejects.toMatchObject({ expected: 1, actual: 2 });
      await h.store.append(s, 'any', [tally(5)], context);
      await h.store.append(stream('expect-any-new'), 'any', [tally(6)], context);
      expect(numbers(await h.store.readStream(s))).toEqual([1, 2, 3, 5]);
      expect(numbers(await h.store.readStream(stream('expect-any-new')))).toEqual([6]);
    });

    it('lets exactly one of concurrent appends with the same expected version win', async () => {
      const s = stream('race');
      await h.store.append(s, 'no-stream', [tally(0)], context);
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => h.store.append(s, 0, [tally(i + 1)], context)),
      );
      const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      expect(lost).toHaveLength(9);
      lost.forEach((l) => expect(l.reason).toBeInstanceOf(ConcurrencyConflict));
      expect(await h.store.readStream(s)).toHaveLength(2);
    });

    it('keeps every concurrent append with `any`, each version once', async () => {
      const s = stream('any-race');
      await Promise.all(Array.from({ length: 8 }, (_, i) => h.store.append(s, 'any', [tally(i)], context)));
      const events = await h.store.readStream(s);
      expect(events.map((e) => e.streamVersion)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(numbers(events).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it('appends to several streams all or nothing', async () => {
      const [c, d] = [stream('multi-c'), stream('multi-d')];
      await h.store.append(c, 'no-stream', [tally(1)], context);
      await expect(
        h.store.appendMany(
          [
            { streamId: d, expected: 'no-stream', events: [tally(1)] },
            { streamId: c, expected: 'no-stream', events: [tally(2)] },
          ],
          context,
        ),
      ).rejects.toBeInstanceOf(ConcurrencyConflict);
      expect(await h.store.readStream(d)).toHaveLength(0);
      expect(numbers(await h.store.readStream(c))).toEqual([1]);
      const ok = await h.store.appendMany(
        [
          { streamId: d, expected: 'no-stream', events: [tally(1), tally(2)] },
          { streamId: c, expected: 0, events: [tally(2)] },
        ],
        context,
      );
      expect(Array.isArray(ok) && ok.map((r) => r.nextExpectedVersion)).toEqual([1, 1]);
      expect(numbers(await h.store.readStream(d))).toEqual([1, 2]);
      expect(numbers(await h.store.readStream(c))).toEqual([1, 2]);
    });

    it('reads "all" from a position, in order, filtered by type', async () => {
      const from = await here();
      await h.store.append(stream('all-a'), 'no-stream', [tally(1), tally(2, 'Other'), tally(3)], context);
      const last = (await appended(stream('all-b'), 'no-stream', [tally(4, 'Other'), tally(5)], context)).events[1]
        .globalPosition;
      const all = await readAllAfter(from, last);
      const mine = all.events.filter((e) => e.streamId === stream('all-a') || e.streamId === stream('all-b'));
      expect(numbers(mine)).toEqual([1, 2, 3, 4, 5]);
      const positions = all.events.map((e) => e.globalPosition);
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      // From the middle: exactly what follows.
      const middle = mine[2].globalPosition;
      const after = (await readAllAfter(middle, last)).events.filter(
        (e) => e.streamId === stream('all-a') || e.streamId === stream('all-b'),
      );
      expect(numbers(after)).toEqual([4, 5]);
      const tallied = await readAllAfter(from, last, [type('Tallied')]);
      expect(numbers(tallied.events)).toEqual([1, 3, 5]);
      // The filtered reader's checkpoint moved at least past its last event.
      expect(tallied.checkpoint).toBeGreaterThanOrEqual(mine[4].globalPosition);
    });

    it('resumes a filtered subscription from a checkpoint committed with its read model, skipping and repeating nothing', async () => {
      const name = `contract-${run}`;
      await h.pool.query(
        'CREATE TABLE IF NOT EXISTS contract_seen (name text, event_id text, n int, PRIMARY KEY (name, event_id))',
      );
      const start = await here();
      await h.pool.query(
        'INSERT INTO harbour_checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET position = $2',
        [name, start.toString()],
      );
      const subscribe = async () => {
        const { rows } = await h.pool.query<{ position: string }>(
          'SELECT position::text AS position FROM harbour_checkpoints WHERE name = $1',
          [name],
        );
        return h.store.subscribe({
          from: BigInt(rows[0].position),
          types: [type('Counted')],
          limit: 3,
          onEvents: async (events, checkpoint) => {
            const client = await h.pool.connect();
            try {
              await client.query('BEGIN');
              for (const e of events)
                await client.query('INSERT INTO contract_seen (name, event_id, n) VALUES ($1, $2, $3)', [
                  name,
                  e.eventId,
                  (e.data as { n: number }).n,
                ]);
              await client.query('UPDATE harbour_checkpoints SET position = $2 WHERE name = $1', [
                name,
                checkpoint.toString(),
              ]);
              await client.query('COMMIT');
            } catch (error) {
              await client.query('ROLLBACK');
              throw error;
            } finally {
              client.release();
            }
          },
        });
      };
      const seen = async () =>
        (await h.pool.query<{ n: number }>('SELECT n FROM contract_seen WHERE name = $1 ORDER BY n', [name])).rows.map(
          (r) => r.n,
        );
      const counted = (from: number, to: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => tally(from + i, 'Counted'));

      let subscription = await subscribe();
      await h.store.append(stream('sub-a'), 'no-stream', [...counted(1, 4), tally(100, 'Other')], context);
      await h.store.append(stream('sub-b'), 'no-stream', counted(5, 7), context);
      await eventually(async () => expect(await seen()).toEqual([1, 2, 3, 4, 5, 6, 7]));
      await subscription.stop();

      await h.store.append(stream('sub-a'), 'any', [tally(101, 'Other'), ...counted(8, 9)], context);
      await h.store.appendMany(
        [
          { streamId: stream('sub-c'), expected: 'no-stream', events: counted(10, 11) },
          { streamId: stream('sub-d'), expected: 'no-stream', events: [tally(102, 'Other'), ...counted(12, 12)] },
        ],
        context,
      );
      subscription = await subscribe();
      await h.store.append(stream('sub-b'), 2, counted(13, 14), context);
      await eventually(async () => expect(await seen()).toEqual(Array.from({ length: 14 }, (_, i) => i + 1)));
      await subscription.stop();
      // A repeat would have violated contract_seen's primary key and stopped the subscription.
      expect(subscription.running).toBe(false);
    });

    it('records an idempotent append once and answers its repeat as a duplicate', async () => {
      const s = stream('idem');
      const key = `key-${randomUUID()}`;
      const idempotency = { scope: 'contract', key, fingerprint: 'fp-1', result: { id: 'r-1' } };
      const first = await h.store.append(s, 'no-stream', [tally(1)], context, { idempotency });
      expect(isDuplicate(first)).toBe(false);
      const again = await h.store.append(s, 'no-stream', [tally(1)], context, { idempotency });
      expect(again).toEqual({ duplicate: true, fingerprint: 'fp-1', result: { id: 'r-1' } });
      expect(await h.store.findIdempotencyRecord('contract', key)).toEqual({
        fingerprint: 'fp-1',
        result: { id: 'r-1' },
      });
      expect(await h.store.findIdempotencyRecord('contract', `${key}-other`)).toBeNull();
      // Across several streams too; a different scope is a different key.
      const many = { scope: 'contract-many', key, fingerprint: 'fp-2', result: null };
      const apply = () =>
        h.store.appendMany(
          [
            { streamId: stream('idem-x'), expected: 'any', events: [tally(1)] },
            { streamId: stream('idem-y'), expected: 'any', events: [tally(2)] },
          ],
          context,
          { idempotency: many },
        );
      expect(isDuplicate(await apply())).toBe(false);
      expect(isDuplicate(await apply())).toBe(true);
      expect(await h.store.readStream(s)).toHaveLength(1);
      expect(await h.store.readStream(stream('idem-x'))).toHaveLength(1);
      expect(await h.store.readStream(stream('idem-y'))).toHaveLength(1);
    });

    it('verifies the per-stream hash chain and names a tampered event', async () => {
      const s = stream('chain');
      for (let i = 0; i < 4; i++) await h.store.append(s, 'any', [tally(i), tally(i + 10)], context);
      const ours = (r: IntegrityReport) => r.findings.filter((f) => f.streamId.includes(run));
      expect(ours(await h.verify())).toEqual([]);
      const damage = await h.tamper(s);
      const findings = ours(await h.verify());
      expect(findings[0]).toMatchObject({ streamId: s, streamVersion: damage.streamVersion, problem: damage.problem });
    });
  });
}
