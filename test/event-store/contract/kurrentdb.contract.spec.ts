import { jsonEvent, FORWARDS, type JSONEventType } from '@kurrent/kurrentdb-client';
import { IntegrityService, KurrentEventStore, PostgresEventStore } from '@harbour/event-store';
import { startStoreContext } from '../../support/store-context.js';
import { describeEventStoreContract } from './event-store.contract.js';

/**
 * The same contract on a REAL KurrentDB node (25.1 or later), only when one is named:
 *   docker run --rm -p 2113:2113 docker.kurrent.io/kurrent-latest/kurrentdb --insecure --mem-db
 *   HARBOUR_TEST_KURRENTDB_URL='kurrentdb://localhost:2113?tls=false' npm test -- test/event-store/contract
 * No server is ever faked. Read models and checkpoints stay on the test PostgreSQL.
 */
const url = process.env.HARBOUR_TEST_KURRENTDB_URL;

if (!url) {
  describe.skip('EventStore contract: KurrentDB — skipped: set HARBOUR_TEST_KURRENTDB_URL to a KurrentDB node (see README)', () => {
    it('needs a KurrentDB server', () => undefined);
  });
} else {
  describeEventStoreContract('KurrentDB', async () => {
    const ctx = await startStoreContext({ env: { HARBOUR_EVENT_STORE: 'kurrentdb', HARBOUR_KURRENTDB_URL: url } });
    const store = ctx.store;
    if (!(store instanceof KurrentEventStore))
      throw new Error('HARBOUR_EVENT_STORE=kurrentdb did not select the KurrentDB adapter');
    return {
      store,
      pool: ctx.pool,
      verify: () => ctx.app.get(IntegrityService).verify(),
      // KurrentDB events cannot be edited through its API; what a writer with access can do is
      // append around the adapter: here a copy of the last event with its payload changed.
      tamper: async (streamId) => {
        let last: { type: string; data: unknown; metadata: unknown; revision: bigint } | null = null;
        for await (const r of store.client.readStream(streamId, { direction: FORWARDS }))
          if (r.event)
            last = { type: r.event.type, data: r.event.data, metadata: r.event.metadata, revision: r.event.revision };
        if (!last) throw new Error('nothing to tamper with');
        await store.client.appendToStream(
          streamId,
          jsonEvent<JSONEventType>({ type: last.type, data: { n: -1 }, metadata: last.metadata }),
        );
        return { streamVersion: Number(last.revision) + 1, problem: 'content-altered' };
      },
      close: () => ctx.close(),
    };
  });
}

describe('choosing the event store by configuration (no server contacted)', () => {
  it('HARBOUR_EVENT_STORE=kurrentdb wires the KurrentDB adapter; the default stays PostgreSQL', async () => {
    // The client connects lazily: nothing is sent to this (unused) address by building the app.
    const kurrent = await startStoreContext({
      env: {
        HARBOUR_EVENT_STORE: 'kurrentdb',
        HARBOUR_KURRENTDB_URL: 'kurrentdb://127.0.0.1:1?tls=false',
        HARBOUR_PROJECTIONS: 'off',
      },
    });
    try {
      expect(kurrent.store).toBeInstanceOf(KurrentEventStore);
    } finally {
      await kurrent.close();
    }
    const postgres = await startStoreContext({ env: { HARBOUR_PROJECTIONS: 'off' } });
    try {
      expect(postgres.store).toBeInstanceOf(PostgresEventStore);
    } finally {
      await postgres.close();
    }
  });
});
