import { Controller, Get } from '@nestjs/common';
import request from 'supertest';
import { CaseAccess, DevKeys } from '@harbour/auth';
import { FixedClock } from '@harbour/kernel';
import { MotionCloser, NetworkBootstrap } from '@harbour/network';
import { startTestApp, type TestApp } from '../support/context.js';
import { eventually } from '../support/store-context.js';

/** Stands in for the survivor-data routes of later issues: only active core agencies pass. */
@Controller({ path: 'test-case-data' })
class CaseDataProbe {
  @Get()
  @CaseAccess()
  read() {
    return { ok: true };
  }
}

const service = (overrides: Record<string, unknown> = {}) => ({
  name: 'Emergency shelter beds',
  description: 'Short-stay beds with on-site support workers.',
  needs: ['shelter', 'safety-planning'],
  languages: ['en', 'es'],
  regions: ['on-toronto'],
  eligibility: { gender: 'women', minAge: 18, maxAge: null },
  hours: [{ day: 'mo', opens: '00:00', closes: '23:59' }],
  acceptingReferrals: true,
  responseWindowHours: 24,
  address: { street: '1 Synthetic Lane', city: 'Toronto', region: 'ON', postalCode: 'M1M 1M1', country: 'CA' },
  addressConfidential: true,
  ...overrides,
});

describe('network: agencies, staff, sign-in and the directory over HTTP', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let keys: DevKeys;
  let secretariat: string;
  let networkAdmin: string;
  const ids: Record<string, string> = {};

  const tokenFor = async (userId: string, agencyId: string, roles: string[]) =>
    `Bearer ${await keys.mintDevToken({ userId, agencyId, roles })}`;
  const as = async (userId: string) => {
    const me = users[userId];
    return tokenFor(userId, me.agencyId, me.roles);
  };
  const users: Record<string, { agencyId: string; roles: string[] }> = {};

  async function apply(name: string, requestedTier: 'core' | 'associate', sector = 'shelter'): Promise<string> {
    const res = await http
      .post('/v1/agencies')
      .set('Authorization', await as(networkAdmin))
      .send({
        name,
        sector,
        regions: ['on-toronto'],
        contact: { name: 'Synthetic Contact', email: 'contact@example.org' },
        requestedTier,
      })
      .expect(201);
    return res.body.agencyId;
  }
  async function addStaff(agencyId: string, userId: string, roles: string[], by = networkAdmin) {
    await http
      .post(`/v1/agencies/${agencyId}/staff`)
      .set('Authorization', await as(by))
      .send({ userId, displayName: `Synthetic ${userId}`, email: `${userId}@example.org`, roles })
      .expect(201);
    users[userId] = { agencyId, roles };
  }
  const activeCore = async (n: number) =>
    eventually(async () => {
      const res = await http
        .get('/v1/agencies?status=active')
        .set('Authorization', await as(networkAdmin))
        .expect(200);
      expect(res.body.filter((a: { tier: string }) => a.tier === 'core')).toHaveLength(n);
    });

  beforeAll(async () => {
    t = await startTestApp({ controllers: [CaseDataProbe] });
    http = request(t.app.getHttpServer());
    keys = t.app.get(DevKeys);
    const boot = await t.app.get(NetworkBootstrap).run({
      agency: {
        name: 'Network Secretariat',
        sector: 'other',
        regions: ['on-toronto'],
        contact: { name: 'Synthetic Secretary', email: 'sec@example.org' },
      },
      admin: { userId: 'net-admin', displayName: 'Synthetic Admin', email: 'admin@example.org' },
    });
    secretariat = boot.agencyId;
    networkAdmin = boot.adminUserId;
    users[networkAdmin] = { agencyId: secretariat, roles: ['network-admin', 'agency-admin'] };
  });
  afterAll(() => t.close());

  it('bootstraps once', async () => {
    await expect(
      t.app.get(NetworkBootstrap).run({
        agency: { name: 'Again', sector: 'other', regions: ['x1'], contact: { name: 'A', email: 'a@example.org' } },
        admin: { displayName: 'B', email: 'b@example.org' },
      }),
    ).rejects.toMatchObject({ code: 'already-bootstrapped' });
    const me = await http
      .get('/v1/me')
      .set('Authorization', await as(networkAdmin))
      .expect(200);
    expect(me.body).toMatchObject({
      userId: networkAdmin,
      agencyId: secretariat,
      agencyStatus: 'active',
      agencyTier: 'core',
    });
  });

  it('GET /v1/me answers only its documented fields, never the caller’s X-Request-Id (found by the fuzz suite)', async () => {
    const me = await http
      .get('/v1/me')
      .set('Authorization', await as(networkAdmin))
      .set('X-Request-Id', 'client-correlation-0042')
      .expect(200);
    expect(Object.keys(me.body).sort()).toEqual(['agencyId', 'agencyStatus', 'agencyTier', 'roles', 'userId']);
    expect(me.text).not.toContain('client-correlation-0042');
  });

  it('admits the first agencies by bootstrap, then requires two endorsements from active core agencies', async () => {
    ids.shelter = await apply('Harbour Light Shelter', 'core');
    await activeCore(1);
    await http
      .post(`/v1/agencies/${ids.shelter}/admission`)
      .set('Authorization', await as(networkAdmin))
      .expect(200);
    await activeCore(2);
    await addStaff(ids.shelter, 'shelter-admin', ['agency-admin']);
    await addStaff(ids.shelter, 'shelter-worker', ['caseworker'], 'shelter-admin');

    ids.legal = await apply('Synthetic Legal Clinic', 'core', 'legal');
    const refused = await http
      .post(`/v1/agencies/${ids.legal}/admission`)
      .set('Authorization', await as(networkAdmin))
      .expect(409);
    expect(refused.body.code).toBe('bootstrap-closed');

    // A caseworker is not an agency admin; the shelter's admin is.
    await http
      .post(`/v1/agencies/${ids.legal}/endorsements`)
      .set('Authorization', await as('shelter-worker'))
      .expect(403);
    await http
      .post(`/v1/agencies/${ids.legal}/endorsements`)
      .set('Authorization', await as('shelter-admin'))
      .expect(200);
    const twice = await http
      .post(`/v1/agencies/${ids.legal}/endorsements`)
      .set('Authorization', await as('shelter-admin'))
      .expect(409);
    expect(twice.body.code).toBe('already-endorsed');
    let legal = await eventually(async () => {
      const res = await http
        .get(`/v1/agencies/${ids.legal}`)
        .set('Authorization', await as(networkAdmin))
        .expect(200); // read model: may lag a moment
      expect(res.body).toMatchObject({ status: 'applicant', endorsements: 1 });
      return res;
    });
    await http
      .post(`/v1/agencies/${ids.legal}/endorsements`)
      .set('Authorization', await as(networkAdmin))
      .expect(200);
    await eventually(async () => {
      legal = await http
        .get(`/v1/agencies/${ids.legal}`)
        .set('Authorization', await as(networkAdmin))
        .expect(200);
      expect(legal.body).toMatchObject({
        status: 'active',
        tier: 'core',
        endorsements: 2,
        admittedVia: 'endorsements',
      });
    });
  });

  it("grants case roles only through the agency's own admin, and shows every grant to its privacy officer", async () => {
    // The network admin creates an agency's admin, but cannot give anyone survivor data by itself.
    const add = async (by: string, userId: string, roles: string[], status: number) =>
      http
        .post(`/v1/agencies/${ids.shelter}/staff`)
        .set('Authorization', await as(by))
        .send({ userId, displayName: userId, email: `${userId}@example.org`, roles })
        .expect(status);
    for (const roles of [['supervisor'], ['caseworker'], ['privacy-officer'], ['agency-admin', 'caseworker']]) {
      const refused = await add(networkAdmin, 'governed', roles, 403);
      expect(refused.body.code).toBe('agency-admin-only');
    }
    const changeRoles = async (by: string, userId: string, roles: string[], status: number) =>
      http
        .put(`/v1/staff/${userId}/roles`)
        .set('Authorization', await as(by))
        .send({ roles })
        .expect(status);
    expect((await changeRoles(networkAdmin, 'shelter-worker', ['caseworker', 'supervisor'], 403)).body.code).toBe(
      'agency-admin-only',
    );
    expect((await changeRoles(networkAdmin, 'shelter-admin', ['agency-admin', 'caseworker'], 403)).body.code).toBe(
      'agency-admin-only',
    );
    // Nor appoint a second admin (a puppet who would grant case roles): the shelter's own admins do that.
    expect((await add(networkAdmin, 'second-admin', ['agency-admin'], 403)).body.code).toBe('agency-has-admin');
    expect((await changeRoles(networkAdmin, 'shelter-worker', ['caseworker', 'agency-admin'], 403)).body.code).toBe(
      'agency-has-admin',
    );
    // …while it still may deactivate and reactivate staff, and take a case role away.
    await http
      .post('/v1/staff/shelter-worker/deactivation')
      .set('Authorization', await as(networkAdmin))
      .send({ reason: 'Under review' })
      .expect(200);
    await http
      .post('/v1/staff/shelter-worker/reactivation')
      .set('Authorization', await as(networkAdmin))
      .expect(200);
    // The shelter's own admin grants case roles.
    await addStaff(ids.shelter, 'shelter-privacy', ['privacy-officer'], 'shelter-admin');
    await changeRoles('shelter-admin', 'shelter-worker', ['caseworker', 'supervisor'], 200);
    users['shelter-worker'] = { agencyId: ids.shelter, roles: ['caseworker', 'supervisor'] };
    await changeRoles(networkAdmin, 'shelter-worker', ['caseworker'], 200);
    users['shelter-worker'] = { agencyId: ids.shelter, roles: ['caseworker'] };

    // Each grant of a case role is in the audit API for the shelter's privacy officer (a removal is not a grant).
    const grants = await eventually(async () => {
      const res = await http
        .get('/v1/audit/role-grants')
        .set('Authorization', await as('shelter-privacy'))
        .expect(200);
      expect(res.body.items).toHaveLength(4);
      return res.body.items;
    });
    const byShelterAdmin = { userId: 'shelter-admin', agencyId: ids.shelter, role: 'agency-admin' };
    expect(grants).toEqual([
      {
        agencyId: ids.shelter,
        userId: 'shelter-worker',
        roles: ['supervisor'],
        grantedBy: byShelterAdmin,
        grantedAt: expect.any(String),
      },
      {
        agencyId: ids.shelter,
        userId: 'shelter-privacy',
        roles: ['privacy-officer'],
        grantedBy: byShelterAdmin,
        grantedAt: expect.any(String),
      },
      {
        agencyId: ids.shelter,
        userId: 'shelter-worker',
        roles: ['caseworker'],
        grantedBy: byShelterAdmin,
        grantedAt: expect.any(String),
      },
      // The admin role that grants them is listed too: here, the network admin appointing the shelter's first admin.
      {
        agencyId: ids.shelter,
        userId: 'shelter-admin',
        roles: ['agency-admin'],
        grantedBy: { userId: networkAdmin, agencyId: secretariat, role: 'network-admin' },
        grantedAt: expect.any(String),
      },
    ]);
    // Only privacy officers, and an agency's officer only for their own agency.
    await http
      .get('/v1/audit/role-grants')
      .set('Authorization', await as('shelter-admin'))
      .expect(403);
    expect(
      (
        await http
          .get(`/v1/audit/role-grants?agencyId=${secretariat}`)
          .set('Authorization', await as('shelter-privacy'))
          .expect(403)
      ).body.code,
    ).toBe('not-your-agency');
    await http
      .get('/v1/audit/role-grants?limit=0')
      .set('Authorization', await as('shelter-privacy'))
      .expect(400);
  });

  it('refuses bad application bodies naming the field', async () => {
    const res = await http
      .post('/v1/agencies')
      .set('Authorization', await as(networkAdmin))
      .send({
        name: 'X Org',
        sector: 'pirates',
        regions: ['Not A Region'],
        contact: { name: 'C', email: 'nope' },
        requestedTier: 'core',
        extra: 1,
      })
      .expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['sector', 'regions', 'contact.email', 'extra']));
  });

  it('checks staff and agency standing on every request', async () => {
    await http
      .get('/v1/test-case-data')
      .set('Authorization', await as('shelter-worker'))
      .expect(200);
    // A token for someone Harbour does not know.
    const stranger = await http
      .get('/v1/me')
      .set('Authorization', await tokenFor('stranger', ids.shelter, ['caseworker']))
      .expect(403);
    expect(stranger.body.code).toBe('not-a-staff-member');
    // Deactivated: refused on the very next request, with the same token.
    await addStaff(ids.shelter, 'leaver', ['caseworker'], 'shelter-admin');
    const leaverToken = await as('leaver');
    await http.get('/v1/test-case-data').set('Authorization', leaverToken).expect(200);
    await http
      .post('/v1/staff/leaver/deactivation')
      .set('Authorization', await as('shelter-admin'))
      .send({ reason: 'Left the agency' })
      .expect(200);
    const refused = await http.get('/v1/test-case-data').set('Authorization', leaverToken).expect(403);
    expect(refused.body.code).toBe('staff-deactivated');
    // An agency admin cannot manage another agency's staff.
    await http
      .post(`/v1/agencies/${ids.legal}/staff`)
      .set('Authorization', await as('shelter-admin'))
      .send({ displayName: 'X', email: 'x@example.org', roles: ['caseworker'] })
      .expect(403);
  });

  it('lists services and searches the directory without ever returning a confidential address', async () => {
    await addStaff(ids.legal, 'legal-admin', ['agency-admin']);
    const shelterAdmin = await as('shelter-admin');
    const beds = await http.post('/v1/services').set('Authorization', shelterAdmin).send(service()).expect(201);
    await http
      .post('/v1/services')
      .set('Authorization', shelterAdmin)
      .send(
        service({
          name: 'Drop-in counselling',
          needs: ['counselling'],
          languages: ['en'],
          eligibility: { gender: 'any', minAge: null, maxAge: null },
          address: { street: '9 Public Road', city: 'Toronto', region: 'ON', postalCode: 'M2M 2M2', country: 'CA' },
          addressConfidential: false,
          acceptingReferrals: false,
        }),
      )
      .expect(201);
    await http
      .post('/v1/services')
      .set('Authorization', await as('legal-admin'))
      .send(
        service({
          name: 'Immigration legal advice',
          needs: ['legal', 'immigration'],
          languages: ['en', 'tl'],
          regions: ['on-peel'],
          eligibility: { gender: 'any', minAge: 16, maxAge: 30 },
          address: null,
          addressConfidential: false,
        }),
      )
      .expect(201);
    // A bad listing names its fields.
    const bad = await http
      .post('/v1/services')
      .set('Authorization', shelterAdmin)
      .send(service({ needs: ['teleportation'], hours: [{ day: 'mo', opens: '25:00', closes: '10:00' }] }))
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['needs', 'hours.0.opens']),
    );

    const search = async (query: string, as = 'legal-admin') =>
      (
        await http
          .get(`/v1/directory/services?${query}`)
          .set('Authorization', await asUser(as))
          .expect(200)
      ).body;
    const asUser = (u: string) => as(u);
    await eventually(async () => expect((await search('')).total).toBe(3));
    expect((await search('need=shelter')).items.map((s: { name: string }) => s.name)).toEqual([
      'Emergency shelter beds',
    ]);
    expect((await search('language=tl')).items.map((s: { name: string }) => s.name)).toEqual([
      'Immigration legal advice',
    ]);
    expect((await search('region=on-peel')).total).toBe(1);
    expect((await search('acceptingReferrals=false')).items.map((s: { name: string }) => s.name)).toEqual([
      'Drop-in counselling',
    ]);
    expect((await search('gender=men')).items.map((s: { name: string }) => s.name)).toEqual([
      'Drop-in counselling',
      'Immigration legal advice',
    ]);
    expect((await search('age=40')).items.map((s: { name: string }) => s.name)).toEqual([
      'Drop-in counselling',
      'Emergency shelter beds',
    ]);
    expect((await search('pageSize=2&page=2')).items).toHaveLength(1);
    // Pages are bounded (page=1e308 was a 500, an OFFSET PostgreSQL cannot read; found by the fuzz suite).
    expect((await search('page=10000&pageSize=100')).items).toEqual([]);
    const farPage = await http
      .get('/v1/directory/services?page=1e308')
      .set('Authorization', await as('legal-admin'))
      .expect(400);
    expect(farPage.body.errors.map((e: { field: string }) => e.field)).toEqual(['page']);
    const bad400 = await http
      .get('/v1/directory/services?need=teleportation&pageSize=1000')
      .set('Authorization', await as('legal-admin'))
      .expect(400);
    expect(bad400.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['need', 'pageSize']),
    );

    // Confidential: never in search (not even for the owning agency), only the owner's staff see it on the service.
    for (const who of ['legal-admin', 'shelter-admin'])
      expect(JSON.stringify(await search('', who))).not.toContain('1 Synthetic Lane');
    expect(JSON.stringify(await search(''))).toContain('9 Public Road');
    const own = await http.get(`/v1/services/${beds.body.serviceId}`).set('Authorization', shelterAdmin).expect(200);
    expect(own.body.address.street).toBe('1 Synthetic Lane');
    const other = await http
      .get(`/v1/services/${beds.body.serviceId}`)
      .set('Authorization', await as('legal-admin'))
      .expect(200);
    expect(other.body).toMatchObject({ address: null, addressConfidential: true });
    expect(JSON.stringify(other.body)).not.toContain('Synthetic Lane');
  });

  it('answers a repeated Idempotency-Key with the first result, and a stale If-Match with 409 and the current version', async () => {
    const shelterAdmin = await as('shelter-admin');
    const body = service({
      name: 'Peer support circle',
      needs: ['peer-support'],
      addressConfidential: false,
      address: null,
    });
    const first = await http
      .post('/v1/services')
      .set('Authorization', shelterAdmin)
      .set('Idempotency-Key', 'list-peer-support-0001')
      .send(body)
      .expect(201);
    const again = await http
      .post('/v1/services')
      .set('Authorization', shelterAdmin)
      .set('Idempotency-Key', 'list-peer-support-0001')
      .send(body)
      .expect(201);
    expect(again.body).toEqual(first.body);
    const reused = await http
      .post('/v1/services')
      .set('Authorization', shelterAdmin)
      .set('Idempotency-Key', 'list-peer-support-0001')
      .send({ ...body, name: 'Something else' })
      .expect(400);
    expect(reused.body.code).toBe('idempotency-key-reused');
    const id = first.body.serviceId;
    const updated = await http
      .put(`/v1/services/${id}`)
      .set('Authorization', shelterAdmin)
      .set('If-Match', '"0"')
      .send({ ...body, description: 'Weekly circle.' })
      .expect(200);
    expect(updated.body.version).toBe(1);
    const stale = await http
      .put(`/v1/services/${id}`)
      .set('Authorization', shelterAdmin)
      .set('If-Match', '"0"')
      .send({ ...body, description: 'Monthly.' })
      .expect(409);
    expect(stale.body).toMatchObject({ code: 'concurrency-conflict', currentVersion: 1 });
    await http.delete(`/v1/services/${id}`).set('Authorization', shelterAdmin).expect(200);
  });

  it('cuts a suspended agency off case data at once and drops it from search; reinstating restores both', async () => {
    const worker = await as('shelter-worker');
    await http
      .post(`/v1/agencies/${ids.shelter}/suspension`)
      .set('Authorization', await as(networkAdmin))
      .send({ reason: 'Data-sharing review' })
      .expect(200);
    const refused = await http.get('/v1/test-case-data').set('Authorization', worker).expect(403);
    expect(refused.body.code).toBe('no-case-access');
    await http.get('/v1/me').set('Authorization', worker).expect(200);
    await eventually(async () => {
      const res = await http
        .get('/v1/directory/services')
        .set('Authorization', await as('legal-admin'))
        .expect(200);
      expect(res.body.items.map((s: { agencyId: string }) => s.agencyId)).not.toContain(ids.shelter);
    });
    await http
      .post(`/v1/agencies/${ids.shelter}/reinstatement`)
      .set('Authorization', await as(networkAdmin))
      .send({ reason: 'Review complete' })
      .expect(200);
    await http.get('/v1/test-case-data').set('Authorization', worker).expect(200);
  });

  it('keeps associates away from case data', async () => {
    ids.partner = await apply('Synthetic Corporate Partner', 'associate', 'corporate');
    await http
      .post(`/v1/agencies/${ids.partner}/endorsements`)
      .set('Authorization', await as('shelter-admin'))
      .expect(200);
    await http
      .post(`/v1/agencies/${ids.partner}/endorsements`)
      .set('Authorization', await as('legal-admin'))
      .expect(200);
    await addStaff(ids.partner, 'partner-admin', ['agency-admin']);
    await addStaff(ids.partner, 'partner-worker', ['caseworker'], 'partner-admin');
    const res = await http
      .get('/v1/test-case-data')
      .set('Authorization', await as('partner-worker'))
      .expect(403);
    expect(res.body.code).toBe('no-case-access');
  });

  it('removes an agency by motion: notice first, then votes by the other active core agencies', async () => {
    const clock = t.clock as FixedClock;
    // Electorate: secretariat, legal (the shelter is the agency in question).
    const motion = await http
      .post(`/v1/agencies/${ids.shelter}/removal-motions`)
      .set('Authorization', await as('legal-admin'))
      .send({ reasons: ['Repeated breaches of the data-sharing agreement'] })
      .expect(201);
    const motionId = motion.body.motionId;
    await eventually(async () => {
      const notes = await http
        .get('/v1/agencies/mine/notifications')
        .set('Authorization', await as('shelter-admin'))
        .expect(200);
      expect(notes.body.map((n: { kind: string }) => n.kind)).toContain('removal-motion-against-you');
    });
    const vote = (who: string, v: 'for' | 'against') =>
      as(who).then((auth) =>
        http
          .post(`/v1/agencies/${ids.shelter}/removal-motions/${motionId}/votes`)
          .set('Authorization', auth)
          .send({ vote: v }),
      );
    expect((await vote('legal-admin', 'for')).body.code).toBe('voting-not-open');
    clock.advance(73 * 3_600_000);
    expect((await vote('shelter-admin', 'against')).body.code).toBe('voter-not-eligible');
    expect((await vote('legal-admin', 'for')).status).toBe(200);
    expect((await vote('legal-admin', 'for')).body.code).toBe('already-voted');
    expect((await vote(networkAdmin, 'for')).status).toBe(200); // 2 of 2 eligible: carried
    await eventually(async () => {
      const shelter = await http
        .get(`/v1/agencies/${ids.shelter}`)
        .set('Authorization', await as(networkAdmin))
        .expect(200);
      expect(shelter.body.status).toBe('removed');
    });
    const gone = await http
      .get('/v1/me')
      .set('Authorization', await as('shelter-worker'))
      .expect(403);
    expect(gone.body.code).toBe('agency-removed');
  });

  it('records the outcome of a motion nobody decided once its voting period ends', async () => {
    const clock = t.clock as FixedClock;
    const motion = await http
      .post(`/v1/agencies/${ids.partner}/removal-motions`)
      .set('Authorization', await as('legal-admin'))
      .send({ reasons: ['Membership lapsed'] })
      .expect(201);
    const closer = t.app.get(MotionCloser);
    await eventually(async () => {
      const notes = await http
        .get('/v1/agencies/mine/notifications')
        .set('Authorization', await as('partner-worker'))
        .expect(200);
      expect(notes.body.map((n: { motionId: string }) => n.motionId)).toContain(motion.body.motionId);
    });
    expect(await closer.sweep()).toBe(0); // not yet due
    clock.advance((72 + 168) * 3_600_000);
    const late = await http
      .post(`/v1/agencies/${ids.partner}/removal-motions/${motion.body.motionId}/votes`)
      .set('Authorization', await as('legal-admin'))
      .send({ vote: 'for' })
      .expect(409);
    expect(late.body.code).toBe('voting-closed');
    expect(await closer.sweep()).toBe(1);
    await eventually(async () => {
      const notes = await http
        .get('/v1/agencies/mine/notifications')
        .set('Authorization', await as('partner-worker'))
        .expect(200);
      expect(notes.body.map((n: { kind: string }) => n.kind)).toContain('removal-motion-failed');
      expect(await closer.sweep()).toBe(0);
    });
    const partner = await http
      .get(`/v1/agencies/${ids.partner}`)
      .set('Authorization', await as(networkAdmin))
      .expect(200);
    expect(partner.body.status).toBe('active');
  });
});
