import { initializeDataSource } from '@harbour/database';
import { migrations } from '../../apps/api/src/app.module.js';
import { createTestDatabase } from '../support/database.js';

describe('several processes starting together on an empty database', () => {
  it('migrate one after the other: every start succeeds and each migration is applied once', async () => {
    const database = await createTestDatabase();
    const options = {
      type: 'postgres' as const,
      url: database.url,
      migrations,
      migrationsTransactionMode: 'each' as const,
      extra: { max: 2 },
    };
    try {
      // Three "replicas" at once (TypeORM alone lets them race into "relation already exists").
      const started = await Promise.all([1, 2, 3].map(() => initializeDataSource(options)));
      const [{ applied, distinct }] = await started[0].query<Array<{ applied: number; distinct: number }>>(
        'SELECT count(*)::int AS applied, count(DISTINCT name)::int AS distinct FROM migrations',
      );
      expect(applied).toBe(migrations.length);
      expect(distinct).toBe(migrations.length);
      // Nothing is left holding the lock: a fourth start does not wait.
      const fourth = await initializeDataSource(options);
      expect(await fourth.showMigrations()).toBe(false);
      for (const dataSource of [...started, fourth]) await dataSource.destroy();
    } finally {
      await database.drop();
    }
  });
});
