import { randomUUID } from 'node:crypto';
import { AccessTrailQueries, FlagsService } from '@harbour/audit';
import { startStoreContext, type StoreContext } from '../support/store-context.js';

/**
 * Paging is by log position, newest first. Positions are bigints of any number of digits: the
 * order must be numeric (a text order would put 10 before 9 and loop or skip across pages).
 */
describe('cursor paging over positions of different lengths', () => {
  let ctx: StoreContext;
  // bigints: the last one is past Number's exact range.
  const positions = [
    7n,
    9n,
    10n,
    11n,
    99n,
    100n,
    101n,
    999n,
    1000n,
    12345n,
    99999n,
    100000n,
    4398046511104n,
    4398046511105n,
    9007199254740993n,
  ];
  beforeAll(async () => {
    ctx = await startStoreContext({
      providers: [AccessTrailQueries, FlagsService],
      env: { HARBOUR_PROJECTIONS: 'false' },
    });
    for (const p of positions) {
      await ctx.pool.query(
        `INSERT INTO audit_access (position, event_id, kind, survivor_id, user_id, agency_id, role, purpose, outcome, bases, basis, sections_returned, sections_withheld, request_id, route, at)
         VALUES ($1, $2, 'read', 's-1', 'u-1', 'a-1', 'caseworker', 'referral', 'permitted', '{care-team}', '[]', '{needs}', '[]', 'r', 'GET /v1/intakes/:survivorId', now())`,
        [p.toString(), randomUUID()],
      );
      for (const rule of ['outside-hours', 'repeated-denials']) {
        await ctx.pool.query(
          `INSERT INTO audit_flags (flag_id, rule, user_id, agency_id, day, details, raised_at, position) VALUES ($1, $2, 'u-1', 'a-1', '2026-11-02', '{}', now(), $3)`,
          [randomUUID(), rule, p.toString()],
        );
      }
    }
  });
  afterAll(() => ctx.close());

  const newestFirst = [...positions].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)).map((p) => p.toString());

  it.each([1, 2, 4, 50])('the access log, %i per page', async (limit) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ctx.app.get(AccessTrailQueries).page({ kind: 'network' }, { userId: 'u-1' }, cursor, limit);
      seen.push(...page.items.map((i) => i.position));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(newestFirst);
  });

  it.each([1, 3, 50])('the flags, %i per page (two flags share each position)', async (limit) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ctx.app.get(FlagsService).page({ kind: 'agency', agencyId: 'a-1' }, 'all', cursor, limit);
      seen.push(...page.items.map((f) => f.flagId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(positions.length * 2);
    expect(new Set(seen).size).toBe(positions.length * 2);
  });
});
