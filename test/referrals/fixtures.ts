import type request from 'supertest';
import { EventStore } from '@harbour/event-store';
import { FixedClock } from '@harbour/kernel';
import type { TestApp } from '../support/context.js';
import { buildNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';

export const MARKER = 'ZZ-REFERRAL-MARKER-4417';

/** A synthetic intake whose identifying values a notice must never carry. */
export const IDENTIFYING = {
  legalName: `Maria Synthetic-Santos ${MARKER}`,
  preferredName: `Mia ${MARKER}`,
  dateOfBirth: '1994-07-19',
  phone: '+1 416 555 0199',
  email: 'mia.synthetic@example.org',
  street: `77 Secret Lane ${MARKER}`,
  narrative: `Recruited for farm work abroad ${MARKER}`,
  needNote: `needs a bed before Friday ${MARKER}`,
  cultural: `Filipino community church ${MARKER}`,
};

export const INTAKE: Record<string, Record<string, unknown>> = {
  identity: {
    legalName: IDENTIFYING.legalName,
    preferredName: IDENTIFYING.preferredName,
    dateOfBirth: IDENTIFYING.dateOfBirth,
    nationality: 'PH',
  },
  contact: {
    phone: IDENTIFYING.phone,
    email: IDENTIFYING.email,
    safeToContact: { phone: true, text: false, email: true, voicemail: false },
    address: { line1: IDENTIFYING.street, city: 'Toronto', region: 'ON', country: 'CA' },
  },
  story: { narrative: IDENTIFYING.narrative, toldOn: '2026-10-28', language: 'tl' },
  needs: {
    needs: [
      { category: 'shelter', urgency: 'high', notes: IDENTIFYING.needNote },
      { category: 'legal', urgency: 'medium' },
    ],
  },
  preferences: { language: 'tl', interpreter: true, culturalSupports: [IDENTIFYING.cultural] },
  housing: { situation: 'unsafe' },
};

export const CONFIDENTIAL_STREET = '1 Hidden Shelter Way (synthetic)';

export interface Network {
  http: ReturnType<typeof request>;
  clock: FixedClock;
  auth(userId: string): Promise<string>;
  /** Add a staff member (as buildNetwork does). */
  staff(agencyId: string, userId: string, roles: string[]): Promise<void>;
  ids: Record<'care' | 'shelter' | 'legal' | 'police' | 'applicant', string>;
  /** Opens an intake (by ana, care team), fills it, records a consent for the shelter; returns ids. */
  survivor(
    consent?: Partial<{ recipient: unknown; sections: string[]; purposes: string[]; validUntil: string }>,
  ): Promise<{ survivorId: string; consentId: string }>;
  consent(survivorId: string, body: Record<string, unknown>): Promise<string>;
  refer(survivorId: string, body?: Record<string, unknown>, by?: string): Promise<request.Response>;
  /** ana refers to the shelter, tom acknowledges and accepts with `assignee`. */
  acceptedReferral(survivorId: string, assignee: string): Promise<string>;
  act(referralId: string, action: string, by: string, body?: Record<string, unknown>): Promise<request.Response>;
  accessEvents(survivorId: string): Promise<Array<Record<string, any>>>;
  /** Adds a staff member to an agency (case roles granted by its admin). */
  staff(agencyId: string, userId: string, roles: string[]): Promise<void>;
}

/**
 * A small synthetic network: the care agency (victim services, ana), a shelter (tom, tess)
 * with a confidential-address shelter service, legal aid (lee) with a legal service, a police
 * agency (pete) with a safety-planning service, and an applicant agency.
 */
export async function setUpNetwork(t: TestApp): Promise<Network> {
  const built = await buildNetwork(t, { name: 'Synthetic Care Network', sector: 'victim-services' });
  const { http, auth, staff } = built;
  const agency = built.apply;
  const ids = { care: built.secretariat } as Network['ids'];
  ids.shelter = await agency('Synthetic Shelter', 'shelter');
  await built.admit(ids.shelter);
  await staff(ids.shelter, 'shelter-admin', ['agency-admin']);
  ids.legal = await agency('Synthetic Legal Aid', 'legal');
  ids.police = await agency('Synthetic Police Service', 'law-enforcement');
  for (const id of [ids.legal, ids.police]) await built.endorse(id, ['admin', 'shelter-admin']);
  ids.applicant = await agency('Synthetic Applicant', 'housing');
  await staff(ids.care, 'ana', ['caseworker']);
  await staff(ids.shelter, 'tom', ['caseworker']);
  await staff(ids.shelter, 'tess', ['caseworker']);
  await staff(ids.legal, 'lee', ['caseworker']);
  await staff(ids.legal, 'legal-admin', ['agency-admin']);
  await staff(ids.police, 'pete', ['caseworker']);
  await staff(ids.police, 'police-admin', ['agency-admin']);
  const service = async (admin: string, name: string, needs: string[], extra: Record<string, unknown> = {}) =>
    http
      .post('/v1/services')
      .set('Authorization', await auth(admin))
      .send({
        name,
        description: 'synthetic',
        needs,
        languages: ['en', 'tl'],
        regions: ['on-toronto'],
        eligibility: { gender: 'any' },
        hours: [{ day: 'mo', opens: '09:00', closes: '17:00' }],
        acceptingReferrals: true,
        responseWindowHours: 24,
        addressConfidential: false,
        ...extra,
      })
      .expect(201);
  await service('shelter-admin', 'Emergency beds', ['shelter', 'housing'], {
    address: { street: CONFIDENTIAL_STREET, city: 'Toronto', region: 'ON', postalCode: 'M1M 1M1', country: 'CA' },
    addressConfidential: true,
  });
  await service('legal-admin', 'Legal clinic', ['legal', 'immigration'], { responseWindowHours: 72 });
  await service('police-admin', 'Victim liaison', ['legal', 'safety-planning']);
  await eventually(async () => {
    const res = await http
      .get('/v1/directory/services?pageSize=100')
      .set('Authorization', await auth('ana'))
      .expect(200);
    expect(res.body.total).toBe(3);
  });

  const consent = async (survivorId: string, body: Record<string, unknown>) =>
    (
      await http
        .post(`/v1/intakes/${survivorId}/consents`)
        .set('Authorization', await auth('ana'))
        .send({ method: 'verbal', language: 'tl', ...body })
        .expect(201)
    ).body.consentId as string;
  const net: Network = {
    http,
    clock: t.clock as FixedClock,
    auth,
    staff,
    ids,
    consent,
    async survivor(over = {}) {
      const survivorId = (
        await http
          .post('/v1/intakes')
          .set('Authorization', await auth('ana'))
          .expect(201)
      ).body.survivorId as string;
      for (const [section, content] of Object.entries(INTAKE)) {
        await http
          .put(`/v1/intakes/${survivorId}/sections/${section}`)
          .set('Authorization', await auth('ana'))
          .send({ content })
          .expect(200);
      }
      const consentId = await consent(survivorId, {
        recipient: { kind: 'agency', agencyId: ids.shelter },
        sections: ['needs', 'preferences', 'housing'],
        purposes: ['referral'],
        ...over,
      });
      return { survivorId, consentId };
    },
    async refer(survivorId, body = {}, by = 'ana') {
      return http
        .post('/v1/referrals')
        .set('Authorization', await auth(by))
        .send({
          survivorId,
          toAgencyId: ids.shelter,
          needs: ['shelter'],
          urgency: 'high',
          note: 'bed needed this week',
          region: 'on-toronto',
          ...body,
        });
    },
    async act(referralId, action, by, body = {}) {
      return http
        .post(`/v1/referrals/${referralId}/${action}`)
        .set('Authorization', await auth(by))
        .send(body);
    },
    async acceptedReferral(survivorId, assignee) {
      const res = await net.refer(survivorId);
      expect(res.status).toBe(201);
      const referralId = res.body.referralId as string;
      expect((await net.act(referralId, 'acknowledgement', 'tom')).status).toBe(200);
      expect((await net.act(referralId, 'acceptance', 'tom', { assignedCaseworkerId: assignee })).body).toMatchObject({
        state: 'accepted',
      });
      return referralId;
    },
    async accessEvents(survivorId) {
      return (await t.app.get(EventStore).readStream(`access-${survivorId}`)).map((e) => e.data as Record<string, any>);
    },
  };
  return net;
}
