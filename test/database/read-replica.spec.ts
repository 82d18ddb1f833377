/**
 * Replica routing (ReplicaReads) on the test server. No standby runs in `npm test`: here the
 * "replica" is the same server (not in recovery, so its lag is 0), a dead port (reads fall back
 * to the primary), or absent. The real standby was exercised on the Patroni cluster by hand
 * (infra/cluster/README.md).
 */
import { lastValueFrom, Observable, of } from 'rxjs';
import { DataSource } from 'typeorm';
import type { ExecutionContext } from '@nestjs/common';
import { ReplicaReads, STALENESS_HEADER, StalenessHeaderInterceptor } from '@harbour/database';
import { loadConfig } from '@harbour/kernel';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('reads that may come from a standby', () => {
  let database: TestDatabase;
  let primary: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    primary = new DataSource({ type: 'postgres', url: database.url });
    await primary.initialize();
  });
  afterAll(async () => {
    await primary.destroy();
    await database.drop();
  });

  const reads = (env: Record<string, string>) => new ReplicaReads(loadConfig({ ...env }), primary);

  it('without HARBOUR_READ_REPLICA_URL every read goes to the primary, staleness 0', async () => {
    const r = reads({});
    expect(r.configured).toBe(false);
    expect(await r.read('SELECT 1 AS one')).toEqual({ rows: [{ one: 1 }], from: 'primary', staleness: 0 });
  });

  it('reads the replica when its lag is within the bound, and the primary when it cannot be reached', async () => {
    const fine = reads({ HARBOUR_READ_REPLICA_URL: database.url });
    expect(await fine.read('SELECT 2 AS two')).toEqual({ rows: [{ two: 2 }], from: 'replica', staleness: 0 });
    await fine.onApplicationShutdown();

    const dead = reads({
      HARBOUR_READ_REPLICA_URL: 'postgres://u:p@127.0.0.1:1,127.0.0.1:2/db?target_session_attrs=standby',
    });
    expect(await dead.read('SELECT 3 AS three')).toEqual({ rows: [{ three: 3 }], from: 'primary', staleness: 0 });
    await dead.onApplicationShutdown();
  });

  it('the response says how stale the data read may be (Harbour-Data-Staleness), only when such a read ran', async () => {
    const r = reads({ HARBOUR_READ_REPLICA_URL: database.url });
    const headers: Record<string, string> = {};
    const context = {
      getType: () => 'http',
      switchToHttp: () => ({ getResponse: () => ({ header: (k: string, v: string) => (headers[k] = v) }) }),
    } as unknown as ExecutionContext;
    const interceptor = new StalenessHeaderInterceptor();
    await lastValueFrom(interceptor.intercept(context, { handle: () => of('page') }));
    expect(headers).toEqual({});
    await lastValueFrom(
      interceptor.intercept(context, {
        handle: () =>
          new Observable((s) => {
            void r.query('SELECT 1').then(() => {
              s.next('page');
              s.complete();
            });
          }),
      }),
    );
    expect(headers[STALENESS_HEADER]).toBe('0');
    await r.onApplicationShutdown();
  });
});
