import type request from 'supertest';
import { ReferralExpirySweeper, WebhookDispatcher } from '@harbour/referrals';
import { OfferExpirySweeper } from '@harbour/offers';
import type { TestApp } from '../context.js';
import { buildNetwork } from '../network.js';
import { eventually } from '../store-context.js';

/** A staff member the fuzzer may call as. */
export interface Persona {
  userId: string;
  roles: string[];
  token: string;
}

/**
 * A small synthetic network with a record of every kind, for the fuzzer to aim at. Ids a fuzzed
 * request may change for the worse (suspend an agency, deactivate or re-role someone, erase a
 * record) are kept apart from the ones the callers belong to: `sacrificial`.
 */
export interface FuzzWorld {
  personas: Persona[];
  /** Real values by parameter or property name. */
  ids: Record<string, string[]>;
  /** The same for destructive operations: records no caller depends on. */
  sacrificial: Record<string, string[]>;
}

const SERVICE = {
  description: 'Synthetic service for the fuzz suite',
  languages: ['en'],
  regions: ['on-toronto'],
  eligibility: { gender: 'any' },
  hours: [{ day: 'mo', opens: '09:00', closes: '17:00' }],
  acceptingReferrals: true,
  responseWindowHours: 24,
  addressConfidential: false,
};

export async function buildFuzzWorld(t: TestApp): Promise<FuzzWorld> {
  // Nothing leaves the test: webhooks the fuzzer registers are never delivered.
  await t.app.get(WebhookDispatcher).stop();
  await t.app.get(ReferralExpirySweeper).stop();
  await t.app.get(OfferExpirySweeper).stop();
  const net = await buildNetwork(t, { name: 'Fuzz Care Network', sector: 'victim-services' });
  const { http, auth } = net;
  const care = net.secretariat;
  const shelter = await net.apply('Fuzz Shelter', 'shelter');
  await net.admit(shelter);
  await net.staff(shelter, 'shelter-admin', ['agency-admin']);
  const target = await net.apply('Fuzz Target Agency', 'legal');
  await net.endorse(target, ['admin', 'shelter-admin']);
  const applicant = await net.apply('Fuzz Applicant', 'housing');
  const staff: Array<[string, string, string[]]> = [
    [care, 'cara', ['caseworker', 'supervisor']],
    [care, 'pat', ['privacy-officer']],
    [care, 'nina', ['network-privacy-officer']],
    [care, 'ann', ['analyst']],
    [shelter, 'tom', ['caseworker', 'supervisor']],
    [care, 'sac-one', ['caseworker']],
    [care, 'sac-two', ['caseworker']],
    [target, 'sac-three', ['caseworker']],
  ];
  for (const [agency, userId, roles] of staff) await net.staff(agency, userId, roles);

  const as = async (userId: string) => ({ Authorization: await auth(userId) });
  const expectStatus = (res: request.Response, status: number) => {
    if (res.status !== status) throw new Error(`fuzz world: answered ${res.status} ${res.text}`);
    return res.body as { id: string };
  };
  const post = async (userId: string, path: string, body?: object, status = 201) =>
    expectStatus(
      await http
        .post(path)
        .set(await as(userId))
        .send(body),
      status,
    );
  const put = async (userId: string, path: string, body: object) =>
    expectStatus(
      await http
        .put(path)
        .set(await as(userId))
        .send(body),
      200,
    );

  const careService = (
    await post('admin', '/v1/services', { ...SERVICE, name: 'Fuzz drop-in', needs: ['counselling'] })
  ).id;
  const shelterService = (
    await post('shelter-admin', '/v1/services', { ...SERVICE, name: 'Fuzz beds', needs: ['shelter', 'housing'] })
  ).id;

  const survivor = async () => {
    const id = (await post('cara', '/v1/intakes')).id;
    await put('cara', `/v1/intakes/${id}/sections/needs`, {
      content: { needs: [{ category: 'shelter', urgency: 'high' }] },
    });
    await put('cara', `/v1/intakes/${id}/sections/preferences`, { content: { language: 'en', interpreter: false } });
    return id;
  };
  const [s1, s2, s3] = [await survivor(), await survivor(), await survivor()];
  const consent = (survivorId: string) =>
    post('cara', `/v1/intakes/${survivorId}/consents`, {
      recipient: { kind: 'agency', agencyId: shelter },
      sections: ['needs', 'preferences'],
      purposes: ['referral', 'statistics'],
      method: 'verbal',
      language: 'en',
    });
  const c1 = (await consent(s1)).id;
  const c2 = (await consent(s2)).id;
  const exclusion = (
    await post('cara', `/v1/intakes/${s1}/exclusions`, {
      target: { kind: 'sector', sector: 'law-enforcement' },
      method: 'verbal',
      language: 'en',
    })
  ).id;
  // The shelter's service must be in the directory before a referral can name the shelter.
  await eventually(async () =>
    expect(
      (
        await http
          .get('/v1/directory/services?need=shelter')
          .set(await as('cara'))
          .expect(200)
      ).body.total,
    ).toBe(1),
  );
  const refer = (survivorId: string) =>
    post('cara', '/v1/referrals', {
      survivorId,
      toAgencyId: shelter,
      needs: ['shelter'],
      urgency: 'high',
      note: 'Synthetic referral',
      region: 'on-toronto',
    });
  const accepted = (await refer(s1)).id;
  await post('tom', `/v1/referrals/${accepted}/acknowledgement`, undefined, 200);
  await post('tom', `/v1/referrals/${accepted}/acceptance`, { assignedCaseworkerId: 'tom' }, 200);
  const requested = (await refer(s2)).id;
  const grant = (
    await post('tom', `/v1/audit/survivors/${s2}/break-glass`, {
      justification: 'Synthetic emergency for the fuzz suite: the safety plan is needed now',
      hours: 4,
    })
  ).id;
  const erasure = (
    await post('cara', `/v1/intakes/${s3}/erasure-requests`, { scope: 'record', obtainedHow: 'written' })
  ).id;
  const motion = (await post('admin', `/v1/agencies/${target}/removal-motions`, { reasons: ['Synthetic motion'] })).id;
  // Break-glass raises a flag for review once the projection has seen it.
  let flags: string[] = [];
  await eventually(async () => {
    const res = await http
      .get('/v1/audit/flags')
      .set(await as('pat'))
      .expect(200);
    flags = (res.body.items as Array<{ flagId: string }>).map((f) => f.flagId);
    expect(flags.length).toBeGreaterThan(0);
  }).catch(() => undefined);
  // An offer of the shelter's with one request by the care team, so offer routes reach real ids.
  const offer = (
    (await post('shelter-admin', '/v1/offers', {
      kind: 'lodging-night',
      title: 'Fuzz hotel nights',
      capacity: { quantity: 500 },
      regions: ['on-toronto'],
      handover: 'booked-session',
      validFrom: '2026-11-01T00:00:00Z',
      validUntil: '2027-11-01T00:00:00Z',
    })) as unknown as { offerId: string }
  ).offerId;
  const offerRequest = (
    (await post('cara', `/v1/intakes/${s1}/offer-requests`, {
      offerId: offer,
      need: 'shelter',
      region: 'on-toronto',
    })) as unknown as { requestId: string }
  ).requestId;
  const reports = (
    (
      await http
        .get('/v1/reports')
        .set(await as('ann'))
        .expect(200)
    ).body.reports as Array<{ name?: string; id?: string; report?: string }>
  ).map((r) => r.name ?? r.id ?? r.report ?? '');

  const users = ['admin', 'cara', 'pat', 'nina', 'ann', 'tom', 'shelter-admin', 'sac-one', 'sac-two', 'sac-three'];
  const personas: Persona[] = [];
  const callers: Array<[string, string[]]> = [
    ['admin', ['network-admin', 'agency-admin']],
    ['shelter-admin', ['agency-admin']],
    ...staff
      .filter(([, userId]) => !userId.startsWith('sac-'))
      .map(([, userId, roles]): [string, string[]] => [userId, roles]),
  ];
  for (const [userId, roles] of callers) personas.push({ userId, roles, token: await auth(userId) });
  const agencies = [care, shelter, target, applicant];
  return {
    personas,
    ids: {
      agencyId: agencies,
      toAgencyId: [shelter, care],
      serviceId: [careService, shelterService],
      userId: users,
      assignedCaseworkerId: ['tom', 'cara'],
      attendees: ['cara', 'tom'],
      survivorId: [s1, s2],
      consentId: [c1, c2],
      exclusionId: [exclusion],
      referralId: [accepted, requested],
      grantId: [grant],
      requestId: [erasure, offerRequest],
      offerId: [offer],
      motionId: [motion],
      flagId: flags,
      report: reports,
    },
    sacrificial: {
      agencyId: [target, applicant],
      userId: ['sac-one', 'sac-two', 'sac-three'],
      survivorId: [s3],
      serviceId: [careService],
    },
  };
}
