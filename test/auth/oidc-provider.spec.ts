import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { errors as oidcErrors } from 'oidc-provider';
import request from 'supertest';
import { AUTH_MODULE_OPTIONS, StaffDirectory } from '@harbour/auth';
import { systemClock } from '@harbour/kernel';
import { startTestApp, type TestApp } from '../support/context.js';
import { AuthProbeController, expectProblem, TestStaffDirectory, TestStaffModule } from './auth-fixtures.js';

/**
 * Token verification against a real OIDC provider (`oidc-provider`, the certified Node
 * implementation) started in this process: it issues RFC 9068 JWT access tokens for Harbour's
 * resource indicator with the client_credentials grant, and Harbour fetches its published JWKS.
 * A client stands in for a signed-in staff member: `sub` is the client id, and the provider adds
 * the `agency_id` and `roles` claims (extraTokenClaims), as an IdP's claim mapping would.
 */
const RESOURCE = 'urn:harbour:api';
const OTHER_RESOURCE = 'urn:other:api';
const CLIENT = {
  client_id: 'worker-oidc',
  client_secret: 'test-only-client-secret-0123456789',
  agency_id: 'agency-oidc',
};
// jose's JWKS cache, shortened so the test can watch it (production defaults: 30 s and 10 min).
const COOLDOWN_MS = 2_000;
const CACHE_MAX_AGE_MS = 4_000;

const signingKey = async (): Promise<JWK> => {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    ...(await exportJWK(privateKey)),
    kid: `k-${Math.random().toString(36).slice(2, 10)}`,
    alg: 'ES256',
    use: 'sig',
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tokens from a real OIDC provider, verified through its JWKS, across a key rotation', () => {
  let server: Server;
  let issuer: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  const jwksFetches: number[] = [];
  let jwksDown = false;
  let t: TestApp;
  const directory = new TestStaffDirectory();
  const get = (token: string) =>
    request(t.app.getHttpServer()).get('/v1/test-auth/plain').set('Authorization', `Bearer ${token}`);

  /** (Re)configure the provider with a key set: the first key signs, every key is published. */
  const configureProvider = (keys: JWK[]) => {
    const provider = new Provider(issuer, {
      jwks: { keys },
      ttl: { ClientCredentials: 300 },
      clients: [
        {
          client_id: CLIENT.client_id,
          client_secret: CLIENT.client_secret,
          grant_types: ['client_credentials'],
          redirect_uris: [],
          response_types: [],
          token_endpoint_auth_method: 'client_secret_post',
          id_token_signed_response_alg: 'ES256',
        },
      ],
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          getResourceServerInfo: async (_ctx: unknown, resource: string) => {
            if (resource === RESOURCE)
              return {
                scope: '',
                audience: 'harbour-api',
                accessTokenFormat: 'jwt',
                accessTokenTTL: 300,
                jwt: { sign: { alg: 'ES256' } },
              };
            if (resource === OTHER_RESOURCE)
              return {
                scope: '',
                audience: 'other-api',
                accessTokenFormat: 'jwt',
                accessTokenTTL: 300,
                jwt: { sign: { alg: 'ES256' } },
              };
            throw new oidcErrors.InvalidTarget();
          },
        },
      },
      extraTokenClaims: async (_ctx: unknown, token: { clientId?: string }) =>
        token.clientId === CLIENT.client_id ? { agency_id: CLIENT.agency_id, roles: ['caseworker'] } : undefined,
    });
    handler = provider.callback();
  };

  /** client_credentials at the provider's token endpoint; returns the JWT access token. */
  const issueToken = async (resource = RESOURCE): Promise<string> => {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT.client_id,
        client_secret: CLIENT.client_secret,
        resource,
      }),
    });
    const body = (await res.json()) as {
      access_token?: string;
      token_type?: string;
      error?: string;
      error_description?: string;
    };
    if (res.status !== 200) throw new Error(`token endpoint: ${res.status} ${body.error}: ${body.error_description}`);
    expect({ status: res.status, token_type: body.token_type }).toEqual({ status: 200, token_type: 'Bearer' });
    return body.access_token!;
  };

  let keyA: JWK;
  let keyB: JWK;

  // oidc-provider warns (once per instance) about its development-only in-memory storage.
  const consoleWarn = console.warn;
  beforeAll(() => {
    console.warn = (...args: unknown[]) =>
      String(args[0]).startsWith('oidc-provider WARNING') ? undefined : consoleWarn(...args);
  });
  afterAll(() => {
    console.warn = consoleWarn;
  });

  beforeAll(async () => {
    // One HTTP server for the whole test, so the issuer URL (with its port) stays the same while
    // the provider behind it is reconfigured with new keys.
    server = createServer((req, res) => {
      if (req.url?.startsWith('/jwks')) {
        jwksFetches.push(Date.now());
        if (jwksDown) {
          res.writeHead(503).end();
          return;
        }
      }
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    [keyA, keyB] = [await signingKey(), await signingKey()];
    configureProvider([keyA]);

    // Harbour is configured from the provider's own discovery document.
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(issuer);
    t = await startTestApp({
      imports: [TestStaffModule.with(directory)],
      controllers: [AuthProbeController],
      // Ours whether or not the app already registers a StaffDirectory (the network context's).
      overrides: [
        { provide: StaffDirectory, useValue: directory },
        {
          provide: AUTH_MODULE_OPTIONS,
          useValue: { jwks: { cooldownMs: COOLDOWN_MS, cacheMaxAgeMs: CACHE_MAX_AGE_MS } },
        },
      ],
      clock: systemClock, // the provider stamps real times
      env: { HARBOUR_OIDC_ISSUER: discovery.issuer, HARBOUR_OIDC_JWKS_URL: discovery.jwks_uri },
    });
    directory.put({ userId: CLIENT.client_id, agencyId: CLIENT.agency_id, roles: ['caseworker', 'supervisor'] });
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('accepts an access token the provider issued, with its claims mapped to the principal', async () => {
    const token = await issueToken();
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: keyA.kid });
    const res = await get(token).expect(200);
    expect(res.body).toEqual({
      userId: CLIENT.client_id,
      agencyId: CLIENT.agency_id,
      roles: ['caseworker'],
      agencyStatus: 'active',
      agencyTier: 'core',
    });
    expect(jwksFetches).toHaveLength(1);
  });

  it('refuses a token the same provider issued for another audience', async () => {
    expectProblem(await get(await issueToken(OTHER_RESOURCE)), 401, 'token-invalid');
  });

  it('key rotation: a new key published first in the JWKS is fetched on its unknown kid; the retired key stops verifying once the cache refreshes', async () => {
    const tokenA = await issueToken();

    // 1. Rotate: the provider now signs with B and still publishes A.
    configureProvider([keyB, keyA]);
    const tokenB = await issueToken();
    expect(decodeProtectedHeader(tokenB).kid).toBe(keyB.kid);

    // Within the cooldown after the last fetch, an unknown kid does not trigger a refetch (this
    // is what stops a flood of made-up kids from hammering the provider): refused for now.
    expect(Date.now() - jwksFetches.at(-1)!).toBeLessThan(COOLDOWN_MS);
    expectProblem(await get(tokenB), 401, 'token-invalid');

    // After the cooldown the unknown kid makes jose refetch the JWKS, and B verifies.
    await sleep(COOLDOWN_MS - (Date.now() - jwksFetches.at(-1)!) + 100);
    const fetchesBefore = jwksFetches.length;
    await get(tokenB).expect(200);
    expect(jwksFetches.length).toBe(fetchesBefore + 1);
    await get(tokenA).expect(200); // A is still published

    // 2. Retire A: the provider publishes only B.
    configureProvider([keyB]);
    // While the fetched JWKS is fresh (cacheMaxAge), a token signed with A still verifies.
    expect(Date.now() - jwksFetches.at(-1)!).toBeLessThan(CACHE_MAX_AGE_MS);
    await get(tokenA).expect(200);
    // Once it is stale, the next request refetches, and A is refused.
    await sleep(CACHE_MAX_AGE_MS - (Date.now() - jwksFetches.at(-1)!) + 100);
    expectProblem(await get(tokenA), 401, 'token-invalid');
    await get(tokenB).expect(200);
    await get(await issueToken()).expect(200);
  });

  it('fails closed when the JWKS cannot be fetched: 503 token-keys-unavailable, never 200', async () => {
    const token = await issueToken();
    await get(token).expect(200);
    jwksDown = true;
    try {
      await sleep(CACHE_MAX_AGE_MS - (Date.now() - jwksFetches.at(-1)!) + 100);
      expectProblem(await get(token), 503, 'token-keys-unavailable');
    } finally {
      jwksDown = false;
    }
    await get(token).expect(200);
  });
});
