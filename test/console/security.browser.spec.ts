import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors as oidcErrors } from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { NetworkBootstrap } from '@harbour/network';
import type { Clock } from '@harbour/kernel';
import { startTestApp, type TestApp } from '../support/context.js';
import { browserStorage, expectAccessible, launchBrowser, newPage, screenshot } from './support/index.js';

/** Real time, moved forward at will (the provider stamps real times; the idle timeout needs a jump). */
class ShiftedClock implements Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

const RESOURCE = 'urn:harbour:api';
const CLIENT_ID = 'harbour-console';
const CLIENT_SECRET = 'test-only-console-secret-0123456789';

/**
 * The console's security in a real browser against a real OIDC provider (oidc-provider, with
 * its development login and consent pages): authorization code with PKCE, a wrong state
 * refused, the cookie's flags, CSRF refused, idle expiry and sign-out back to the sign-in page,
 * and nothing but the language choice in the browser's storage.
 */
describe('console security (browser, OIDC)', () => {
  let server: Server;
  let issuer: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  let t: TestApp;
  let origin: string;
  let agencyId: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const clock = new ShiftedClock();
  const consoleWarn = console.warn;

  beforeAll(async () => {
    console.warn = (...args: unknown[]) =>
      String(args[0]).startsWith('oidc-provider WARNING') ? undefined : consoleWarn(...args);
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
    [t, browser] = await Promise.all([
      startTestApp({
        clock,
        env: {
          HARBOUR_DEV_KEYS: 'false',
          HARBOUR_OIDC_ISSUER: issuer,
          HARBOUR_OIDC_JWKS_URL: `${issuer}/jwks`,
          HARBOUR_CONSOLE_CLIENT_ID: CLIENT_ID,
          HARBOUR_CONSOLE_CLIENT_SECRET: CLIENT_SECRET,
          // The app's port is known only once it listens: set again below.
          HARBOUR_CONSOLE_REDIRECT_URL: 'http://127.0.0.1:1/console/auth/callback',
        },
      }),
      launchBrowser(),
    ]);
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    t.config.HARBOUR_CONSOLE_REDIRECT_URL = `${origin}/console/auth/callback`;
    ({ agencyId } = await t.app.get(NetworkBootstrap).run({
      agency: {
        name: 'Network Secretariat',
        sector: 'other',
        regions: ['on-toronto'],
        contact: { name: 'S', email: 's@example.org' },
      },
      admin: { userId: 'admin', displayName: 'Ada Admin', email: 'admin@example.org' },
    }));
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const provider = new Provider(issuer, {
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 3600, IdToken: 3600, RefreshToken: 3600 },
      jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] },
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: [`${origin}/console/auth/callback`],
          token_endpoint_auth_method: 'client_secret_basic',
          id_token_signed_response_alg: 'ES256',
        },
      ],
      features: {
        devInteractions: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => RESOURCE,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, resource: string) => {
            if (resource !== RESOURCE) throw new oidcErrors.InvalidTarget();
            return {
              scope: '',
              audience: 'harbour-api',
              accessTokenFormat: 'jwt',
              accessTokenTTL: 3600,
              jwt: { sign: { alg: 'ES256' } },
            };
          },
        },
      },
      // The IdP's claim mapping: the staff member's agency (roles: the staff record's apply).
      extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) =>
        token.accountId === 'admin' ? { agency_id: agencyId } : undefined,
    });
    handler = provider.callback();
    ({ page, errors } = await newPage(browser));
  });
  afterAll(async () => {
    console.warn = consoleWarn;
    await browser?.close();
    await t?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const me = (cookie: string) => fetch(`${origin}/v1/me`, { headers: { cookie } });

  it('offers the identity provider only (no development sign-in without HARBOUR_DEV_KEYS)', async () => {
    expect(await (await fetch(`${origin}/console/auth/options`)).json()).toEqual({ oidc: true, dev: false });
    expect((await fetch(`${origin}/console/auth/dev-users`)).status).toBe(404);
    const devSignIn = await fetch(`${origin}/console/auth/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ userId: 'admin' }),
    });
    expect(devSignIn.status).toBe(404);
  });

  it('starts the authorization code flow with PKCE (S256), state and nonce kept in a sealed HttpOnly cookie', async () => {
    const res = await fetch(`${origin}/console/auth/sign-in`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${origin}/console/auth/callback`,
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.any(String),
      nonce: expect.any(String),
    });
    const pending = res.headers.get('set-cookie')!;
    expect(pending).toMatch(
      /^harbour_oidc_pending=[^;]+; Path=\/console\/auth\/callback; HttpOnly; SameSite=Lax; Max-Age=600$/,
    );
    expect(pending).not.toContain(location.searchParams.get('state')!);

    // The same cookie with another state: refused, no session.
    const cookie = pending.split(';')[0];
    const wrong = await fetch(`${origin}/console/auth/callback?code=abc&state=not-the-state`, {
      redirect: 'manual',
      headers: { cookie },
    });
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toBe('/console/?sign-in=failed');
    expect(wrong.headers.get('set-cookie')).not.toContain('harbour_session=');
    // No pending cookie at all (a callback this browser never started): refused too.
    const stray = await fetch(`${origin}/console/auth/callback?code=abc&state=x`, { redirect: 'manual' });
    expect(stray.headers.get('location')).toBe('/console/?sign-in=failed');
  });

  it('shows a refused sign-in on the sign-in page', async () => {
    await page.goto(`${origin}/console/?sign-in=failed`);
    await page.locator('#sign-in-reason').waitFor();
    expect(await page.locator('#sign-in-reason').textContent()).toBe('The sign-in did not complete. Start again.');
    await expectAccessible(page);
  });

  it('signs in at the provider and comes back signed in, with a HttpOnly SameSite=Strict session cookie', async () => {
    await page.goto(`${origin}/console/`);
    await page.click('#oidc-sign-in');
    await page.waitForURL((url) => url.origin === issuer);
    await page.fill('input[name="login"]', 'admin');
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.locator('button', { hasText: 'Continue' }).click();
    await page.waitForURL(`${origin}/console/`);
    await page.locator('#sign-out').waitFor();
    expect(await page.locator('.who').textContent()).toBe('Signed in as Ada Admin');
    const cookies = await page.context().cookies(origin);
    expect(cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite, path: c.path }))).toEqual([
      { name: 'harbour_session', httpOnly: true, sameSite: 'Strict', path: '/' },
    ]);
    // The session's principal is the provider's access token's, as the API's guard sees it.
    const res = await me(`harbour_session=${cookies[0].value}`);
    expect(await res.json()).toMatchObject({ userId: 'admin', agencyId, roles: ['network-admin', 'agency-admin'] });
    expect(await page.evaluate('document.cookie')).toBe(''); // not readable by scripts
    await screenshot(page, 'home-network-admin');
  });

  it('refuses, in the page, a change without the CSRF token (403), and keeps nothing but the language in storage', async () => {
    const status = await page.evaluate(`fetch('/v1/agencies', {
      method: 'POST', headers: {'content-type': 'application/json'},
      body: JSON.stringify({name: 'Forged', sector: 'health', regions: ['on-toronto'], contact: {name: 'C', email: 'c@example.org'}, requestedTier: 'core'})
    }).then(async (r) => [r.status, (await r.json()).code])`);
    expect(status).toEqual([403, 'csrf-token-invalid']);
    await page.goto(`${origin}/console/#/no-such-page`);
    await page.locator('h1', { hasText: 'Page not found' }).waitFor();
    await page.selectOption('#language', 'fr');
    await page.selectOption('#language', 'en');
    expect(await browserStorage(page)).toEqual({ 'local:harbour.language': 'en' });
  });

  it('after the idle timeout, the next page shows the sign-in page saying the session ended', async () => {
    await page.goto(`${origin}/console/#/`);
    await page.locator('#sign-out').waitFor();
    clock.advance(16 * 60_000);
    await page.evaluate("location.hash = '#/no-such-page'");
    await page.locator('#sign-in-reason').waitFor();
    expect(await page.locator('#sign-in-reason').textContent()).toContain('Your session ended');
    expect(await page.locator('h1').textContent()).toBe('Sign in to Harbour');
    await expectAccessible(page);
    await screenshot(page, 'session-ended');
  });

  it('signs out: the sign-in page again, and the old cookie is refused by the API', async () => {
    await page.click('#oidc-sign-in');
    // The provider remembers the browser: straight back (or through its consent page).
    await page.waitForURL(`${origin}/console/`);
    await page.locator('#sign-out').waitFor();
    const [cookie] = await page.context().cookies(origin);
    expect((await me(`harbour_session=${cookie.value}`)).status).toBe(200);
    await page.click('#sign-out');
    await page.locator('#sign-in-reason', { hasText: 'You are signed out.' }).waitFor();
    const after = await me(`harbour_session=${cookie.value}`);
    expect({ status: after.status, code: ((await after.json()) as { code: string }).code }).toEqual({
      status: 401,
      code: 'session-ended',
    });
    expect(await page.context().cookies(origin)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
