import request from 'supertest';
import { DevKeys } from '@harbour/auth';
import { NetworkBootstrap } from '@harbour/network';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/context.js';
import { eventually } from '../support/store-context.js';

/**
 * A small synthetic network over HTTP: the secretariat (network admin, network privacy officer),
 * a shelter, a legal clinic and a health clinic, each with workers and a privacy officer.
 */
/** Written into every intake's needs section: it must never show up in any audit answer. */
export const MARKER = 'ZZ-AUDIT-MARKER-4411';

export interface Network {
  t: TestApp;
  http: ReturnType<typeof request>;
  ids: Record<'secretariat' | 'shelter' | 'legal' | 'health', string>;
  auth(userId: string): Promise<string>;
  /** Open an intake as `userId` and fill the needs section; returns the survivor id. */
  intake(userId: string): Promise<string>;
  read(userId: string, survivorId: string, query: string, status: number): Promise<request.Response>;
}

export async function startNetwork(options: TestAppOptions = {}, legalName = 'Synthetic Legal Aid'): Promise<Network> {
  const t = await startTestApp(options);
  const http = request(t.app.getHttpServer());
  const keys = t.app.get(DevKeys);
  const users: Record<string, { agencyId: string; roles: string[] }> = {};
  const auth = async (userId: string) => `Bearer ${await keys.mintDevToken({ userId, ...users[userId]! })}`;
  const boot = await t.app.get(NetworkBootstrap).run({
    agency: { name: 'Network Secretariat', sector: 'other', regions: ['on-toronto'], contact: { name: 'S', email: 's@example.org' } },
    admin: { userId: 'admin', displayName: 'Admin', email: 'admin@example.org' },
  });
  users.admin = { agencyId: boot.agencyId, roles: ['network-admin', 'agency-admin'] };
  const agency = async (name: string, sector: string) => {
    const res = await http.post('/v1/agencies').set('Authorization', await auth('admin'))
      .send({ name, sector, regions: ['on-toronto'], contact: { name: 'C', email: 'c@example.org' }, requestedTier: 'core' }).expect(201);
    return res.body.agencyId as string;
  };
  const staff = async (agencyId: string, userId: string, roles: string[]) => {
    await http.post(`/v1/agencies/${agencyId}/staff`).set('Authorization', await auth('admin')).send({ userId, displayName: userId, email: `${userId}@example.org`, roles }).expect(201);
    users[userId] = { agencyId, roles };
  };
  const ids = { secretariat: boot.agencyId } as Network['ids'];
  ids.shelter = await agency('Synthetic Shelter', 'shelter');
  await eventually(async () => {
    const res = await http.post(`/v1/agencies/${ids.shelter}/admission`).set('Authorization', await auth('admin'));
    expect(res.status).toBe(201);
  });
  ids.legal = await agency(legalName, 'legal');
  ids.health = await agency('Synthetic Clinic', 'health');
  await staff(ids.shelter, 'shelter-admin', ['agency-admin']);
  for (const id of [ids.legal, ids.health]) {
    await http.post(`/v1/agencies/${id}/endorsements`).set('Authorization', await auth('admin')).expect(201);
    await http.post(`/v1/agencies/${id}/endorsements`).set('Authorization', await auth('shelter-admin')).expect(201);
  }
  await staff(ids.shelter, 'ana-worker', ['caseworker']);
  await staff(ids.shelter, 'pat-privacy', ['privacy-officer']);
  await staff(ids.legal, 'lee-legal', ['caseworker']);
  await staff(ids.legal, 'leo-super', ['supervisor']);
  await staff(ids.legal, 'lia-privacy', ['privacy-officer']);
  await staff(ids.health, 'hana-health', ['caseworker']);
  await staff(ids.secretariat, 'nina-network', ['network-privacy-officer']);

  const intake = async (userId: string) => {
    const opened = await http.post('/v1/intakes').set('Authorization', await auth(userId)).expect(201);
    await http.put(`/v1/intakes/${opened.body.survivorId}/sections/needs`).set('Authorization', await auth(userId))
      .send({ content: { needs: [{ category: 'housing', urgency: 'high', notes: `before winter ${MARKER}` }] } }).expect(200);
    return opened.body.survivorId as string;
  };
  const read = async (userId: string, survivorId: string, query: string, status: number) =>
    http.get(`/v1/intakes/${survivorId}?${query}`).set('Authorization', await auth(userId)).expect(status);
  return { t, http, ids, auth, intake, read };
}
