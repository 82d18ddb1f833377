import { randomUUID } from 'node:crypto';
import { AccessRecorder, type AccessRecord, FLAG_RESOLVED, flagId, FlagsProjection, flagStream } from '@harbour/audit';
import { eventually, startStoreContext, type StoreContext } from '../support/store-context.js';

/**
 * One test per flag rule, on the real log and read model. Thresholds are configured low:
 * more than 3 survivors outside the care team a day, 3 refusals a day, working hours 08:00-18:00
 * in Toronto (UTC-5 in November).
 */
describe('audit flags (projection over the access events)', () => {
  let ctx: StoreContext;
  let recorder: AccessRecorder;

  beforeAll(async () => {
    ctx = await startStoreContext({
      providers: [AccessRecorder, FlagsProjection],
      env: {
        HARBOUR_PROJECTIONS: 'false',
        HARBOUR_AUDIT_OUTSIDE_TEAM_DAILY: '3',
        HARBOUR_AUDIT_DENIALS_DAILY: '3',
        HARBOUR_AUDIT_WORK_HOURS: '08:00-18:00',
        HARBOUR_AUDIT_TIMEZONE: 'America/Toronto',
      },
    });
    recorder = ctx.app.get(AccessRecorder);
  });
  afterAll(() => ctx.close());

  const read = (
    userId: string,
    survivorId: string,
    at: string,
    kind: 'care-team' | 'consent' | 'denied',
  ): AccessRecord => ({
    survivorId,
    actor: { userId, agencyId: 'agency-1', role: 'caseworker' },
    sectionsReturned: kind === 'denied' ? [] : ['needs'],
    sectionsWithheld: kind === 'denied' ? [{ section: 'needs', reason: 'no-consent' }] : [],
    purpose: 'referral',
    basis:
      kind === 'care-team'
        ? [{ section: 'needs', kind: 'care-team' }]
        : kind === 'consent'
          ? [{ section: 'needs', kind: 'consent', consentId: 'c-1', version: 1 }]
          : [],
    outcome: kind === 'denied' ? 'denied' : 'permitted',
    requestId: randomUUID(),
    route: 'GET /v1/intakes/:survivorId',
    at: new Date(at),
  });
  const flags = async (userId: string) => {
    // Every event recorded so far must be applied first: another test file's open transaction
    // on the shared server can hold delivery back for a moment (positions never skip).
    const {
      rows: [{ last }],
    } = await ctx.pool.query('SELECT max(global_position)::text AS last FROM harbour_events');
    await eventually(async () => {
      await ctx.projections.catchUp('audit-flags');
      const {
        rows: [{ position }],
      } = await ctx.pool.query("SELECT position::text AS position FROM harbour_checkpoints WHERE name = 'audit-flags'");
      expect(BigInt(position)).toBeGreaterThanOrEqual(BigInt(last ?? '0'));
    });
    const { rows } = await ctx.pool.query(
      "SELECT rule, to_char(day, 'YYYY-MM-DD') AS day, survivor_id, details FROM audit_flags WHERE user_id = $1 ORDER BY position, rule",
      [userId],
    );
    return rows;
  };
  const MIDDAY = '2026-11-10T17:00:00.000Z'; // 12:00 in Toronto

  it('outside-care-team: more distinct survivors than the daily threshold, read on a basis other than the care team', async () => {
    const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    // Care-team reads never count, however many.
    for (let i = 0; i < 6; i++) await recorder.record(read('u-outside', randomUUID(), MIDDAY, 'care-team'));
    for (const s of [a, b, c, a, b]) await recorder.record(read('u-outside', s, MIDDAY, 'consent'));
    expect(await flags('u-outside')).toEqual([]); // 3 distinct: at the threshold, not over it
    await recorder.record(read('u-outside', d, MIDDAY, 'consent'));
    expect(await flags('u-outside')).toEqual([
      { rule: 'outside-care-team', day: '2026-11-10', survivor_id: null, details: { threshold: 3 } },
    ]);
    // A fifth survivor the same day does not raise a second flag; the next day starts again.
    await recorder.record(read('u-outside', randomUUID(), MIDDAY, 'consent'));
    for (const s of [a, b, c]) await recorder.record(read('u-outside', s, '2026-11-11T17:00:00.000Z', 'consent'));
    expect(await flags('u-outside')).toHaveLength(1);
  });

  it('repeated-denials: the configured number of refused reads in a day', async () => {
    await recorder.record(read('u-denied', randomUUID(), MIDDAY, 'denied'));
    await recorder.record(read('u-denied', randomUUID(), MIDDAY, 'denied'));
    await recorder.record(read('u-denied', randomUUID(), '2026-11-11T17:00:00.000Z', 'denied'));
    expect(await flags('u-denied')).toEqual([]);
    await recorder.record(read('u-denied', randomUUID(), MIDDAY, 'denied'));
    expect(await flags('u-denied')).toEqual([
      { rule: 'repeated-denials', day: '2026-11-10', survivor_id: null, details: { threshold: 3 } },
    ]);
  });

  it('break-glass: every emergency access, when opened', async () => {
    const survivorId = randomUUID();
    await ctx.store.append(
      `break-glass-${survivorId}`,
      'no-stream',
      [
        {
          type: 'BreakGlassOpened',
          data: {
            grantId: 'g-1',
            survivorId,
            userId: 'u-glass',
            agencyId: 'agency-1',
            justification: { v: 1 },
            openedAt: MIDDAY,
            expiresAt: '2026-11-10T21:00:00.000Z',
          },
        },
      ],
      { actor: { userId: 'u-glass', agencyId: 'agency-1', role: 'supervisor' } },
    );
    expect(await flags('u-glass')).toEqual([
      {
        rule: 'break-glass',
        day: '2026-11-10',
        survivor_id: survivorId,
        details: { grantId: 'g-1', expiresAt: '2026-11-10T21:00:00.000Z' },
      },
    ]);
  });

  it('outside-hours: a read that returned data outside working hours, in the configured time zone', async () => {
    await recorder.record(read('u-night', randomUUID(), '2026-11-10T13:00:00.000Z', 'consent')); // 08:00 local: inside
    await recorder.record(read('u-night', randomUUID(), '2026-11-10T22:59:00.000Z', 'care-team')); // 17:59 local: inside
    await recorder.record(read('u-night', randomUUID(), '2026-11-10T03:00:00.000Z', 'denied')); // refused: showed nothing
    expect(await flags('u-night')).toEqual([]);
    // 23:30 in Toronto on the 10th is already the 11th in UTC: the flag belongs to the local day.
    await recorder.record(read('u-night', randomUUID(), '2026-11-11T04:30:00.000Z', 'care-team'));
    await recorder.record(read('u-night', randomUUID(), '2026-11-11T04:45:00.000Z', 'care-team')); // same night: no second flag
    expect(await flags('u-night')).toEqual([
      {
        rule: 'outside-hours',
        day: '2026-11-10',
        survivor_id: null,
        details: { firstReadAt: '2026-11-11T04:30:00.000Z' },
      },
    ]);
  });

  it('a batch with many reads by one person in one night raises one flag, from the first read, and a resolution in the same batch holds', async () => {
    const times = [
      '2026-11-12T04:00:00.000Z',
      '2026-11-12T04:00:30.000Z',
      '2026-11-12T04:20:00.000Z',
      '2026-11-12T04:59:59.000Z',
    ];
    for (const at of times) await recorder.record(read('u-batch', randomUUID(), at, 'care-team'));
    const id = flagId('outside-hours', 'u-batch', '2026-11-11');
    await ctx.store.append(
      flagStream(id),
      'no-stream',
      [
        {
          type: FLAG_RESOLVED,
          data: {
            flagId: id,
            resolution: 'no-concern',
            note: 'Night shift cover',
            resolvedBy: { userId: 'po-1', agencyId: 'agency-1', role: 'privacy-officer' },
            resolvedAt: '2026-11-12T15:00:00.000Z',
          },
        },
      ],
      { actor: { userId: 'po-1', agencyId: 'agency-1', role: 'privacy-officer' } },
    );
    expect(await flags('u-batch')).toEqual([
      { rule: 'outside-hours', day: '2026-11-11', survivor_id: null, details: { firstReadAt: times[0] } },
    ]);
    const { rows } = await ctx.pool.query('SELECT flag_id, status, resolution FROM audit_flags WHERE user_id = $1', [
      'u-batch',
    ]);
    expect(rows).toEqual([{ flag_id: id, status: 'resolved', resolution: 'no-concern' }]);
  });

  it('raises exactly the same flags, with the same ids, when rebuilt from the log', async () => {
    const before = (await ctx.pool.query('SELECT flag_id, rule, user_id, day FROM audit_flags ORDER BY flag_id')).rows;
    expect(before.length).toBeGreaterThanOrEqual(4);
    await ctx.projections.rebuild('audit-flags');
    await flags('nobody'); // until the rebuild has applied everything
    expect((await ctx.pool.query('SELECT flag_id, rule, user_id, day FROM audit_flags ORDER BY flag_id')).rows).toEqual(
      before,
    );
  });
});
