import { startTestApp, type TestApp } from '../support/context.js';
import { IDENTIFYING, MARKER, type Network, setUpNetwork } from '../referrals/fixtures.js';

/**
 * An erasure reaches the agencies a warm referral opened the record to: the receiving worker
 * loses an erased section at once, and the whole record after a record erasure.
 */
describe('erasure reaches referrals: the receiving agency loses what was erased', () => {
  let t: TestApp;
  let net: Network;
  let survivorId: string;
  let referralId: string;

  beforeAll(async () => {
    t = await startTestApp();
    net = await setUpNetwork(t);
    await net.staff(net.ids.care, 'pia-privacy', ['privacy-officer']);
    ({ survivorId } = await net.survivor({ purposes: ['referral', 'care-coordination'] }));
    referralId = await net.acceptedReferral(survivorId, 'tess');
  });
  afterAll(() => t.close());

  const readAsShelter = async (status: number) =>
    net.http
      .get(`/v1/intakes/${survivorId}?purpose=care-coordination`)
      .set('Authorization', await net.auth('tess'))
      .expect(status);
  const erase = async (body: Record<string, unknown>) => {
    const requested = await net.http
      .post(`/v1/intakes/${survivorId}/erasure-requests`)
      .set('Authorization', await net.auth('ana'))
      .send({ obtainedHow: 'written', ...body })
      .expect(201);
    await net.http
      .post(`/v1/intakes/${survivorId}/erasure-requests/${requested.body.requestId}/decision`)
      .set('Authorization', await net.auth('pia-privacy'))
      .send({ decision: 'approve', reason: 'request-verified' })
      .expect(200);
  };

  it('an erased section is withheld from the receiving worker at once, and its content is gone', async () => {
    const before = await readAsShelter(200);
    expect(JSON.stringify(before.body.sections.needs)).toContain(IDENTIFYING.needNote);
    await erase({ scope: 'sections', sections: ['needs'] });
    const after = await readAsShelter(200);
    expect(after.body.sections.needs).toBeUndefined();
    expect(after.body.withheld).toEqual(expect.arrayContaining([{ section: 'needs', reason: 'section-erased' }]));
    expect(JSON.stringify(after.body)).not.toContain(IDENTIFYING.needNote);
    expect(after.body.sections.preferences).toBeDefined(); // what was not erased stays shared
  });

  it('after a whole-record erasure the receiving worker gets 410, and the referral carries none of the record', async () => {
    await erase({ scope: 'record' });
    const gone = await readAsShelter(410);
    expect(gone.body.code).toBe('record-erased');
    const referral = await net.http.get(`/v1/referrals/${referralId}`).set('Authorization', await net.auth('tess'));
    expect(referral.status).toBeLessThan(500);
    expect(JSON.stringify(referral.body)).not.toContain(MARKER);
    const reads = (await net.accessEvents(survivorId)).filter((e) => e.route === 'GET /v1/intakes/:survivorId');
    expect(reads.at(-1)).toMatchObject({ outcome: 'denied' }); // the refused read is itself on record
  });
});
