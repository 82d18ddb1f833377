import pg from 'pg';
import { IntegrityService } from '@harbour/event-store';
import { startStoreContext } from '../../support/store-context.js';
import { describeEventStoreContract } from './event-store.contract.js';

/** The port's contract on the PostgreSQL adapter (part of every `npm test`). */
describeEventStoreContract('PostgreSQL', async () => {
  const ctx = await startStoreContext();
  return {
    store: ctx.store,
    pool: ctx.pool,
    verify: () => ctx.app.get(IntegrityService).verify(),
    // A database owner bypassing the append-only trigger and rewriting one payload.
    tamper: async (streamId) => {
      const client = new pg.Client({ connectionString: ctx.database.url });
      await client.connect();
      try {
        await client.query('SET session_replication_role = replica');
        await client.query(`UPDATE harbour_events SET data = '{"n": -1}' WHERE stream_id = $1 AND stream_version = 5`, [
          streamId,
        ]);
      } finally {
        await client.end();
      }
      return { streamVersion: 5, problem: 'content-altered' };
    },
    close: () => ctx.close(),
  };
});
