import { KeyRing } from '@harbour/privacy';
import { newId } from '@harbour/kernel';
import {
  grantConsent,
  NOTE_MARKER,
  referral,
  type ReportsWorld,
  revokeConsent,
  startReportsWorld,
} from './scenario.js';

/**
 * Known answers on a small synthetic network (k = 3; reporting regions toronto = on-toronto +
 * on-peel, north = on-sudbury; language groups en, fr). January 2026, as the tables below
 * were worked out by hand:
 *
 *   referral  survivor  region        sector  urgency    lang  needs           what happened (days after request)
 *   R1        S1        on-toronto    shelter high       en    housing, legal  ack, accepted 2, handoff 5
 *   R2        S2        on-peel       shelter high       es    housing         ack, accepted 4, handoff 10
 *   R3        S3        on-toronto    shelter medium     en    shelter         ack, accepted 1
 *   R4        S4        on-sudbury    legal   high       fr    legal           declined (no-capacity)
 *   R5        S5        on-sudbury    legal   low        fr    legal           ack, accepted 3
 *   R6        S6        on-toronto    legal   high       en    legal           expired
 *   R7        S7        on-ottawa     health  immediate  –     health          withdrawn
 *   R8        S9        on-toronto    shelter high       en    housing         accepted 1   ← S9 never permitted statistics
 *   R9        S10       on-toronto    shelter high       en    housing         accepted 6   ← S10 revokes in February
 *   R10       S8        on-toronto    shelter high       en    housing         ack, accepted 8
 */
describe('aggregate reports: known answers on a synthetic scenario', () => {
  let w: ReportsWorld;
  const S: Record<string, string> = {};
  let s10Consent: string;
  let analyst: string;
  const ids: string[] = [];

  const get = async (path: string, status = 200) => w.http.get(path).set('Authorization', analyst).expect(status);

  beforeAll(async () => {
    w = await startReportsWorld();
    await w.addStaff('ana-analyst', ['analyst']);
    analyst = await w.token('ana-analyst');
    for (let i = 1; i <= 10; i++) S[`S${i}`] = newId();
    for (let i = 1; i <= 10; i++) {
      if (i === 9) await grantConsent(w, S.S9, ['referral']);
      else if (i === 10) s10Consent = await grantConsent(w, S.S10, ['referral', 'statistics']);
      else await grantConsent(w, S[`S${i}`], ['referral', 'statistics']);
    }
    const d = (day: number, hour = 10) =>
      `2026-01-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
    const base = { requestedAt: d(5), language: 'en' };
    const script = [
      {
        ...base,
        survivorId: S.S1,
        region: 'on-toronto',
        toSector: 'shelter',
        urgency: 'high',
        needs: ['housing', 'legal'],
        then: [
          ['ReferralAcknowledged', d(6)],
          ['ReferralAccepted', d(7)],
          ['HandoffCompleted', d(10)],
        ],
      },
      {
        ...base,
        survivorId: S.S2,
        region: 'on-peel',
        toSector: 'shelter',
        urgency: 'high',
        language: 'es',
        needs: ['housing'],
        then: [
          ['ReferralAcknowledged', d(6)],
          ['ReferralAccepted', d(9)],
          ['HandoffCompleted', d(15)],
        ],
      },
      {
        ...base,
        survivorId: S.S3,
        region: 'on-toronto',
        toSector: 'shelter',
        urgency: 'medium',
        needs: ['shelter'],
        then: [
          ['ReferralAcknowledged', d(5, 12)],
          ['ReferralAccepted', d(6)],
        ],
      },
      {
        ...base,
        survivorId: S.S4,
        region: 'on-sudbury',
        toSector: 'legal',
        urgency: 'high',
        language: 'fr',
        needs: ['legal'],
        then: [['ReferralDeclined', d(6), { reason: 'no-capacity' }]],
      },
      {
        ...base,
        survivorId: S.S5,
        region: 'on-sudbury',
        toSector: 'legal',
        urgency: 'low',
        language: 'fr',
        needs: ['legal'],
        then: [
          ['ReferralAcknowledged', d(6)],
          ['ReferralAccepted', d(8)],
        ],
      },
      {
        ...base,
        survivorId: S.S6,
        region: 'on-toronto',
        toSector: 'legal',
        urgency: 'high',
        needs: ['legal'],
        then: [['ReferralExpired', d(9)]],
      },
      {
        ...base,
        survivorId: S.S7,
        region: 'on-ottawa',
        toSector: 'health',
        urgency: 'immediate',
        language: null,
        needs: ['health'],
        then: [['ReferralWithdrawn', d(6), { agencyId: newId() }]],
      },
      {
        ...base,
        survivorId: S.S9,
        region: 'on-toronto',
        toSector: 'shelter',
        urgency: 'high',
        needs: ['housing'],
        then: [
          ['ReferralAcknowledged', d(5, 11)],
          ['ReferralAccepted', d(6)],
        ],
      },
      {
        ...base,
        survivorId: S.S10,
        region: 'on-toronto',
        toSector: 'shelter',
        urgency: 'high',
        needs: ['housing'],
        then: [
          ['ReferralAcknowledged', d(6)],
          ['ReferralAccepted', d(11)],
        ],
      },
      {
        ...base,
        survivorId: S.S8,
        region: 'on-toronto',
        toSector: 'shelter',
        urgency: 'high',
        needs: ['housing'],
        then: [
          ['ReferralAcknowledged', d(6)],
          ['ReferralAccepted', d(13)],
        ],
      },
    ] as const;
    for (const r of script) ids.push(await referral(w, r as never));
    // Needs sections (encrypted, as the intake stores them) and anonymous notices.
    const keys = w.t.app.get(KeyRing);
    const needs: Array<[string, Array<[string, string]>]> = [
      [
        S.S1,
        [
          ['housing', 'high'],
          ['legal', 'medium'],
        ],
      ],
      [
        S.S2,
        [
          ['housing', 'high'],
          ['health', 'low'],
        ],
      ],
      [S.S3, [['housing', 'high']]],
      [S.S4, [['legal', 'medium']]],
      [S.S5, [['legal', 'medium']]],
      [S.S9, [['housing', 'high']]],
    ];
    for (const [survivor, list] of needs) {
      const content = await keys.encrypt(survivor, 'intake:needs', {
        needs: list.map(([category, urgency]) => ({ category, urgency, notes: `private ${NOTE_MARKER}` })),
      });
      await w.at('2026-01-20T10:00:00Z', () =>
        w.store.append(
          `intake-${survivor}`,
          'any',
          [{ type: 'IntakeSectionUpdated', data: { section: 'needs', content, changedFields: ['needs'] } }],
          { actor: { userId: 'w', agencyId: null, role: 'caseworker' } },
        ),
      );
    }
    for (const [region, need] of [
      ['on-toronto', 'housing'],
      ['on-toronto', 'housing'],
      ['on-peel', 'housing'],
      ['on-toronto', 'legal'],
      ['on-sudbury', 'legal'],
    ]) {
      await w.store.append(
        `notice-${newId()}`,
        'no-stream',
        [
          {
            type: 'AnonymousNoticeRecorded',
            data: { needs: [need], region, ageBand: '25-34', month: '2026-01', agencyId: w.agencyId },
          },
        ],
        { actor: { userId: 'w', agencyId: w.agencyId, role: 'caseworker' } },
      );
    }
    await w.catchUp();
  });
  afterAll(() => w.t.close());

  it('counts referrals by region, suppressing small cells and counting only survivors who permit statistics', async () => {
    const res = await get('/v1/reports/referrals?measure=requested&rows=region&from=2026-01&to=2026-01');
    // R8 (S9, no statistics consent) is not counted: toronto = R1 R2 R3 R6 R9 R10.
    expect(res.body.slices).toEqual([
      {
        period: '2026-01',
        cells: [
          { row: 'north', count: null, suppressed: true },
          { row: 'toronto', count: 6 },
          { row: 'other', count: null, suppressed: true },
          { row: 'unknown', count: null, suppressed: true },
        ],
        total: { count: 9 },
      },
    ]);
    expect(res.body).toMatchObject({
      report: 'referrals',
      measure: 'requested',
      rows: 'region',
      k: 3,
      rounding: false,
      privacy: { mode: 'suppression' },
    });
  });

  it('gives median and 90th-percentile days to acceptance, withheld with their cell', async () => {
    const res = await get('/v1/reports/referrals?measure=days-to-acceptance&rows=sector&from=2026-01&to=2026-01');
    const [slice] = res.body.slices;
    // shelter: R3 1, R1 2, R2 4, R9 6, R10 8 days (median 4, p90 7.2); legal: R5 alone → withheld. Published beside the
    // total 6, shelter's 5 would show that the other sectors hold exactly 1 referral: shelter is withheld with its median.
    expect(slice.cells.find((c: { row: string }) => c.row === 'shelter')).toEqual({
      row: 'shelter',
      count: null,
      suppressed: true,
      median: null,
      p90: null,
    });
    expect(slice.cells.find((c: { row: string }) => c.row === 'legal')).toEqual({
      row: 'legal',
      count: null,
      suppressed: true,
      median: null,
      p90: null,
    });
    // All six: 1 2 3 4 6 8 → median 3.5, p90 = 6 + 0.5 × 2 = 7.
    expect(slice.total).toEqual({ count: 6, median: 3.5, p90: 7 });
    const handoff = await get('/v1/reports/referrals?measure=days-to-handoff&from=2026-01&to=2026-01');
    expect(handoff.body.slices[0].total).toEqual({ count: null, suppressed: true, median: null, p90: null }); // 2 handoffs < k
  });

  it('protects a two-way table with complementary suppression: published zeros would be given away by the margins', async () => {
    const res = await get('/v1/reports/referrals?measure=requested&rows=region&columns=sector&from=2026-01&to=2026-01');
    const [slice] = res.body.slices;
    // toronto × shelter = 5 is the only inner cell ≥ k, but with it published the shelter column's margin (5) would prove
    // every other shelter cell is 0; it is withheld too. The margins are exactly the one-way reports by region and by sector.
    expect(slice.cells.every((c: { count: number | null }) => c.count === null)).toBe(true);
    expect(slice.rowTotals).toEqual([
      { row: 'north', count: null, suppressed: true },
      { row: 'toronto', count: 6 },
      { row: 'other', count: null, suppressed: true },
      { row: 'unknown', count: null, suppressed: true },
    ]);
    // By sector: shelter 5, legal 3, health 1. With shelter and legal published beside the total 9, the other sectors
    // would hold exactly 1 between them: legal (the smaller) is withheld too, so they hold 1 to 4.
    expect(slice.columnTotals.filter((c: { count: number | null }) => c.count !== null)).toEqual([
      { column: 'shelter', count: 5 },
    ]);
    expect(slice.total).toEqual({ count: 9 });
    const bySector = await get('/v1/reports/referrals?measure=requested&rows=sector&from=2026-01&to=2026-01');
    expect(
      bySector.body.slices[0].cells.map((c: { column?: string; row: string; count: number | null }) => ({
        column: c.row,
        count: c.count,
        ...(c.count === null ? { suppressed: true } : {}),
      })),
    ).toEqual(slice.columnTotals);
    // A filter is a column of the same canonical table, so it cannot be laid against it to recover anything.
    const filtered = await get(
      '/v1/reports/referrals?measure=requested&rows=region&sector=shelter&from=2026-01&to=2026-01',
    );
    expect(filtered.body.slices[0].cells.every((c: { count: number | null }) => c.count === null)).toBe(true);
    expect(filtered.body.slices[0].total).toEqual({ count: 5 });
    // Asked the other way round, it is the same canonical table, transposed.
    const flipped = await get(
      '/v1/reports/referrals?measure=requested&rows=urgency&columns=need&from=2026-01&to=2026-01',
    );
    const straight = await get(
      '/v1/reports/referrals?measure=requested&rows=need&columns=urgency&from=2026-01&to=2026-01',
    );
    const pattern = (cells: Array<{ row: string; column: string; count: number | null }>, flip: boolean) =>
      cells.map((c) => `${flip ? c.column : c.row}|${flip ? c.row : c.column}|${c.count}`).sort();
    expect(pattern(flipped.body.slices[0].cells, true)).toEqual(pattern(straight.body.slices[0].cells, false));
    // housing × high = 4 is the whole housing row (margin 4): published, it would prove housing's other urgencies 0.
    // legal × high = 3 beside legal's margin 4 would pin legal × low to 1: withheld too, so no inner cell is published.
    expect(pattern(straight.body.slices[0].cells, false).filter((c: string) => !c.endsWith('null'))).toEqual([]);
  });

  it('counts declines by reason, needs (per referral need), urgency and language groups', async () => {
    const declined = await get('/v1/reports/referrals?measure=declined&rows=reason&from=2026-01&to=2026-01');
    expect(declined.body.slices[0].total).toEqual({ count: null, suppressed: true });
    const byNeed = await get('/v1/reports/referrals?measure=requested&rows=need&from=2026-01&to=2026-01');
    const published = byNeed.body.slices[0].cells.filter((c: { count: number | null }) => c.count !== null);
    // housing: R1 R2 R9 R10 = 4; legal: R1 R4 R5 R6 = 4; shelter 1 and health 1 withheld; total = 10 referral-needs.
    // The withheld needs would add up to exactly 2 beside both 4s: housing (first of the two smallest) is withheld too.
    expect(published).toEqual([{ row: 'legal', count: 4 }]);
    expect(byNeed.body.slices[0].total).toEqual({ count: 10 });
    const byLanguage = await get('/v1/reports/referrals?measure=requested&rows=language&from=2026-01&to=2026-01');
    // en: R1 R3 R6 R9 R10 = 5; fr 2, other (es) 1, unknown 1 → withheld.
    expect(byLanguage.body.slices[0].cells).toEqual([
      { row: 'en', count: 5 },
      { row: 'fr', count: null, suppressed: true },
      { row: 'other', count: null, suppressed: true },
      { row: 'unknown', count: null, suppressed: true },
    ]);
    const accepted = await get('/v1/reports/referrals?measure=accepted&rows=urgency&from=2026-01&to=2026-01');
    // accepted and counted: R1 R2 R9 R10 high (4), R3 medium, R5 low: high beside the total would pin the other two to 2.
    expect(accepted.body.slices[0].cells.filter((c: { count: number | null }) => c.count !== null)).toEqual([]);
    expect(accepted.body.slices[0].total).toEqual({ count: 6 });
  });

  it('counts consents by purpose, needs by category (from the encrypted needs section) and anonymous notices', async () => {
    const consents = await get('/v1/reports/consents?measure=granted&rows=purpose&from=2025-12&to=2025-12');
    // 9 survivors permit statistics (S9 does not, so its consent is not counted at all): referral 9, statistics 9, zeros
    // elsewhere. Publishing both 9s with the total 18 would prove the three other purposes are 0: referral is withheld too.
    expect(consents.body.slices[0].cells).toEqual([
      { row: 'referral', count: null, suppressed: true },
      { row: 'care-coordination', count: null, suppressed: true },
      { row: 'safety-planning', count: null, suppressed: true },
      { row: 'investigation', count: null, suppressed: true },
      { row: 'statistics', count: 9 },
      { row: 'impact-story', count: null, suppressed: true },
    ]);
    expect(consents.body.slices[0].total).toEqual({ count: 18 });
    const needs = await get('/v1/reports/needs?measure=survivors&rows=need&from=2026-01&to=2026-01');
    // housing S1 S2 S3 (S9 not counted), legal S1 S4 S5, health S2 → withheld; with both 3s published, health would be
    // pinned to 1 by the total 7, so housing is withheld too.
    expect(needs.body.slices[0].cells.filter((c: { count: number | null }) => c.count !== null)).toEqual([
      { row: 'legal', count: 3 },
    ]);
    expect(needs.body.slices[0].total).toEqual({ count: 7 });
    const notices = await get('/v1/reports/notices?measure=notices&rows=region&from=2026-01&to=2026-01');
    expect(notices.body.slices[0].cells).toEqual([
      { row: 'north', count: null, suppressed: true },
      { row: 'toronto', count: null, suppressed: true }, // 4 of 5: published, it would show north's 1
      { row: 'other', count: null, suppressed: true },
      { row: 'unknown', count: null, suppressed: true },
    ]);
  });

  it('keeps no survivor id, referral id, agency id or free text in any reports table', async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: w.t.database.url });
    await client.connect();
    try {
      const facts = (
        await client.query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'reports_%'`)
      ).rows.map((r) => r.table_name as string);
      expect(facts.length).toBeGreaterThanOrEqual(7);
      for (const table of facts) {
        const dump = JSON.stringify((await client.query(`SELECT * FROM ${table}`)).rows);
        for (const secret of [...Object.values(S), ...ids, w.agencyId, NOTE_MARKER, 'private'])
          expect(dump).not.toContain(secret);
      }
    } finally {
      await client.end();
    }
  });

  it('answers CSV and an SVG chart for a one-dimension report', async () => {
    const csv = await get('/v1/reports/notices?measure=notices&rows=region&from=2026-01&to=2026-01&format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.trim().split('\n')).toEqual([
      'period,region,column,count,status',
      '2026-01,north,(all),,suppressed',
      '2026-01,toronto,(all),,suppressed', // toronto 4 beside the total 5 would show north's 1
      '2026-01,other,(all),,suppressed',
      '2026-01,unknown,(all),,suppressed',
      '2026-01,(all),(all),5,published',
    ]);
    const svg = await get('/v1/reports/referrals?measure=requested&rows=region&from=2026-01&to=2026-02&format=svg');
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const text = svg.body instanceof Buffer ? svg.body.toString('utf8') : svg.text;
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('toronto');
    const twoWay = await get(
      '/v1/reports/referrals?measure=requested&rows=region&columns=sector&from=2026-01&to=2026-01&format=svg',
      400,
    );
    expect(twoWay.body.errors).toEqual([{ field: 'format', problem: expect.any(String) }]);
  });

  it('refuses partial months, unknown values, raw region codes and a third dimension, naming the field', async () => {
    const field = async (path: string) => (await get(path, 400)).body.errors.map((e: { field: string }) => e.field);
    expect(await field('/v1/reports/referrals?measure=requested&from=2026-01-15&to=2026-01')).toEqual(['from']);
    expect(await field('/v1/reports/referrals?measure=bogus&from=2026-01&to=2026-01')).toEqual(['measure']);
    // Names of Object.prototype are no report or measure (valueOf was a 500; found by the fuzz suite).
    for (const name of ['valueOf', 'constructor', '__proto__', 'toString'])
      expect(await field(`/v1/reports/${name}?measure=requested&from=2026-01&to=2026-01`)).toEqual(['report']);
    expect(await field('/v1/reports/referrals?measure=constructor&from=2026-01&to=2026-01')).toEqual(['measure']);
    expect(
      await field('/v1/reports/referrals?measure=requested&rows=region&region=on-toronto&from=2026-01&to=2026-01'),
    ).toContain('region');
    await get('/v1/reports/referrals?measure=requested&rows=need&sector=legal&from=2026-01&to=2026-01', 200);
    expect(
      await field(
        '/v1/reports/referrals?measure=requested&rows=need&columns=region&sector=legal&from=2026-01&to=2026-01',
      ),
    ).toEqual(['sector']);
    expect(await field('/v1/reports/referrals?measure=requested&rows=reason&from=2026-01&to=2026-01')).toEqual([
      'rows',
    ]);
    expect(await field('/v1/reports/referrals?measure=requested&from=2026-01&to=2026-01&survivorId=x')).toEqual([
      'survivorId',
    ]);
  });

  it('stops counting an erased survivor, and drops their needs on the next needs update (nothing can be decrypted)', async () => {
    const keys = w.t.app.get(KeyRing);
    const content = await keys.encrypt(S.S1, 'intake:needs', { needs: [{ category: 'housing', urgency: 'high' }] });
    await keys.destroy(S.S1);
    await w.at('2026-01-25T10:00:00Z', () =>
      w.store.append(
        `intake-${S.S1}`,
        'any',
        [{ type: 'IntakeSectionUpdated', data: { section: 'needs', content, changedFields: ['needs'] } }],
        { actor: { userId: 'w', agencyId: null, role: 'caseworker' } },
      ),
    );
    await w.catchUp();
    const needs = await get('/v1/reports/needs?measure=survivors&rows=need&from=2026-01&to=2026-01');
    // Before: housing S1 S2 S3, legal S1 S4 S5, health S2 (7). Now S1 is gone: 5, and no need cell reaches 3.
    expect(needs.body.slices[0].total).toEqual({ count: 5 });
    expect(needs.body.slices[0].cells.every((c: { count: number | null }) => c.count === null)).toBe(true);
    // And an erased survivor is no longer counted anywhere: R1 (S1, toronto) leaves the referrals.
    const referrals = await get('/v1/reports/referrals?measure=requested&rows=region&from=2026-01&to=2026-01');
    expect(referrals.body.slices[0].cells[1]).toEqual({ row: 'toronto', count: 5 });
    expect(referrals.body.slices[0].total).toEqual({ count: 8 });
  });

  it('follows consent: a revocation, and a consent running out, take survivors out of every report from then on', async () => {
    await revokeConsent(w, S.S10, s10Consent, '2026-02-10T10:00:00Z');
    await w.catchUp();
    const after = await get('/v1/reports/referrals?measure=requested&rows=region&from=2026-01&to=2026-01');
    // S1 was erased above; now S10's R9 goes too: toronto R2 R3 R6 R10.
    expect(after.body.slices[0].cells[1]).toEqual({ row: 'toronto', count: 4 });
    expect(after.body.slices[0].total).toEqual({ count: 7 });
    // Every consent here runs until December 2027; after that nobody is counted.
    w.clock.set(new Date('2028-01-02T00:00:00Z'));
    analyst = await w.token('ana-analyst');
    const later = await get('/v1/reports/referrals?measure=requested&from=2026-01&to=2026-01');
    expect(later.body.slices[0].total).toEqual({ count: null, suppressed: true });
    const notices = await get('/v1/reports/notices?measure=notices&from=2026-01&to=2026-01');
    expect(notices.body.slices[0].total).toEqual({ count: 5 }); // anonymous notices always count
  });
});
