import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { Public } from '@harbour/auth';
import { ConcurrencyConflict } from '@harbour/event-store';
import { startTestApp, type TestApp } from '../support/context.js';

// A value no response may ever echo back (stands in for survivor data).
const MARKER = 'SYNTHETIC-MARKER-c41f9e27';
const SAFE_ID = 'req-0123456789abcdef';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

class AddressDto {
  @IsString()
  city!: string;
}

class EchoDto {
  @IsString()
  name!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  @IsInt()
  @Min(1)
  count!: number;
}

/** Every property optional, like a referral acceptance's body. */
class OptionalDto {
  @IsOptional()
  @IsString()
  note?: string;
}

/** Test-only routes (served under /v1 like every product route). */
// Public: these routes test the HTTP shell, not sign-in (the global AuthGuard skips them).
@Public()
@Controller('test-echo')
class EchoController {
  @Post()
  @HttpCode(200)
  echo(@Body() body: EchoDto) {
    return { accepted: true, fields: Object.keys(body).sort(), nested: body.address instanceof AddressDto };
  }

  @Post('optional')
  @HttpCode(200)
  optional(@Body() body: OptionalDto) {
    return { fields: Object.keys(body) };
  }

  @Post('conflict')
  conflict(): never {
    throw new ConcurrencyConflict('case-123', 3, 4);
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret survivor text');
  }

  @Get('database-gone')
  databaseGone(): never {
    throw Object.assign(new Error('connect ECONNREFUSED secret survivor text'), { code: 'ECONNREFUSED' });
  }
}

describe('API shell: errors as problem+json, request ids, headers, docs', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp({ controllers: [EchoController] });
  });
  afterAll(() => t?.close());

  /** Every problem response: the RFC 9457 shape, its media type and the request id echoed. */
  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual(
      expect.objectContaining({
        type: `urn:harbour:problem:${code}`,
        title: expect.any(String),
        status,
        detail: expect.any(String),
        instance: expect.any(String),
        code,
        requestId: res.headers['x-request-id'],
      }),
    );
    expect(res.body.requestId).toEqual(expect.any(String));
    return res.body as Record<string, unknown> & { errors?: Array<{ field: string; problem: string }> };
  };

  const post = (body: unknown) =>
    http()
      .post('/v1/test-echo')
      .send(body as object);
  const fieldsOf = (problem: { errors?: Array<{ field: string }> }) =>
    [...new Set((problem.errors ?? []).map((e) => e.field))].sort();

  it('accepts a valid body (the test route works)', async () => {
    const res = await post({ name: 'Ada', count: 2, address: { city: 'Leeds' } }).expect(200);
    expect(res.body).toEqual({ accepted: true, fields: ['address', 'count', 'name'], nested: true });
  });

  describe('unknown routes', () => {
    it.each(['/v1/no-such-thing', '/no-such-thing'])('%s → 404 problem+json', async (path) => {
      const problem = expectProblem(await http().get(`${path}?q=${MARKER}`), 404, 'not-found');
      expect(problem.instance).toBe(''); // no route matched: the path is the caller's own text
      expect(JSON.stringify(problem)).not.toContain(MARKER);
    });

    it('a known path with the wrong method → 404 problem+json', async () => {
      expectProblem(await http().delete('/health'), 404, 'not-found');
    });
  });

  describe('bad bodies → 400 validation-failed naming the fields, never their values', () => {
    it('a missing required field', async () => {
      const res = await post({ count: 1, address: { city: MARKER } });
      const problem = expectProblem(res, 400, 'validation-failed');
      expect(problem.instance).toBe('/v1/test-echo');
      expect(fieldsOf(problem)).toEqual(['name']);
      expect(res.text).not.toContain(MARKER);
    });

    it('a number below its minimum, and a wrongly typed field', async () => {
      const res = await post({ name: MARKER, count: 0 });
      expect(fieldsOf(expectProblem(res, 400, 'validation-failed'))).toEqual(['count']);
      const wrongType = await post({ name: 42, count: MARKER });
      expect(fieldsOf(expectProblem(wrongType, 400, 'validation-failed'))).toEqual(['count', 'name']);
      expect(res.text + wrongType.text).not.toContain(MARKER);
    });

    it('a nested field, by its dotted path', async () => {
      const res = await post({ name: MARKER, count: 3, address: { city: 7, street: MARKER } });
      const problem = expectProblem(res, 400, 'validation-failed');
      expect(fieldsOf(problem)).toEqual(['address.city', 'address.street']);
      expect(problem.errors).toContainEqual({
        field: 'address.street',
        problem: expect.stringContaining('should not exist'),
      });
      expect(res.text).not.toContain(MARKER);
    });

    it('a nested object that is not an object', async () => {
      const res = await post({ name: 'Ada', count: 3, address: MARKER });
      expect(fieldsOf(expectProblem(res, 400, 'validation-failed'))).toEqual(['address']);
      expect(res.text).not.toContain(MARKER);
    });

    it.each(['"7"', '5e-324', '[]', 'true'])(
      'a body that is no object (%s) is named (body), not "body" (found by the fuzz suite)',
      async (text) => {
        const res = await http().post('/v1/test-echo/optional').set('Content-Type', 'application/json').send(text);
        expect(expectProblem(res, 400, 'validation-failed').errors).toEqual([
          { field: '(body)', problem: 'must be a JSON object' },
        ]);
      },
    );

    it('an unknown extra property is refused, by name', async () => {
      const res = await post({ name: 'Ada', count: 1, nickname: MARKER });
      const problem = expectProblem(res, 400, 'validation-failed');
      expect(problem.errors).toEqual([{ field: 'nickname', problem: expect.stringContaining('should not exist') }]);
      expect(res.text).not.toContain(MARKER);
    });

    it.each([
      ['an unquoted value', `{"name": ${MARKER}, "count": 1}`],
      ['an unterminated string', `{"name": "${MARKER}`],
      ['a trailing comma', `{"name": "${MARKER}",}`],
    ])('malformed JSON (%s) → 400 problem+json that does not quote the body', async (_label, raw) => {
      const res = await http().post('/v1/test-echo').set('Content-Type', 'application/json').send(raw);
      const problem = expectProblem(res, 400, 'bad-request');
      expect(problem.requestId).toMatch(UUID);
      expect(res.text).not.toContain(MARKER);
    });
  });

  it('a concurrency conflict → 409 concurrency-conflict with the current version, without the stream id', async () => {
    const res = await http().post('/v1/test-echo/conflict');
    const problem = expectProblem(res, 409, 'concurrency-conflict');
    expect(problem.currentVersion).toBe(4);
    expect(problem.instance).toBe('/v1/test-echo/conflict');
    expect(res.text).not.toContain('case-123');
  });

  it('an unexpected error → bare 500 internal-error: its message never leaves the server', async () => {
    const res = await http().get('/v1/test-echo/boom');
    const problem = expectProblem(res, 500, 'internal-error');
    expect(problem.detail).toMatch(/request id/);
    expect(res.text).not.toContain('secret survivor text');
    expect(res.text).not.toContain('at EchoController'); // no stack either
  });

  it('a query that finds the database gone → 503 database-unavailable (fail closed, not a 500), without its message', async () => {
    const res = await http().get('/v1/test-echo/database-gone');
    expectProblem(res, 503, 'database-unavailable');
    expect(res.text).not.toContain('secret survivor text');
  });

  describe('X-Request-Id', () => {
    it('is never adopted from the caller, even a safe token: Harbour generates its own', async () => {
      const res = await http().get('/v1/test-echo/boom').set('X-Request-Id', SAFE_ID);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(expectProblem(res, 500, 'internal-error').requestId).toBe(res.headers['x-request-id']);
      const ok = await http().get('/health').set('X-Request-Id', SAFE_ID);
      expect(ok.headers['x-request-id']).toMatch(UUID);
      expect(ok.text).not.toContain(SAFE_ID);
    });

    it.each([
      ['safe', SAFE_ID],
      ['spaces', 'has spaces in it'],
      ['too long', 'a'.repeat(65)],
      ['too short', 'abc'],
      ['markup', '<script>alert(1)</script>'],
    ])('a given one (%s) is replaced by a generated uuid', async (_label, given) => {
      const res = await http().post('/v1/test-echo/conflict').set('X-Request-Id', given);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(expectProblem(res, 409, 'concurrency-conflict').requestId).toBe(res.headers['x-request-id']);
      expect(res.text).not.toContain(given);
    });

    it('without one, each request gets its own uuid', async () => {
      const [a, b] = await Promise.all([http().get('/health'), http().get('/health')]);
      expect(a.headers['x-request-id']).toMatch(UUID);
      expect(b.headers['x-request-id']).toMatch(UUID);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });
  });

  it('sends helmet security headers, on successes and on problems', async () => {
    for (const res of [await http().get('/health'), await http().get('/v1/no-such-thing')]) {
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'content-security-policy': expect.stringContaining("default-src 'self'"),
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('tells browsers and proxies to keep no copy of any answer, and sends no body hash (ETag)', async () => {
    for (const res of [
      await http().get('/health'),
      await http().get('/v1/no-such-thing'),
      await http().get('/docs-json'),
    ]) {
      expect(res.headers['cache-control']).toMatch(/(^|, )no-store(,|$)/);
      expect(res.headers.etag).toBeUndefined();
    }
  });

  it('serves the OpenAPI document, with /health and the versioned routes', async () => {
    const res = await http().get('/docs-json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'Harbour API' } });
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/v1/test-echo']));
    expect(res.body.paths['/health']).toHaveProperty('get');
  });
});
