import request from 'supertest';
import { DevKeys } from '@harbour/auth';
import { expectProblem } from '../auth/auth-fixtures.js';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';

const PER_SUBJECT = 5;
const PER_IP = 3;

/** Retry-After is whole seconds within the window; the problem says the same. */
function expectRateLimited(res: request.Response): void {
  const problem = expectProblem(res, 429, 'rate-limited');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(problem).toMatchObject({ title: 'too many requests', retryAfterSeconds: expect.any(Number) });
  expect(Math.abs((problem.retryAfterSeconds as number) - retryAfter)).toBeLessThanOrEqual(1);
}

describe('rate limiting', () => {
  let t: TestApp;
  let n: TestNetwork;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    // The real limiter with tiny limits (the suite's other apps use limits no test reaches).
    t = await startTestApp({
      env: {
        HARBOUR_RATE_LIMIT_PER_SUBJECT: String(PER_SUBJECT),
        HARBOUR_RATE_LIMIT_PER_IP: String(PER_IP),
        HARBOUR_RATE_LIMIT_WINDOW_SECONDS: '60',
      },
    });
    n = await buildNetwork(t); // set-up without HTTP: every budget below is still whole
  });
  afterAll(() => t?.close());

  it('limits requests without a token per IP address, more strictly, with 429 problem+json and Retry-After', async () => {
    for (let i = 0; i < PER_IP; i++) {
      const res = await http().get('/health').expect(200);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(PER_IP - i - 1));
    }
    expectRateLimited(await http().get('/health'));
    expectRateLimited(await http().get('/v1/audit/notary/public-key'));
    // A made-up or expired token buys no fresh budget: it counts as unauthenticated.
    expectRateLimited(await http().get('/v1/me').set('Authorization', 'Bearer not-a-real-token'));
  });

  it('counts a signed-in caller against their own subject: one staff member spending theirs leaves others theirs', async () => {
    const admin = await n.auth('admin');
    for (let i = 0; i < PER_SUBJECT; i++) {
      const res = await http().get('/v1/me').set('Authorization', admin).expect(200); // though this address has no unauthenticated budget left
      expect(res.headers['x-ratelimit-limit']).toBe(String(PER_SUBJECT)); // more than the per-IP limit
    }
    expectRateLimited(await http().get('/v1/me').set('Authorization', admin));
    // Every token of that subject shares the budget.
    const again = `Bearer ${await t.app.get(DevKeys).mintDevToken({ userId: 'admin', agencyId: n.secretariat, roles: ['network-admin'] })}`;
    expectRateLimited(await http().get('/v1/me').set('Authorization', again));

    // Another subject, from the same address, still reaches the guard (which refuses a non-member).
    const other = `Bearer ${await t.app.get(DevKeys).mintDevToken({ userId: 'someone-else', agencyId: n.secretariat, roles: ['caseworker'] })}`;
    expectProblem(await http().get('/v1/me').set('Authorization', other), 403, 'not-a-staff-member');
  });
});

describe('rate limiting turned off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { HARBOUR_RATE_LIMIT: 'false', HARBOUR_RATE_LIMIT_PER_SUBJECT: '1', HARBOUR_RATE_LIMIT_PER_IP: '1' },
    });
  });
  afterAll(() => t?.close());

  it('answers every request (HARBOUR_RATE_LIMIT=false, for benchmarks)', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await request(t.app.getHttpServer()).get('/health').expect(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});
