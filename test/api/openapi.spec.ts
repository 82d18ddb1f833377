import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Reflector } from '@nestjs/core';
import openapiTS, { astToString } from 'openapi-typescript';
import request from 'supertest';
import ts from 'typescript';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { bodyExamples } from '@harbour/kernel';
import { REQUIRED_ROLES } from '@harbour/auth';
import { SECTIONS } from '@harbour/consent';
import { servedDocument } from '../../apps/api/src/http/configure-app.js';
import { routesOf } from '../../apps/api/src/http/openapi.js';
import { startTestApp, type TestApp } from '../support/context.js';
import { declaredCodes } from '../support/declared-problems.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Operation = {
  operationId: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; schema?: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
  'x-roles'?: string[];
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path, method, op })),
  );

/** Follows one local $ref. */
const deref = (doc: Doc, schema: Record<string, unknown>) =>
  typeof schema.$ref === 'string' ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

describe('OpenAPI: complete enough to generate a client from /docs-json', () => {
  let t: TestApp;
  let doc: Doc;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await request(t.app.getHttpServer()).get('/docs-json').expect(200)).body as Doc;
    if (process.env.HARBOUR_OPENAPI_OUT) await writeFile(process.env.HARBOUR_OPENAPI_OUT, JSON.stringify(doc, null, 2)); // to read it while working
  });
  afterAll(() => t?.close());

  it('every route declares a success response with a schema (204: none), and problem+json responses listing codes', () => {
    const missing: string[] = [];
    for (const { path, method, op } of operations(doc)) {
      const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
      if (success.length !== 1) missing.push(`${method} ${path}: ${success.length} success responses`);
      for (const [status, response] of success) {
        if (status === '204') continue;
        const schemas = Object.values(response.content ?? {})
          .map((c) => c.schema)
          .filter(Boolean);
        if (schemas.length === 0) missing.push(`${method} ${path}: ${status} without a schema`);
      }
      // Health's 503 is terminus's own body, not a problem: only problem+json responses must list codes.
      const problems = Object.entries(op.responses).filter(
        ([status, r]) => Number(status) >= 400 && r.content?.['application/problem+json'],
      );
      if (problems.length === 0) missing.push(`${method} ${path}: no problem responses`);
      for (const [status] of problems) {
        if (!declaredCodes(doc as never, method, path, Number(status))?.length)
          missing.push(`${method} ${path}: ${status} lists no codes`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('each route states the roles it needs, from the same @Roles metadata the guard reads', () => {
    const reflector = t.app.get(Reflector);
    const routes = routesOf(t.app);
    expect(routes.length).toBeGreaterThan(50);
    for (const route of routes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op).toBeDefined();
      const roles =
        reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, [
          route.handler as () => void,
          route.controller as new () => unknown,
        ]) ?? [];
      expect({ route: route.operationId, roles: op['x-roles'] }).toEqual({ route: route.operationId, roles });
      expect(op.description).toMatch(/^(Roles: |No sign-in needed\.)/);
    }
    expect(doc.paths['/v1/referrals'].post.description).toMatch(
      /^Roles: caseworker or supervisor, of an active core agency \(not analysts\)\./,
    );
    expect(doc.paths['/v1/reports'].get['x-roles']).toEqual(['analyst']);
  });

  it('request bodies name every property the validation accepts, with types and enums', () => {
    const consent = deref(
      doc,
      doc.paths['/v1/intakes/{survivorId}/consents'].post.requestBody!.content['application/json'].schema,
    ) as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(Object.keys(consent.properties).sort()).toEqual([
      'language',
      'method',
      'purposes',
      'recipient',
      'sections',
      'validFrom',
      'validUntil',
    ]);
    expect(consent.required).toEqual(
      expect.arrayContaining(['recipient', 'sections', 'purposes', 'method', 'language']),
    );
    expect(consent.additionalProperties).toBe(false);
    expect(consent.properties.method.enum).toEqual(['verbal', 'written', 'electronic']);
    const recipient = deref(doc, consent.properties.recipient) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(recipient.properties).sort()).toEqual(['agencyId', 'kind', 'sector']);
    // The DTOs the issue found empty or partial.
    for (const [path, method, props] of [
      ['/v1/intakes/{survivorId}/consents/{consentId}/revocation', 'post', ['method']],
      [
        '/v1/intakes/{survivorId}/consents/{consentId}/amendments',
        'post',
        ['language', 'method', 'purposes', 'sections', 'validFrom', 'validUntil'],
      ],
      ['/v1/agencies/{agencyId}/staff', 'post', ['displayName', 'email', 'roles', 'userId']],
    ] as const) {
      const schema = deref(doc, doc.paths[path][method].requestBody!.content['application/json'].schema) as {
        properties: Record<string, Record<string, unknown>>;
      };
      expect(Object.keys(schema.properties).sort()).toEqual([...props].sort());
      for (const p of Object.values(schema.properties)) expect(p.type ?? p.$ref ?? p.oneOf ?? p.enum).toBeDefined();
    }
    // Query DTOs become query parameters.
    const inbox = doc.paths['/v1/referrals/inbox'].get.parameters!.filter((p) => p.in === 'query').map((p) => p.name);
    expect(inbox.sort()).toEqual(['from', 'need', 'page', 'pageSize', 'state', 'to', 'urgency']);
  });

  it('names every schema after one class only: OpenAPI keys schemas by class name, so a second class of that name would replace the first', async () => {
    // (Two `GoalDto`s once made the action-plan routes document the goals section's shape.)
    const files = (await readdir(ROOT, { recursive: true })).filter(
      (f) => /^(apps|libs)\//.test(f) && f.endsWith('.ts') && !f.endsWith('.spec.ts'),
    );
    const seen = new Map<string, string[]>();
    for (const file of files)
      for (const [, name] of (await readFile(join(ROOT, file), 'utf8')).matchAll(/^export (?:abstract )?class (\w+)/gm))
        seen.set(name, [...(seen.get(name) ?? []), file]);
    expect([...seen].filter(([, where]) => where.length > 1)).toEqual([]);
    expect(seen.size).toBeGreaterThan(200);
  });

  it('every request property has a type, and every body example passes its own validation', () => {
    const untyped: string[] = [];
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const schema = doc.components.schemas[name] as { properties?: Record<string, Record<string, unknown>> };
      for (const [prop, rule] of Object.entries(schema?.properties ?? {})) {
        if (!['type', '$ref', 'oneOf', 'allOf', 'enum'].some((k) => k in rule)) untyped.push(`${name}.${prop}`);
      }
      JSON.stringify(schema).replace(/"#\/components\/schemas\/([^"]+)"/g, (_, ref: string) => (visit(ref), ''));
    };
    for (const { op } of operations(doc)) {
      JSON.stringify(op.requestBody ?? {}).replace(
        /"#\/components\/schemas\/([^"]+)"/g,
        (_, ref: string) => (visit(ref), ''),
      );
      for (const p of op.parameters ?? [])
        if (!['type', '$ref', 'oneOf', 'allOf', 'enum'].some((k) => k in (p.schema ?? {})))
          untyped.push(`${op.operationId} ?${p.name}`);
    }
    expect(untyped).toEqual([]);
    expect(seen.size).toBeGreaterThan(40);

    const invalid: string[] = [];
    for (const [name, { type, example }] of bodyExamples()) {
      const errors = validateSync(plainToInstance(type as new () => object, example), {
        whitelist: true,
        forbidNonWhitelisted: true,
      });
      if (errors.length) invalid.push(`${name}: ${errors.map((e) => e.property).join(', ')}`);
      if (seen.has(name)) expect(doc.components.schemas[name].example).toEqual(example);
    }
    expect(invalid).toEqual([]);
    expect(bodyExamples().size).toBeGreaterThanOrEqual(20);
  });

  it('gives each of the intake sections its own schema and example, chosen by the path', () => {
    const generic = doc.paths['/v1/intakes/{survivorId}/sections/{section}'].put;
    const oneOf = generic.requestBody!.content['application/json'].schema.oneOf as Array<{ $ref: string }>;
    expect(oneOf).toHaveLength(13);
    for (const section of SECTIONS) {
      const put = doc.paths[`/v1/intakes/{survivorId}/sections/${section}`].put;
      const body = deref(doc, put.requestBody!.content['application/json'].schema) as {
        properties: { content: Record<string, unknown> };
        example: unknown;
      };
      const content = deref(doc, body.properties.content) as { properties: Record<string, unknown> };
      expect(Object.keys(content.properties).length).toBeGreaterThan(0);
      expect(body.example).toEqual({ content: expect.any(Object) });
      // The same callers as the section route (these paths had no x-roles; found by the fuzz suite).
      expect({ section, roles: put['x-roles'], description: put.description }).toEqual({
        section,
        roles: generic['x-roles'],
        description: generic.description,
      });
      expect(put['x-roles']).toEqual(['caseworker', 'supervisor']);
    }
    const safety = deref(doc, { $ref: '#/components/schemas/SafetySectionDto' }) as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(safety.properties.riskLevel.enum).toEqual(['low', 'medium', 'high', 'critical']);
    expect(safety.required).toEqual(expect.arrayContaining(['riskLevel', 'risks', 'lastReviewed']));
  });

  it('the examples of every section are accepted by the API itself', async () => {
    const n = await buildNetwork(t);
    const agency = await n.apply('Example Shelter', 'shelter');
    await n.admit(agency);
    await n.staff(agency, 'ex-worker', ['caseworker']);
    const auth = await n.auth('ex-worker');
    const intake = await n.http.post('/v1/intakes').set('Authorization', auth).expect(201);
    expect(intake.body).toEqual({
      id: intake.body.survivorId,
      survivorId: expect.any(String),
      version: expect.any(Number),
    });
    for (const section of SECTIONS) {
      const op = doc.paths[`/v1/intakes/{survivorId}/sections/${section}`].put;
      const example = op.requestBody!.content['application/json'] as unknown as { example: object };
      const res = await n.http
        .put(`/v1/intakes/${intake.body.id}/sections/${section}`)
        .set('Authorization', auth)
        .send(example.example);
      expect({ section, status: res.status }).toEqual({ section, status: 200 });
    }
  });

  it('generates TypeScript types with openapi-typescript, and a small client type-checks against them', async () => {
    const types = astToString(await openapiTS(doc as never));
    const dir = await mkdtemp(join(tmpdir(), 'harbour-client-'));
    try {
      await writeFile(join(dir, 'harbour-api.d.ts'), types);
      await writeFile(join(dir, 'client.ts'), CLIENT);
      const program = ts.createProgram([join(dir, 'client.ts')], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        skipLibCheck: false,
        types: [],
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      expect(diagnostics).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A tiny client written against the generated types: it only compiles if the document gives
 * request bodies, success shapes and problem codes. `@ts-expect-error` lines prove the types
 * are tight (a wrong code, a wrong section shape), not `unknown` everywhere.
 */
const CLIENT = `
import type { paths, components } from './harbour-api.js';

type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: infer R } ? (S extends keyof R ? (R[S] extends { content: infer C } ? C[keyof C] : never) : never) : never;
type Body<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { requestBody?: infer B } ? (NonNullable<B> extends { content: { 'application/json': infer J } } ? J : never) : never;

/** Each type used below must be a real shape, not \`never\` (which would make every check pass). */
type NotNever<T> = [T] extends [never] ? false : true;
export const real: Array<true> = [
  true as NotNever<Body<'/v1/referrals', 'post'>>,
  true as NotNever<Json<'/v1/referrals', 'post', 201>>,
  true as NotNever<Json<'/v1/referrals', 'post', 403>>,
  true as NotNever<Body<'/v1/intakes/{survivorId}/sections/safety', 'put'>>,
  true as NotNever<Json<'/v1/agencies/{agencyId}', 'get', 200>>,
  true as NotNever<Json<'/v1/me', 'get', 200>>,
];
export const created: Json<'/v1/referrals', 'post', 201> = { id: 'r', referralId: 'r', state: 'requested', version: 0 };
export const denied: Json<'/v1/referrals', 'post', 403>['code'] = 'no-referral-consent';

export async function refer(fetcher: (path: string, init: { method: string; body: string }) => Promise<{ status: number; json(): Promise<unknown> }>) {
  const body: Body<'/v1/referrals', 'post'> = {
    survivorId: '00000000-0000-4000-8000-000000000001',
    toAgencyId: '00000000-0000-4000-8000-000000000002',
    needs: ['shelter'],
    urgency: 'high',
  };
  const res = await fetcher('/v1/referrals', { method: 'POST', body: JSON.stringify(body) });
  if (res.status === 201) {
    const created = (await res.json()) as Json<'/v1/referrals', 'post', 201>;
    const id: string = created.id;
    const version: number = created.version;
    return { id, version, referralId: created.referralId };
  }
  const problem = (await res.json()) as Json<'/v1/referrals', 'post', 403>;
  switch (problem.code) {
    case 'no-referral-consent':
    case 'referral-excluded':
    case 'missing-role':
      return null;
  }
  // @ts-expect-error a code /v1/referrals does not declare for 403
  const wrong: Json<'/v1/referrals', 'post', 403>['code'] = 'no-such-code';
  return wrong;
}

export const safety: Body<'/v1/intakes/{survivorId}/sections/safety', 'put'> = {
  content: { riskLevel: 'high', risks: [{ kind: 'threats' }], lastReviewed: '2026-01-05' },
};
// @ts-expect-error the safety section has no such risk level
export const badSafety: Body<'/v1/intakes/{survivorId}/sections/safety', 'put'> = { content: { riskLevel: 'HIGH', risks: [], lastReviewed: '2026-01-05' } };

export const consent: Body<'/v1/intakes/{survivorId}/consents', 'post'> = {
  recipient: { kind: 'sector', sector: 'shelter' },
  sections: ['needs', 'preferences'],
  purposes: ['referral'],
  method: 'verbal',
  language: 'en',
};

export function agencyName(agency: Json<'/v1/agencies/{agencyId}', 'get', 200>): string {
  return agency.name;
}
export function me(principal: Json<'/v1/me', 'get', 200>): string[] {
  return principal.roles;
}
export type Problem = components['schemas']['Problem'];
`;

describe('the e2e watcher: a route answering other than its OpenAPI says is caught', () => {
  let t: TestApp;
  let n: TestNetwork;
  beforeAll(async () => {
    t = await startTestApp();
    n = await buildNetwork(t);
  });
  afterAll(() => t?.close());

  it('lists what it answers: 404 agency-not-found is declared on GET /v1/agencies/{agencyId}', async () => {
    const res = await n.http
      .get('/v1/agencies/00000000-0000-4000-8000-00000000abcd')
      .set('Authorization', await n.auth('admin'))
      .expect(404);
    expect(res.body.code).toBe('agency-not-found');
    const doc = (await n.http.get('/docs-json').expect(200)).body;
    expect(declaredCodes(doc, 'GET', '/v1/agencies/{agencyId}', 404)).toContain('agency-not-found');
  });

  it('the watcher reports a code missing from the document (and fails the test file on close)', async () => {
    const other = await startTestApp();
    // The route "forgets" its 401 codes in the document the watcher checks against.
    const served = servedDocument(other.app) as unknown as Doc;
    const op = served.paths['/v1/me'].get;
    op.responses = Object.fromEntries(Object.entries(op.responses).filter(([status]) => status !== '401'));
    await request(other.app.getHttpServer()).get('/v1/me').expect(401);
    await expect(other.close()).rejects.toThrow('GET /v1/me 401 token-missing');
  });

  it('the watcher also holds success answers to their declared status and required properties', async () => {
    const other = await startTestApp();
    const o = await buildNetwork(other);
    const served = servedDocument(other.app) as unknown as Doc;
    // /v1/me "promises" a property it never sends; GET /v1/agencies "promises" 201.
    (served.components.schemas.PrincipalView as { required: string[] }).required.push('nickname');
    const list = served.paths['/v1/agencies'].get;
    list.responses = { ...list.responses, '201': list.responses['200'] };
    delete list.responses['200'];
    await o.http
      .get('/v1/me')
      .set('Authorization', await o.auth('admin'))
      .expect(200);
    await o.http
      .get('/v1/agencies')
      .set('Authorization', await o.auth('admin'))
      .expect(200);
    const closing = other.close();
    await expect(closing).rejects.toThrow('GET /v1/me 200 lacks required nickname');
    await expect(closing).rejects.toThrow('GET /v1/agencies 200 is not its declared success status');
  });
});
