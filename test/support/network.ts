import request from 'supertest';
import { DevKeys } from '@harbour/auth';
import { NetworkBootstrap } from '@harbour/network';
import type { TestApp } from './context.js';

const CASE_ROLES = ['caseworker', 'supervisor', 'privacy-officer'];
import { eventually } from './store-context.js';
import { type Sector } from '@harbour/vocabulary';

/** A synthetic network being built over HTTP: the secretariat first, then members and staff. */
export interface TestNetwork {
  http: ReturnType<typeof request>;
  /** The bootstrapped secretariat agency (its `admin` holds network-admin and agency-admin). */
  secretariat: string;
  /** A bearer header for a user added through `staff` (or `admin`). */
  auth(userId: string): Promise<string>;
  /** Apply as a core member; returns the agency id. */
  apply(name: string, sector: string): Promise<string>;
  /** Admit by bootstrap (while fewer than two core agencies are active). */
  admit(agencyId: string): Promise<void>;
  /** Endorse by these users' agencies (two active core agencies admit an applicant). */
  endorse(agencyId: string, byUsers: string[]): Promise<void>;
  staff(agencyId: string, userId: string, roles: string[]): Promise<void>;
}

export async function buildNetwork(
  t: TestApp,
  secretariat: { name: string; sector: Sector } = { name: 'Network Secretariat', sector: 'other' },
): Promise<TestNetwork> {
  const http = request(t.app.getHttpServer());
  const keys = t.app.get(DevKeys);
  const boot = await t.app.get(NetworkBootstrap).run({
    agency: { ...secretariat, regions: ['on-toronto'], contact: { name: 'S', email: 's@example.org' } },
    admin: { userId: 'admin', displayName: 'Admin', email: 'admin@example.org' },
  });
  const users: Record<string, { agencyId: string; roles: string[] }> = {
    admin: { agencyId: boot.agencyId, roles: ['network-admin', 'agency-admin'] },
  };
  const auth = async (userId: string) => `Bearer ${await keys.mintDevToken({ userId, ...users[userId] })}`;
  // Case roles come only from the agency's own admin: the network admin adds an agency's first
  // admin (governance roles only), and that admin grants the case roles.
  const admins: Record<string, string> = { [boot.agencyId]: 'admin' };
  const add = async (by: string, agencyId: string, userId: string, roles: string[]) => {
    await http
      .post(`/v1/agencies/${agencyId}/staff`)
      .set('Authorization', await auth(by))
      .send({ userId, displayName: userId, email: `${userId}@example.org`, roles })
      .expect(201);
    users[userId] = { agencyId, roles };
  };
  const addStaff = async (agencyId: string, userId: string, roles: string[]): Promise<void> => {
    const caseRoles = roles.some((r) => CASE_ROLES.includes(r));
    if (!caseRoles) {
      // Once an agency has an admin, further admins are appointed by its own admins.
      await add(roles.includes('agency-admin') ? (admins[agencyId] ?? 'admin') : 'admin', agencyId, userId, roles);
      if (roles.includes('agency-admin')) admins[agencyId] ??= userId;
      return;
    }
    if (admins[agencyId]) return add(admins[agencyId], agencyId, userId, roles);
    if (roles.includes('agency-admin')) {
      // The agency's first admin, then their own case roles granted by themselves.
      await add(
        'admin',
        agencyId,
        userId,
        roles.filter((r) => !CASE_ROLES.includes(r)),
      );
      admins[agencyId] = userId;
      await http
        .put(`/v1/staff/${userId}/roles`)
        .set('Authorization', await auth(userId))
        .send({ roles })
        .expect(200);
      users[userId] = { agencyId, roles };
      return;
    }
    const admin = `admin-${agencyId.slice(0, 8)}`;
    await add('admin', agencyId, admin, ['agency-admin']);
    admins[agencyId] = admin;
    return add(admin, agencyId, userId, roles);
  };
  return {
    http,
    secretariat: boot.agencyId,
    auth,
    async apply(name, sector) {
      const res = await http
        .post('/v1/agencies')
        .set('Authorization', await auth('admin'))
        .send({
          name,
          sector,
          regions: ['on-toronto'],
          contact: { name: 'C', email: 'c@example.org' },
          requestedTier: 'core',
        })
        .expect(201);
      return res.body.agencyId as string;
    },
    async admit(agencyId) {
      // Admission by bootstrap counts active core agencies from a projection: wait for it.
      await eventually(async () =>
        expect(
          (await http.post(`/v1/agencies/${agencyId}/admission`).set('Authorization', await auth('admin'))).status,
        ).toBe(200),
      );
    },
    async endorse(agencyId, byUsers) {
      for (const by of byUsers)
        await http
          .post(`/v1/agencies/${agencyId}/endorsements`)
          .set('Authorization', await auth(by))
          .expect(200);
    },
    async staff(agencyId, userId, roles) {
      await addStaff(agencyId, userId, roles);
    },
  };
}
