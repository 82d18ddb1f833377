import type request from 'supertest';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/context.js';
import { buildNetwork } from '../support/network.js';

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
  const net = await buildNetwork(t);
  const { http, auth, staff } = net;
  const ids = { secretariat: net.secretariat } as Network['ids'];
  ids.shelter = await net.apply('Synthetic Shelter', 'shelter');
  await net.admit(ids.shelter);
  ids.legal = await net.apply(legalName, 'legal');
  ids.health = await net.apply('Synthetic Clinic', 'health');
  await staff(ids.shelter, 'shelter-admin', ['agency-admin']);
  for (const id of [ids.legal, ids.health]) await net.endorse(id, ['admin', 'shelter-admin']);
  await staff(ids.shelter, 'ana-worker', ['caseworker']);
  await staff(ids.shelter, 'pat-privacy', ['privacy-officer']);
  await staff(ids.legal, 'lee-legal', ['caseworker']);
  await staff(ids.legal, 'leo-super', ['supervisor']);
  await staff(ids.legal, 'lia-privacy', ['privacy-officer']);
  await staff(ids.health, 'hana-health', ['caseworker']);
  await staff(ids.secretariat, 'nina-network', ['network-privacy-officer']);

  const intake = async (userId: string) => {
    const opened = await http
      .post('/v1/intakes')
      .set('Authorization', await auth(userId))
      .expect(201);
    await http
      .put(`/v1/intakes/${opened.body.survivorId}/sections/needs`)
      .set('Authorization', await auth(userId))
      .send({ content: { needs: [{ category: 'housing', urgency: 'high', notes: `before winter ${MARKER}` }] } })
      .expect(200);
    return opened.body.survivorId as string;
  };
  const read = async (userId: string, survivorId: string, query: string, status: number) =>
    http
      .get(`/v1/intakes/${survivorId}?${query}`)
      .set('Authorization', await auth(userId))
      .expect(status);
  return { t, http, ids, auth, intake, read };
}
