import request from 'supertest';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';

// A value no answer may echo (stands in for survivor data).
const MARKER = 'SYNTHETIC-HOSTILE-MARKER-77d1';

const service = (overrides: Record<string, unknown> = {}) => ({
  name: 'Synthetic drop-in',
  description: 'Synthetic service for hostile-input tests.',
  needs: ['shelter'],
  languages: ['en'],
  regions: ['on-toronto'],
  eligibility: { gender: 'any', minAge: null, maxAge: null },
  hours: [{ day: 'mo', opens: '09:00', closes: '17:00' }],
  acceptingReferrals: true,
  responseWindowHours: 24,
  addressConfidential: false,
  ...overrides,
});

/** `[[[…]]]` or `{"a":{"a":…}}` nested `depth` deep. */
const nested = (depth: number, kind: 'array' | 'object') =>
  kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('hostile input: never a 5xx, always problem+json that echoes nothing', () => {
  let t: TestApp;
  let net: TestNetwork;
  let admin: string;
  let shelterAdmin: string;
  let shelter: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp();
    net = await buildNetwork(t);
    admin = await net.auth('admin');
    shelter = await net.apply('Synthetic Shelter', 'shelter');
    await net.admit(shelter);
    await net.staff(shelter, 'sam', ['agency-admin', 'caseworker']);
    shelterAdmin = await net.auth('sam');
  });
  afterAll(() => t?.close());

  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: `urn:harbour:problem:${code}`,
      status,
      requestId: res.headers['x-request-id'],
    });
    expect(res.text).not.toContain(MARKER);
    return res.body as {
      instance: string;
      detail: string;
      errors?: Array<{ field: string; problem: string }>;
      limit?: string;
    };
  };

  describe('structural limits of a JSON body, before validation', () => {
    it.each([
      ['arrays', nested(2_500, 'array')],
      ['objects', nested(2_500, 'object')],
      ['just over the limit', nested(33, 'array')],
    ])('nested too deep (%s) → 400 json-too-deep on every write route', async (_label, body) => {
      for (const path of [
        '/v1/services',
        `/v1/agencies/${shelter}/staff`,
        '/v1/agencies',
        '/v1/referrals',
        '/v1/intakes',
      ]) {
        const res = await http()
          .post(path)
          .set('Authorization', shelterAdmin)
          .set('Content-Type', 'application/json')
          .send(body);
        const problem = expectProblem(res, 400, 'json-too-deep');
        expect(problem.detail).toMatch(/32/);
      }
    });

    it('a body nested within the limit reaches validation as usual', async () => {
      const res = await http()
        .post('/v1/services')
        .set('Authorization', shelterAdmin)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(service({ eligibility: JSON.parse(nested(20, 'object')) })));
      expectProblem(res, 400, 'validation-failed');
    });

    it('too many keys in one object → 400 json-too-many-keys naming where', async () => {
      const eligibility = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, i]));
      const problem = expectProblem(
        await http().post('/v1/services').set('Authorization', shelterAdmin).send(service({ eligibility })),
        400,
        'json-too-many-keys',
      );
      expect(problem.errors).toEqual([{ field: 'eligibility', problem: expect.stringMatching(/200/) }]);
    });

    it('too long an array → 400 json-array-too-long naming where', async () => {
      const problem = expectProblem(
        await http()
          .post('/v1/services')
          .set('Authorization', shelterAdmin)
          .send(service({ languages: Array(1_001).fill('en') })),
        400,
        'json-array-too-long',
      );
      expect(problem.errors).toEqual([{ field: 'languages', problem: expect.stringMatching(/1000/) }]);
    });

    it('too long a string → 400 json-string-too-long naming where, never quoting it', async () => {
      const problem = expectProblem(
        await http()
          .post('/v1/services')
          .set('Authorization', shelterAdmin)
          .send(service({ description: MARKER.repeat(2_000) })),
        400,
        'json-string-too-long',
      );
      expect(problem.errors).toEqual([{ field: 'description', problem: expect.stringMatching(/32768/) }]);
    });

    it('a key that is not a plain field name is never echoed', async () => {
      const problem = expectProblem(
        await http()
          .post('/v1/services')
          .set('Authorization', shelterAdmin)
          .send(service({ eligibility: { [`${MARKER} <x>`]: 1 } })),
        400,
        'validation-failed',
      );
      expect(JSON.stringify(problem.errors)).not.toContain(MARKER);
    });
  });

  describe('malformed UTF-16 in any string', () => {
    it.each([
      ['a lone high surrogate', 'x\ud800@example.org'],
      ['a lone low surrogate', 'x\udc00@example.org'],
      ['reversed pair', 'x\udc00\ud800@example.org'],
    ])('%s in an e-mail → 400 naming the field (was a 500 URIError)', async (_label, email) => {
      const res = await http()
        .post(`/v1/agencies/${shelter}/staff`)
        .set('Authorization', admin)
        .send({ userId: 'lone', displayName: 'Lone', email, roles: ['caseworker'] });
      const problem = expectProblem(res, 400, 'json-malformed-string');
      expect(problem.errors).toEqual([{ field: 'email', problem: expect.stringMatching(/UTF-16/) }]);
    });

    it('in a nested string, named by its path; in a key, named by its parent', async () => {
      const nestedRes = await http()
        .post('/v1/services')
        .set('Authorization', shelterAdmin)
        .send(service({ hours: [{ day: 'mo', opens: '\ud83d', closes: '17:00' }] }));
      expect(expectProblem(nestedRes, 400, 'json-malformed-string').errors).toEqual([
        { field: 'hours.0.opens', problem: expect.any(String) },
      ]);
      const keyRes = await http()
        .post('/v1/services')
        .set('Authorization', shelterAdmin)
        .send(service({ eligibility: { ['\udfff']: 1 } }));
      expect(expectProblem(keyRes, 400, 'json-malformed-string').errors).toEqual([
        { field: 'eligibility', problem: expect.stringMatching(/key/) },
      ]);
    });

    it('a NUL character (U+0000), which PostgreSQL cannot store, → 400 naming the field (was a 500; found by the fuzz suite)', async () => {
      const staff = await http()
        .post(`/v1/agencies/${shelter}/staff`)
        .set('Authorization', shelterAdmin)
        .send({ userId: 'nul', displayName: `Nul\u0000${MARKER}`, email: 'nul@example.org', roles: ['caseworker'] });
      expect(expectProblem(staff, 400, 'json-malformed-string').errors).toEqual([
        { field: 'displayName', problem: 'contains U+0000' },
      ]);
      const key = await http()
        .post('/v1/services')
        .set('Authorization', shelterAdmin)
        .send(service({ eligibility: { ['gender\u0000']: 'any' } }));
      expect(expectProblem(key, 400, 'json-malformed-string').errors).toEqual([
        { field: 'eligibility', problem: expect.stringMatching(/U\+0000/) },
      ]);
    });

    it('a well-formed pair (an emoji) is fine', async () => {
      // Case roles are granted by the agency's own admin.
      const res = await http()
        .post(`/v1/agencies/${shelter}/staff`)
        .set('Authorization', shelterAdmin)
        .send({
          userId: 'emoji',
          displayName: 'Emoji \ud83d\ude00',
          email: 'emoji@example.org',
          roles: ['caseworker'],
        });
      expect(res.status).toBe(201);
    });
  });

  describe('a required nested object that is missing', () => {
    it.each(['eligibility', 'hours'])(
      'POST /v1/services without %s → 400 naming it (was a 500 TypeError)',
      async (field) => {
        const body: Record<string, unknown> = service();
        delete body[field];
        const problem = expectProblem(
          await http().post('/v1/services').set('Authorization', shelterAdmin).send(body),
          400,
          'validation-failed',
        );
        expect(problem.errors!.map((e) => e.field)).toContain(field);
      },
    );

    it.each([null, 'x', 7])('POST /v1/services with eligibility %p → 400 naming it', async (eligibility) => {
      const problem = expectProblem(
        await http().post('/v1/services').set('Authorization', shelterAdmin).send(service({ eligibility })),
        400,
        'validation-failed',
      );
      expect(problem.errors!.map((e) => e.field)).toContain('eligibility');
    });

    it('POST /v1/agencies without contact → 400 naming it', async () => {
      const res = await http()
        .post('/v1/agencies')
        .set('Authorization', admin)
        .send({ name: 'No contact', sector: 'shelter', regions: ['on-toronto'], requestedTier: 'core' });
      expect(expectProblem(res, 400, 'validation-failed').errors!.map((e) => e.field)).toContain('contact');
    });
  });

  describe('framework errors are problem+json and never echo the request', () => {
    it('a path parameter over the router limit → 414 uri-too-long, without the path', async () => {
      const long = MARKER.repeat(20);
      const res = await http().get(`/v1/agencies/${long}/staff`).set('Authorization', admin);
      const problem = expectProblem(res, 414, 'uri-too-long');
      expect(problem.instance).toBe('');
    });

    it('a problem on a route with parameters names the route template, not the raw path', async () => {
      const res = await http().get(`/v1/agencies/${MARKER}/staff`).set('Authorization', admin);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.instance).toMatch(/^\/v1\/agencies\/\{\w+\}\/staff$/);
      expect(res.text).not.toContain(MARKER);
    });

    it('a form body on a JSON route → 415 unsupported-media-type, not parsed as a form', async () => {
      const res = await http()
        .post('/v1/services')
        .set('Authorization', shelterAdmin)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(`{"name":"${MARKER}"}=1&${MARKER}=2`);
      const problem = expectProblem(res, 415, 'unsupported-media-type');
      expect(problem.errors).toBeUndefined();
    });

    it.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json-seq'])(
      'a %s body → 415 unsupported-media-type',
      async (type) => {
        const res = await http()
          .post('/v1/services')
          .set('Authorization', shelterAdmin)
          .set('Content-Type', type)
          .send(`--x\r\n${MARKER}`);
        expectProblem(res, 415, 'unsupported-media-type');
      },
    );

    it('a body over the limit → 413 payload-too-large', async () => {
      const res = await http()
        .post('/v1/services')
        .set('Authorization', shelterAdmin)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(service({ description: MARKER.repeat(5_000) })));
      expectProblem(res, 413, 'payload-too-large');
    });

    it('a URL that is not valid percent-encoding → 400 problem+json', async () => {
      const res = await http().get(`/v1/agencies/%E0%A4%A/staff?${MARKER}`).set('Authorization', admin);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toContain(MARKER);
    });

    it('JSON with charset, or in upper case, is still JSON', async () => {
      const res = await http()
        .post('/v1/services')
        .set('Authorization', shelterAdmin)
        .set('Content-Type', 'Application/JSON; charset=utf-8')
        .send(JSON.stringify(service()));
      expect(res.status).toBe(201);
    });
  });
});
