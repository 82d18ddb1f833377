import request from 'supertest';
import { DevKeys } from '@harbour/auth';
import { startTestApp, type TestApp } from '../support/context.js';
import { eventually } from '../support/store-context.js';
import { type Network, setUpNetwork } from '../referrals/fixtures.js';

/**
 * An accepted referral brings the receiving agency onto the case: its privacy officer reviews
 * the survivor's access events, and its assigned worker can hand the survivor the disclosure
 * report — the worker only while the referral lasts.
 */
describe('access audit scope follows accepted referrals', () => {
  let t: TestApp;
  let n: Network;
  let survivorId: string;
  let referralId: string;
  const token = async (userId: string, agencyId: string, roles: string[]) =>
    `Bearer ${await t.app.get(DevKeys).mintDevToken({ userId, agencyId, roles })}`;
  const get = async (auth: string, path: string) => request(t.app.getHttpServer()).get(path).set('Authorization', auth);

  beforeAll(async () => {
    t = await startTestApp();
    n = await setUpNetwork(t);
    await n.http
      .post(`/v1/agencies/${n.ids.shelter}/staff`)
      .set('Authorization', await n.auth('shelter-admin'))
      .send({ userId: 'sol-privacy', displayName: 'Sol', email: 'sol@example.org', roles: ['privacy-officer'] })
      .expect(201);
    ({ survivorId } = await n.survivor({ sections: ['needs', 'preferences', 'housing'], purposes: ['referral'] }));
  });
  afterAll(() => t.close());

  it('before acceptance the shelter sees nothing of this survivor; after it, its officer and its assigned worker do', async () => {
    const sol = await token('sol-privacy', n.ids.shelter, ['privacy-officer']);
    const tess = await token('tess', n.ids.shelter, ['caseworker']);
    const res = await n.refer(survivorId);
    referralId = res.body.referralId;
    expect((await get(sol, `/v1/audit/access-events?survivorId=${survivorId}`)).body.items ?? []).toEqual([]);
    expect((await get(tess, `/v1/audit/survivors/${survivorId}/disclosures`)).status).toBe(404);

    await n.act(referralId, 'acknowledgement', 'tom');
    await n.act(referralId, 'acceptance', 'tom', { assignedCaseworkerId: 'tess' });
    await n.http
      .get(`/v1/intakes/${survivorId}?purpose=care-coordination&sections=housing`)
      .set('Authorization', tess)
      .expect(200);
    await eventually(async () => {
      const items = (await get(sol, `/v1/audit/access-events?survivorId=${survivorId}&kind=read`)).body.items as Array<{
        actor: { userId: string };
      }>;
      expect(items.map((i) => i.actor.userId)).toEqual(expect.arrayContaining(['ana', 'tess']));
    });
    expect((await get(tess, `/v1/audit/survivors/${survivorId}/disclosures`)).status).toBe(200);
  });

  it('after a withdrawal the worker no longer reads the trail; the agency officer still reviews what happened', async () => {
    expect((await n.act(referralId, 'withdrawal', 'ana')).status).toBe(200);
    const tess = await token('tess', n.ids.shelter, ['caseworker']);
    // Refused as if there were no such record, like any worker off the case.
    expect((await get(tess, `/v1/audit/survivors/${survivorId}/disclosures`)).status).toBe(404);
    const sol = await token('sol-privacy', n.ids.shelter, ['privacy-officer']);
    expect(
      (await get(sol, `/v1/audit/access-events?survivorId=${survivorId}&kind=read`)).body.items.length,
    ).toBeGreaterThan(0);
  });
});
