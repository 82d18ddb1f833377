import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { DevKeys, type DevTokenRequest, StaffDirectory } from '@harbour/auth';
import { FixedClock } from '@harbour/kernel';
import { startTestApp, type TestApp } from '../support/context.js';
import {
  AuthProbeController,
  b64url,
  expectProblem,
  signWithDevKey,
  TestStaffDirectory,
  TestStaffModule,
} from './auth-fixtures.js';

describe('AuthGuard: bearer tokens checked against the staff directory on every request', () => {
  let t: TestApp;
  let clock: FixedClock;
  let devKeys: DevKeys;
  const directory = new TestStaffDirectory();
  const logLines: string[] = [];
  const minted: string[] = [];
  const http = () => request(t.app.getHttpServer());
  const now = () => Math.floor(clock.now().getTime() / 1000);

  /** A development token (as `harbour token` makes) for a staff member, remembered for the log check. */
  const tokenFor = async (userId: string, overrides: Partial<DevTokenRequest> = {}) => {
    const standing = directory.standings.get(userId);
    const token = await devKeys.mintDevToken({
      userId,
      agencyId: standing?.agencyId ?? 'agency-core',
      roles: standing?.roles ?? [],
      ...overrides,
    });
    minted.push(token);
    return token;
  };
  const get = (path: string, token?: string) => {
    const call = http().get(path);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };
  const validClaims = () => ({
    sub: 'worker-1',
    agency_id: 'agency-core',
    iss: 'harbour-dev',
    aud: 'harbour-api',
    iat: now(),
    exp: now() + 600,
  });

  beforeAll(async () => {
    clock = new FixedClock(new Date('2026-11-02T09:00:00Z'));
    const logDestination = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    t = await startTestApp({
      // AuthModule comes with AppModule; TestStaffModule only matters while nothing else provides a StaffDirectory.
      imports: [TestStaffModule.with(directory)],
      controllers: [AuthProbeController],
      // Ours whether or not the app already registers a StaffDirectory (the network context's).
      overrides: [{ provide: StaffDirectory, useValue: directory }],
      clock,
      env: { LOG_LEVEL: 'info' },
      logDestination,
    });
    devKeys = t.app.get(DevKeys);
    directory.put({ userId: 'worker-1', roles: ['caseworker'] });
    directory.put({ userId: 'admin-1', roles: ['caseworker', 'agency-admin'] });
  });
  afterAll(() => t?.close());

  describe('401: no usable token', () => {
    it('missing token → token-missing, with WWW-Authenticate: Bearer', async () => {
      const res = await get('/v1/test-auth/plain');
      expectProblem(res, 401, 'token-missing');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('another scheme (Basic) → token-missing', async () => {
      expectProblem(
        await http().get('/v1/test-auth/plain').set('Authorization', 'Basic dXNlcjpwYXNz'),
        401,
        'token-missing',
      );
    });

    it.each([
      ['not a JWT', 'not-a-jwt'],
      ['two segments', `${b64url({ alg: 'EdDSA' })}.${b64url({ sub: 'x' })}`],
      ['empty', ''],
      ['two tokens', 'a.b.c d.e.f'],
    ])('malformed (%s) → token-malformed', async (_label, token) => {
      const res = await get('/v1/test-auth/plain', token);
      expectProblem(res, 401, 'token-malformed');
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('alg "none" (unsigned) → token-invalid', async () => {
      const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(validClaims())}.`;
      expectProblem(await get('/v1/test-auth/plain', token), 401, 'token-invalid');
    });

    it('HS256 signed with some secret → token-invalid', async () => {
      const token = await new SignJWT(validClaims())
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('a shared secret anyone could hold'));
      expectProblem(await get('/v1/test-auth/plain', token), 401, 'token-invalid');
    });

    it('signed by another Ed25519 key, even naming our kid → token-invalid', async () => {
      const kid = (await devKeysFileKid(t.dataDir))!;
      const { privateKey } = await generateKeyPair('EdDSA');
      const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey);
      expectProblem(await get('/v1/test-auth/plain', token), 401, 'token-invalid');
    });

    it('signed by an ES256 key (an allowed algorithm, but not our key) → token-invalid', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
      expectProblem(await get('/v1/test-auth/plain', token), 401, 'token-invalid');
    });

    it('our key but the wrong issuer → token-invalid', async () => {
      const token = await signWithDevKey(t.dataDir, { ...validClaims(), iss: 'https://someone-else.example' });
      expectProblem(await get('/v1/test-auth/plain', token), 401, 'token-invalid');
    });

    it('our key but the wrong audience → token-invalid', async () => {
      const token = await signWithDevKey(t.dataDir, { ...validClaims(), aud: 'another-api' });
      expectProblem(await get('/v1/test-auth/plain', token), 401, 'token-invalid');
    });

    it('expired → token-expired; within the 30 s clock tolerance it still passes', async () => {
      const token = await tokenFor('worker-1', { ttlSeconds: 60 });
      const issuedAt = clock.now();
      try {
        clock.advance(60_000 + 20_000);
        expect((await get('/v1/test-auth/plain', token)).status).toBe(200);
        clock.advance(15_000);
        expectProblem(await get('/v1/test-auth/plain', token), 401, 'token-expired');
      } finally {
        clock.set(issuedAt);
      }
    });

    it('an expired token with a bad signature says token-invalid, not token-expired', async () => {
      const { privateKey } = await generateKeyPair('EdDSA');
      const token = await new SignJWT({ ...validClaims(), exp: now() - 3600 })
        .setProtectedHeader({ alg: 'EdDSA' })
        .sign(privateKey);
      expectProblem(await get('/v1/test-auth/plain', token), 401, 'token-invalid');
    });

    it.each([
      ['no agency_id', { agency_id: undefined }],
      ['no sub', { sub: undefined }],
      ['roles not a list of strings', { roles: 'caseworker' }],
      ['no exp (a token that never expires)', { exp: undefined }],
    ])('correctly signed but %s → claims-missing', async (_label, change) => {
      const token = await signWithDevKey(t.dataDir, { ...validClaims(), ...change });
      expectProblem(await get('/v1/test-auth/plain', token), 401, 'claims-missing');
    });
  });

  describe('200: a valid token of an active staff member', () => {
    it('sets the principal from the staff record', async () => {
      const res = await get('/v1/test-auth/plain', await tokenFor('worker-1')).expect(200);
      expect(res.body).toEqual({
        userId: 'worker-1',
        agencyId: 'agency-core',
        roles: ['caseworker'],
        agencyStatus: 'active',
        agencyTier: 'core',
      });
    });

    it('asks the staff directory on every request', async () => {
      const token = await tokenFor('worker-1');
      const before = directory.calls;
      await get('/v1/test-auth/plain', token).expect(200);
      await get('/v1/test-auth/plain', token).expect(200);
      expect(directory.calls - before).toBe(2);
    });

    it('public routes and /health need no token; unknown routes stay 404', async () => {
      await get('/v1/test-auth/public').expect(200, { public: true });
      expect((await get('/health')).status).toBe(200);
      expectProblem(await get('/v1/no-such-route'), 404, 'not-found');
    });

    it('effective roles = staff roles ∩ token roles: a token can narrow, never widen', async () => {
      const narrowed = await tokenFor('admin-1', { roles: ['caseworker', 'network-admin'] });
      const res = await get('/v1/test-auth/plain', narrowed).expect(200);
      expect(res.body.roles).toEqual(['caseworker']);
      expectProblem(await get('/v1/test-auth/admin', narrowed), 403, 'missing-role');
      // The same person with a token carrying no narrowing gets their full roles.
      const full = await signWithDevKey(t.dataDir, { ...validClaims(), sub: 'admin-1' });
      expect((await get('/v1/test-auth/admin', full).expect(200)).body.roles).toEqual(['caseworker', 'agency-admin']);
    });
  });

  describe('403: the token is fine, the network says no', () => {
    it('unknown staff member → not-a-staff-member', async () => {
      expectProblem(await get('/v1/test-auth/plain', await tokenFor('stranger-1')), 403, 'not-a-staff-member');
    });

    it('deactivated staff are refused on the very next request', async () => {
      directory.put({ userId: 'leaver-1' });
      const token = await tokenFor('leaver-1');
      await get('/v1/test-auth/plain', token).expect(200);
      directory.update('leaver-1', { active: false });
      expectProblem(await get('/v1/test-auth/plain', token), 403, 'staff-deactivated');
    });

    it('token agency differs from the staff record → agency-mismatch', async () => {
      expectProblem(
        await get('/v1/test-auth/plain', await tokenFor('worker-1', { agencyId: 'agency-other' })),
        403,
        'agency-mismatch',
      );
    });

    it('@Roles without the role → missing-role', async () => {
      expectProblem(await get('/v1/test-auth/admin', await tokenFor('worker-1')), 403, 'missing-role');
      await get('/v1/test-auth/admin', await tokenFor('admin-1')).expect(200);
    });

    it('suspended agency: 200 on a plain route, no-case-access on @CaseAccess', async () => {
      directory.put({ userId: 'suspended-1', agencyId: 'agency-suspended', agencyStatus: 'suspended' });
      const token = await tokenFor('suspended-1');
      expect((await get('/v1/test-auth/plain', token).expect(200)).body.agencyStatus).toBe('suspended');
      expectProblem(await get('/v1/test-auth/cases', token), 403, 'no-case-access');
    });

    it.each([
      ['an associate member', 'associate-1', { agencyTier: 'associate' as const }],
      ['an applicant agency', 'applicant-1', { agencyStatus: 'applicant' as const }],
    ])('%s → no-case-access on @CaseAccess', async (_label, userId, change) => {
      directory.put({ userId, agencyId: 'agency-x', ...change });
      const token = await tokenFor(userId);
      await get('/v1/test-auth/plain', token).expect(200);
      expectProblem(await get('/v1/test-auth/cases', token), 403, 'no-case-access');
    });

    it('an active core agency has case access', async () => {
      await get('/v1/test-auth/cases', await tokenFor('worker-1')).expect(200);
    });

    it('removed agency → agency-removed on every protected route', async () => {
      directory.put({
        userId: 'removed-1',
        agencyId: 'agency-removed',
        agencyStatus: 'removed',
        roles: ['agency-admin'],
      });
      const token = await tokenFor('removed-1');
      for (const path of ['/v1/test-auth/plain', '/v1/test-auth/admin', '/v1/test-auth/cases']) {
        expectProblem(await get(path, token), 403, 'agency-removed');
      }
    });
  });

  it('fails closed: a staff directory that throws → 503 access-check-unavailable, never 200', async () => {
    const token = await tokenFor('worker-1');
    directory.failing = true;
    try {
      for (const path of ['/v1/test-auth/plain', '/v1/test-auth/admin', '/v1/test-auth/cases']) {
        const res = await get(path, token);
        expectProblem(res, 503, 'access-check-unavailable');
        expect(res.text).not.toContain('SYNTHETIC-DIRECTORY-SECRET');
      }
      await get('/v1/test-auth/public').expect(200); // public routes do not need the directory
    } finally {
      directory.failing = false;
    }
    await get('/v1/test-auth/plain', token).expect(200);
  });

  it('never logs a token (nor the directory error text)', async () => {
    expect(minted.length).toBeGreaterThan(10);
    const logs = logLines.join('');
    expect(logs).toContain('access-check'); // the 503 above was logged
    for (const token of minted) {
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(token.split('.')[2]); // not even the signature part
    }
    expect(logs).not.toContain('SYNTHETIC-DIRECTORY-SECRET');
  });
});

const devKeysFileKid = async (dataDir: string): Promise<string | undefined> =>
  JSON.parse(await readFile(join(dataDir, 'dev-keys.json'), 'utf8')).kid;
