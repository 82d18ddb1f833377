import request from 'supertest';
import { DevKeys } from '@harbour/auth';
import { startTestApp, type TestApp } from '../support/context.js';
import { eventually } from '../support/store-context.js';
import { type Network, setUpNetwork } from '../referrals/fixtures.js';

/**
 * End to end: referrals made, acknowledged, accepted and declined through the referrals API
 * reach the analysts' reports — counted only for survivors whose consent permits `statistics`.
 */
describe('reports count what happened through the referrals API', () => {
  let t: TestApp;
  let n: Network;
  let analyst: string;
  const report = async (query: string) =>
    request(t.app.getHttpServer()).get(`/v1/reports/referrals?${query}`).set('Authorization', analyst).expect(200);

  beforeAll(async () => {
    t = await startTestApp({
      env: { HARBOUR_REPORT_K: '3', HARBOUR_REPORT_REGIONS: JSON.stringify({ toronto: ['on-toronto'] }) },
    });
    n = await setUpNetwork(t);
    await n.http
      .post(`/v1/agencies/${n.ids.care}/staff`)
      .set('Authorization', await n.auth('admin'))
      .send({ userId: 'ann-analyst', displayName: 'Ann', email: 'ann@example.org', roles: ['analyst'] })
      .expect(201);
    analyst = `Bearer ${await t.app.get(DevKeys).mintDevToken({ userId: 'ann-analyst', agencyId: n.ids.care, roles: ['analyst'] })}`;

    // Four survivors permit statistics: three referrals accepted, one declined.
    for (let i = 0; i < 4; i++) {
      const { survivorId } = await n.survivor({ purposes: ['referral', 'statistics'] });
      const referralId = (await n.refer(survivorId)).body.referralId as string;
      expect((await n.act(referralId, 'acknowledgement', 'tom')).status).toBe(200);
      const outcome =
        i < 3
          ? await n.act(referralId, 'acceptance', 'tom', { assignedCaseworkerId: 'tess' })
          : await n.act(referralId, 'decline', 'tom', { reason: 'no-capacity' });
      expect(outcome.status).toBe(200);
    }
    // Two more were referred, but their consent says nothing about statistics: never counted.
    for (let i = 0; i < 2; i++) {
      const { survivorId } = await n.survivor();
      expect((await n.refer(survivorId)).status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('counts requested, acknowledged, accepted and declined referrals of survivors who permit statistics', async () => {
    const month = t.clock.now().toISOString().slice(0, 7);
    const total = async (measure: string) =>
      (await report(`measure=${measure}&from=${month}&to=${month}`)).body.slices[0].total;
    // Six referrals were made; the two without a statistics consent are not counted.
    await eventually(async () => expect(await total('requested')).toEqual({ count: 4 }));
    expect(await total('acknowledged')).toEqual({ count: 4 });
    expect(await total('accepted')).toEqual({ count: 3 });
    // One decline is below k = 3: withheld, never shown as 1.
    expect(await total('declined')).toMatchObject({ count: null, suppressed: true });
    // By sector every cell is withheld: the zero cells are small too, and publishing shelter's
    // 4 next to the total would reveal that they are zeros.
    const bySector = (await report(`measure=requested&rows=sector&from=${month}&to=${month}`)).body.slices[0];
    expect(bySector.total).toEqual({ count: 4 });
    expect(bySector.cells.find((c: { row: string }) => c.row === 'shelter')).toEqual({
      row: 'shelter',
      count: null,
      suppressed: true,
    });
  });
});
