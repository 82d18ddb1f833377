import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { loneSurrogates, mutate, nestedText, oddStrings, pathsOf, wrongType } from '../support/fuzz/hostile.js';
import { answerProblems, type Operation } from '../support/fuzz/oracle.js';
import { encode } from '../support/fuzz/request.js';
import {
  isDocumentedPath,
  requiredPaths,
  type Schema,
  schemaPaths,
  type Schemas,
  valueOf,
} from '../support/fuzz/schema.js';

/** The fuzz suite's own generators and oracle, on a small synthetic schema set (no app, no database). */
const MARKER = 'FZMK-0000beef';
const schemas: Schemas = {
  Hours: {
    type: 'object',
    properties: {
      day: { type: 'string', enum: ['mo', 'tu'] },
      opens: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
    },
    required: ['day', 'opens'],
    additionalProperties: false,
  },
  Service: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      agencyId: { type: 'string', format: 'uuid' },
      at: { type: 'string', format: 'date-time' },
      email: { type: 'string', format: 'email', maxLength: 80 },
      window: { type: 'integer', minimum: 1, maximum: 720 },
      amount: { type: 'number', minimum: 0, maximum: 1_000_000 },
      epsilon: { type: 'number', exclusiveMinimum: 0 },
      regions: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,39}$' },
        minItems: 1,
        maxItems: 3,
        uniqueItems: true,
      },
      hours: { type: 'array', items: { $ref: '#/components/schemas/Hours' } },
      note: { type: 'string', nullable: true, maxLength: 10 },
    },
    required: ['name', 'regions', 'hours'],
    additionalProperties: false,
    example: { name: 'Example', regions: ['on-toronto'], hours: [] },
  },
};
const context = {
  schemas,
  known: (name: string) => (name === 'agencyId' ? ['3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f'] : []),
  marker: MARKER,
};
const service: Schema = { $ref: '#/components/schemas/Service' };

describe('fuzz generators', () => {
  it('valid values pass the schema they came from (checked by ajv)', () => {
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
    const validate = ajv.compile({ $ref: '#/components/schemas/Service' });
    fc.assert(
      fc.property(valueOf(service, context), (value) => {
        expect({ value, errors: validate(value) ? null : validate.errors }).toEqual({ value, errors: null });
      }),
      { numRuns: 300 },
    );
  });

  it('reach the edges: real ids, the marker, the denormal 5e-324 and -0', () => {
    const values = fc.sample(valueOf(service, context), { numRuns: 3_000, seed: 42 });
    const amounts = values.map((v) => (v as { amount?: number }).amount);
    expect(values.some((v) => (v as { agencyId?: string }).agencyId === '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f')).toBe(
      true,
    );
    expect(values.some((v) => (v as { name: string }).name === MARKER)).toBe(true);
    expect(amounts).toContain(5e-324);
    expect(amounts.some((a) => Object.is(a, -0) || a === 0)).toBe(true);
  });

  it('lone surrogates are lone, and encode() sends them as their WTF-8 bytes', () => {
    fc.assert(fc.property(loneSurrogates(MARKER), (s) => expect(s).toMatch(/\p{Cs}/u)));
    expect(encode('x\ud800y')).toBe('x%ED%A0%80y');
    expect(encode('a b/é\u{1F600}')).toBe(encodeURIComponent('a b/é\u{1F600}'));
    expect(fc.sample(oddStrings(MARKER), { numRuns: 500, seed: 7 }).some((s) => s.length > 32_768)).toBe(true);
  });

  it('mutations: a required key dropped, every string poisoned, nesting spliced as text, types changed', () => {
    const body = { name: 'n', regions: ['on-toronto'], hours: [{ day: 'mo', opens: '09:00' }] };
    const required = (v: unknown) => requiredPaths(v, service, schemas);
    expect(required(body)).toEqual([['name'], ['regions'], ['hours'], ['hours', 0, 'day'], ['hours', 0, 'opens']]);
    expect(JSON.parse(mutate(body, { kind: 'drop-required', at: 2 }, required))).toEqual({
      name: 'n',
      regions: ['on-toronto'],
    });
    expect(JSON.parse(mutate(body, { kind: 'poison-strings', value: '\ud800' }))).toEqual({
      name: '\ud800',
      regions: ['\ud800'],
      hours: [{ day: '\ud800', opens: '\ud800' }],
    });
    const deep = mutate(body, { kind: 'nest', at: 1, depth: 2_500, shape: 'array' });
    expect(deep).toContain(nestedText(2_500, 'array'));
    expect(() => JSON.parse(deep)).not.toThrow();
    const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
    for (const current of ['x', 7, true, null, {}, []])
      for (let choice = 0; choice < 6; choice++) expect(typeOf(wrongType(current, choice))).not.toBe(typeOf(current));
    expect(pathsOf(body)).toHaveLength(8);
  });

  it('documented paths: array indexes match with or without the index; free-form objects allow anything below', () => {
    const paths = schemaPaths(service, schemas);
    expect(paths).toEqual(expect.arrayContaining(['name', 'regions', 'regions.*', 'hours.*.opens']));
    expect(isDocumentedPath('hours.3.opens', paths)).toBe(true);
    expect(isDocumentedPath('hours.opens', paths)).toBe(true);
    expect(isDocumentedPath('hours.3.closes', paths)).toBe(false);
    expect(isDocumentedPath('content.anything.below', ['content.**'])).toBe(true);
  });
});

describe('fuzz oracle', () => {
  const op: Operation = {
    method: 'get',
    path: '/v1/me',
    operationId: 'StaffController_me',
    roles: [],
    parameters: [],
    requestPaths: ['name'],
    responses: {
      '200': {
        content: { 'application/json': { schema: { type: 'object', properties: { userId: { type: 'string' } } } } },
      },
      '400': {
        content: {
          'application/problem+json': {
            schema: { allOf: [{ properties: { code: { enum: ['validation-failed'] } } }] },
          },
        },
      },
    },
  };
  const answer = (
    status: number,
    body: unknown,
    type = status < 400 ? 'application/json' : 'application/problem+json',
  ) => ({
    status,
    headers: { 'content-type': type },
    text: JSON.stringify(body),
  });
  const problems = (a: ReturnType<typeof answer>) => answerProblems(op, a, {}, MARKER);

  it('passes a documented success and a documented problem', () => {
    expect(problems(answer(200, { userId: MARKER }))).toEqual([]);
    expect(problems(answer(400, { code: 'validation-failed', errors: [{ field: 'name' }] }))).toEqual([]);
  });

  it('catches a 5xx, an undocumented status or code, and a problem that is not problem+json', () => {
    expect(problems(answer(500, { code: 'internal-error' }))).toEqual(
      expect.arrayContaining(['answered 500', 'status 500 is not documented']),
    );
    expect(problems(answer(400, { code: 'json-too-deep' })).join()).toMatch(/json-too-deep is not documented/);
    expect(problems(answer(400, { code: 'validation-failed' }, 'application/json')).join()).toMatch(
      /not problem\+json/,
    );
  });

  it('catches the marker in an undocumented field (GET /v1/me clientRequestId), in a problem, or in a header', () => {
    expect(problems(answer(200, { userId: 'u', clientRequestId: MARKER }))).toEqual([
      'the marker comes back in "clientRequestId", which the 200 response does not document',
    ]);
    expect(problems(answer(400, { code: 'validation-failed', detail: MARKER })).join()).toMatch(/echoes the marker/);
    expect(
      answerProblems(
        op,
        { status: 200, headers: { 'content-type': 'application/json', 'x-echo': MARKER }, text: '{}' },
        {},
        MARKER,
      ),
    ).toEqual(['header x-echo echoes the marker']);
  });

  it('lets a documented page render stored records that hold the marker, but not an undocumented type', () => {
    const page = { ...op, responses: { ...op.responses, '200': { content: { 'text/html': {} } } } };
    const html = { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, text: `<p>${MARKER}</p>` };
    expect(answerProblems(page, html, {}, MARKER)).toEqual([]);
    expect(answerProblems(op, html, {}, MARKER)).toEqual(['a 200 text/html; charset=utf-8 echoes the marker']);
  });

  it('catches errors[] naming no field of the request, stack frames and SQL', () => {
    expect(problems(answer(400, { code: 'validation-failed', errors: [{ field: 'body' }] })).join()).toMatch(
      /names "body"/,
    );
    expect(
      problems(
        answer(400, { code: 'validation-failed', detail: 'TypeError: x at Foo.bar (/work/app/dist/libs/x.js:1:2)' }),
      ),
    ).toEqual(expect.arrayContaining(['the answer contains a stack frame', 'the answer contains a JavaScript error']));
    expect(problems(answer(400, { code: 'validation-failed', detail: 'INSERT INTO harbour_events' })).join()).toMatch(
      /SQL/,
    );
  });
});
