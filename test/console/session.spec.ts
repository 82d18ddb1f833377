import { DataSource } from 'typeorm';
import { FixedClock } from '@harbour/kernel';
import { CONSOLE_CSP } from '@harbour/console';
import { eventually } from '../support/store-context.js';
import { type ConsoleApp, startConsole } from './support/index.js';

/**
 * The console's session at the HTTP level (no browser): the development sign-in, the cookie's
 * flags, the API accepting the session like a bearer token, CSRF and same-origin checks on
 * every change, idle expiry, sign-out, and the security headers.
 */
describe('console session and CSRF (HTTP)', () => {
  let app: ConsoleApp;
  let origin: string;
  let cookie: string;
  let csrf: string;
  let clock: FixedClock;
  const events = async () =>
    Number(
      (await app.t.app.get(DataSource).query<Array<{ n: string }>>('SELECT count(*) AS n FROM harbour_events'))[0].n,
    );
  const send = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${origin}${path}`, { redirect: 'manual', ...init });
  const apply = (headers: Record<string, string>, name = 'Clinic East') =>
    send('/v1/agencies', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        name,
        sector: 'health',
        regions: ['on-toronto'],
        contact: { name: 'C', email: 'c@example.org' },
        requestedTier: 'core',
      }),
    });

  beforeAll(async () => {
    app = await startConsole();
    origin = app.origin;
    clock = app.t.clock as FixedClock;
  });
  afterAll(() => app?.close());

  it('lists the active staff for the development sign-in (staff metadata only)', async () => {
    const res = await send('/console/auth/options');
    expect(await res.json()).toEqual({ oidc: false, dev: true });
    // The staff list is a read model: it shows the bootstrapped admin once projected.
    await eventually(async () =>
      expect(await (await send('/console/auth/dev-users')).json()).toEqual([
        {
          userId: 'admin',
          displayName: 'Admin',
          agencyId: app.network.secretariat,
          agencyName: 'Network Secretariat',
          roles: ['network-admin', 'agency-admin'],
        },
      ]),
    );
  });

  it('refuses a development sign-in from another origin, or with bad input', async () => {
    const body = JSON.stringify({ userId: 'admin' });
    const headers = { 'content-type': 'application/json' };
    const cross = await send('/console/auth/dev-sign-in', {
      method: 'POST',
      headers: { ...headers, origin: 'https://evil.example' },
      body,
    });
    expect({ status: cross.status, code: ((await cross.json()) as { code: string }).code }).toEqual({
      status: 403,
      code: 'csrf-token-invalid',
    });
    expect(cross.headers.get('set-cookie')).toBeNull();
    const bad = await send('/console/auth/dev-sign-in', {
      method: 'POST',
      headers: { ...headers, origin },
      body: JSON.stringify({ userId: 'admin', admin: true }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toContain('admin');
    const nobody = await send('/console/auth/dev-sign-in', {
      method: 'POST',
      headers: { ...headers, origin },
      body: JSON.stringify({ userId: 'nobody' }),
    });
    expect(nobody.status).toBe(403);
  });

  it('signs in with an HttpOnly, SameSite=Strict cookie (not Secure on loopback) and answers the session', async () => {
    const res = await send('/console/auth/dev-sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ userId: 'admin' }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^harbour_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    cookie = setCookie.split(';')[0];
    const view = (await res.json()) as Record<string, unknown>;
    expect(view).toMatchObject({
      userId: 'admin',
      displayName: 'Admin',
      agencyId: app.network.secretariat,
      roles: ['network-admin', 'agency-admin'],
      idleTimeoutSeconds: 900,
    });
    csrf = view.csrfToken as string;
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = (await (await send('/console/session', { headers: { cookie } })).json()) as Record<string, unknown>;
    expect(again).toEqual(view);
  });

  it('keeps only the hash of the id, and the access token sealed, in PostgreSQL', async () => {
    const rows = await app.t.app
      .get(DataSource)
      .query<Array<{ id_hash: Buffer; sealed_tokens: unknown }>>('SELECT id_hash, sealed_tokens FROM console_sessions');
    expect(rows).toHaveLength(1);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(cookie.split('=')[1]);
    expect(text).not.toMatch(/eyJ/); // no JWT (header or payload) in clear
  });

  it('the API accepts the session as the bearer token: same principal', async () => {
    const bySession = await send('/v1/me', { headers: { cookie } });
    const byBearer = await send('/v1/me', { headers: { authorization: await app.network.auth('admin') } });
    expect(bySession.status).toBe(200);
    expect(await bySession.json()).toEqual(await byBearer.json());
  });

  it('sends the console CSP, no-store, nosniff and no-referrer on pages and on API answers', async () => {
    for (const path of ['/console/', '/console/console.css', '/console/js/main.js', '/v1/me', '/console/session']) {
      const res = await send(path, { headers: { cookie } });
      expect({
        path,
        status: res.status,
        csp: res.headers.get('content-security-policy'),
        cache: res.headers.get('cache-control'),
        sniff: res.headers.get('x-content-type-options'),
        referrer: res.headers.get('referrer-policy'),
      }).toEqual({ path, status: 200, csp: CONSOLE_CSP, cache: 'no-store', sniff: 'nosniff', referrer: 'no-referrer' });
    }
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    const html = await (await send('/console/')).text();
    expect(html).toContain('<script type="module" src="js/main.js"></script>');
    expect(html).not.toMatch(/<script>|\sstyle=|\son[a-z]+=/);
  });

  it('refuses a change with the cookie but without the CSRF token, or from another origin: 403, nothing written', async () => {
    const before = await events();
    const cases: Array<Record<string, string>> = [
      { cookie, origin },
      { cookie, origin, 'x-csrf-token': 'x'.repeat(43) },
      { cookie, origin: 'https://evil.example', 'x-csrf-token': csrf },
      { cookie, 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const res = await apply(headers);
      expect({ headers, status: res.status, code: ((await res.json()) as { code: string }).code }).toEqual({
        headers,
        status: 403,
        code: 'csrf-token-invalid',
      });
    }
    expect(await events()).toBe(before);
    const ok = await apply({ cookie, origin, 'x-csrf-token': csrf });
    expect(ok.status).toBe(201);
    expect(await events()).toBeGreaterThan(before);
  });

  it('a request with a bearer token ignores the cookie (never both)', async () => {
    const res = await send('/v1/me', { headers: { cookie, authorization: 'Bearer not-a-token' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('token-malformed');
    // and a bearer change needs no CSRF token
    const bearer = await apply({ authorization: await app.network.auth('admin') }, 'Clinic West');
    expect(bearer.status).toBe(201);
  });

  it('ends the session after the idle timeout: the API and the session route answer 401 session-ended', async () => {
    clock.advance(14 * 60_000);
    expect((await send('/v1/me', { headers: { cookie } })).status).toBe(200); // used: the idle timer restarts
    clock.advance(14 * 60_000);
    expect((await send('/console/session', { headers: { cookie } })).status).toBe(200);
    clock.advance(15 * 60_000 + 1_000);
    const me = await send('/v1/me', { headers: { cookie } });
    expect({ status: me.status, code: ((await me.json()) as { code: string }).code }).toEqual({
      status: 401,
      code: 'session-ended',
    });
    expect((await send('/console/session', { headers: { cookie } })).status).toBe(401);
    expect(
      await app.t.app.get(DataSource).query<unknown[]>('SELECT 1 FROM console_sessions WHERE user_id = $1', ['admin']),
    ).toEqual([]);
  });

  it('signs out (with the CSRF token only): the old cookie is refused afterwards', async () => {
    const signIn = await send('/console/auth/dev-sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ userId: 'admin' }),
    });
    const session = signIn.headers.get('set-cookie')!.split(';')[0];
    const token = ((await signIn.json()) as { csrfToken: string }).csrfToken;
    const forged = await send('/console/auth/sign-out', { method: 'POST', headers: { cookie: session, origin } });
    expect(forged.status).toBe(403);
    expect((await send('/v1/me', { headers: { cookie: session } })).status).toBe(200);
    const out = await send('/console/auth/sign-out', {
      method: 'POST',
      headers: { cookie: session, origin, 'x-csrf-token': token },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^harbour_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict$/);
    const after = await send('/v1/me', { headers: { cookie: session } });
    expect({ status: after.status, code: ((await after.json()) as { code: string }).code }).toEqual({
      status: 401,
      code: 'session-ended',
    });
  });
});
