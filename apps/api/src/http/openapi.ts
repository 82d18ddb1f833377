import { type INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type ResponseObject,
  type SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { ANALYST_ROUTE, AuthErrors, CASE_ACCESS, IS_PUBLIC, REQUIRED_ROLES } from '@harbour/auth';
import { AuditErrors } from '@harbour/audit';
import { EventStoreErrors } from '@harbour/event-store';
import { declaredProblems, type ErrorSpec, KernelErrors } from '@harbour/kernel';
import { describeRequests } from './openapi-requests.js';
import { ApiErrors, HttpProblems, type ListedProblem } from './http-problems.js';
import { statusOf } from './problem-details.filter.js';

/** One route as Nest registered it, with the metadata the guard and the OpenAPI use. */
export interface RouteInfo {
  controller: { name: string };
  handler: object;
  method: string;
  /** `/v1/referrals/{referralId}`, as in OpenAPI. */
  path: string;
  operationId: string;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const listed = (spec: ErrorSpec): ListedProblem => ({ code: spec.code, status: statusOf(spec.kind) });

/** Every route of the app: its controller, handler, method, OpenAPI path and operation id. */
export function routesOf(app: INestApplication): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const seen = new Set<unknown>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '').replace(/^\/|\/$/g, '');
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (
          name === 'constructor' ||
          typeof handler !== 'function' ||
          Reflect.getMetadata(METHOD_METADATA, handler) === undefined
        )
          continue;
        const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '').replace(/^\/|\/$/g, '');
        const joined = [base, sub]
          .filter(Boolean)
          .join('/')
          .replace(/:(\w+)/g, '{$1}');
        routes.push({
          controller,
          handler,
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number],
          path: base === 'health' ? `/${joined}` : `/v1/${joined}`,
          operationId: `${controller.name}_${name}`,
        });
      }
    }
  }
  return routes;
}

/**
 * What a route may answer besides success: what it declares with @Problems, plus what follows
 * from the metadata the guard reads (sign-in, @Roles, @CaseAccess, analysts) and from its shape
 * (input, writes). Derived from the same metadata as the guard, so the two cannot drift.
 */
export function problemsOf(route: RouteInfo, reflector: Reflector): ListedProblem[] {
  const targets = [route.handler as () => void, route.controller as new () => unknown];
  // Malformed requests (e.g. a path id that is not a UUID), the rate limit (every route, before
  // anything else) and our own failures can meet any route.
  const problems: ListedProblem[] = [
    HttpProblems.badRequest,
    listed(ApiErrors.rateLimited),
    HttpProblems.internalError,
  ];
  if (!reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
    problems.push(
      ...[
        AuthErrors.tokenMissing,
        AuthErrors.tokenMalformed,
        AuthErrors.tokenExpired,
        AuthErrors.tokenInvalid,
        AuthErrors.claimsMissing,
        // Console requests: the session cookie instead of a bearer token (libs/console).
        AuthErrors.sessionEnded,
      ].map(listed),
      ...[
        AuthErrors.notAStaffMember,
        AuthErrors.staffDeactivated,
        AuthErrors.agencyMismatch,
        AuthErrors.agencyRemoved,
      ].map(listed),
      ...[AuthErrors.accessCheckUnavailable, AuthErrors.tokenKeysUnavailable].map(listed),
      // Every signed-in route reads Idempotency-Key and If-Match (and most take a path, query or body).
      listed(KernelErrors.validationFailed),
      // The database gone mid-request (json-body.ts / problem-details.filter.ts): fail closed.
      HttpProblems.databaseUnavailable,
    );
    if (!reflector.getAllAndOverride<boolean>(ANALYST_ROUTE, targets))
      problems.push(listed(AuthErrors.analystReportsOnly));
    // A change made with the console's session cookie needs its CSRF token and a same-origin request.
    if (WRITES.has(route.method)) problems.push(listed(AuthErrors.csrfTokenInvalid));
    if (reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets)?.length)
      problems.push(listed(AuthErrors.missingRole));
    if (reflector.getAllAndOverride<boolean>(CASE_ACCESS, targets)) problems.push(listed(AuthErrors.noCaseAccess));
    // A route naming a survivor or a referral records every refusal (or refuses with 503 when it
    // cannot), and answers a caller with no relation to the record as for an id that names nothing.
    const names = { survivor: route.path.includes('{survivorId}'), referral: route.path.includes('{referralId}') };
    if (names.survivor || names.referral) problems.push(listed(AuditErrors.accessNotRecorded));
    if (names.survivor) problems.push(listed(AuthErrors.intakeNotFound));
    if (names.referral) problems.push(listed(AuthErrors.referralNotFound));
  }
  if (WRITES.has(route.method)) {
    problems.push(HttpProblems.payloadTooLarge, HttpProblems.unsupportedMediaType);
    // The structural limits of a JSON body, checked before validation (json-body.ts).
    problems.push(
      ...[
        ApiErrors.jsonTooDeep,
        ApiErrors.jsonTooManyKeys,
        ApiErrors.jsonArrayTooLong,
        ApiErrors.jsonStringTooLong,
        ApiErrors.jsonMalformedString,
      ].map(listed),
    );
    problems.push(
      ...[
        EventStoreErrors.concurrencyConflict,
        EventStoreErrors.idempotencyKeyReused,
        EventStoreErrors.idempotencyRace,
      ].map(listed),
    );
  }
  // A path parameter over the router's limit is refused before routing.
  if (route.path.includes('{')) problems.push(HttpProblems.uriTooLong);
  problems.push(...declaredProblems(route.handler, route.controller).map(listed));
  const unique = new Map(problems.map((p) => [`${p.status} ${p.code}`, p]));
  return [...unique.values()].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
}

/** Who may call a route, from the guard's metadata. */
function rolesOf(
  route: RouteInfo,
  reflector: Reflector,
): { roles: string[]; public: boolean; caseAccess: boolean; analysts: boolean } {
  const targets = [route.handler as () => void, route.controller as new () => unknown];
  return {
    roles: reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets) ?? [],
    public: Boolean(reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)),
    caseAccess: Boolean(reflector.getAllAndOverride<boolean>(CASE_ACCESS, targets)),
    analysts: Boolean(reflector.getAllAndOverride<boolean>(ANALYST_ROUTE, targets)),
  };
}

function rolesSentence(who: ReturnType<typeof rolesOf>): string {
  if (who.public) return 'No sign-in needed.';
  const roles = who.roles.length ? `Roles: ${who.roles.join(' or ')}` : 'Roles: any staff member';
  const agency = who.caseAccess ? ', of an active core agency' : '';
  const analysts = who.analysts ? '' : ' (not analysts)';
  return `${roles}${agency}${analysts}.`;
}

const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'RFC 9457 problem details; `code` is stable, clients switch on it. Safe extension members (e.g. currentVersion) may follow.',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:harbour:problem:validation-failed' },
    title: { type: 'string', example: 'bad request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'The request has invalid fields' },
    instance: { type: 'string', example: '/v1/referrals' },
    code: { type: 'string', example: 'validation-failed' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'problem'],
        properties: {
          field: { type: 'string', example: 'needs.0' },
          problem: { type: 'string', example: 'must be one of …' },
        },
      },
    },
  },
  additionalProperties: true,
};

/** The routes' roles and problem responses, written into the document. */
export function describeRoutes(app: INestApplication, document: OpenAPIObject): void {
  const reflector = app.get(Reflector);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
  };
  for (const route of routesOf(app)) {
    const operation = document.paths[route.path]?.[route.method.toLowerCase() as 'get'];
    if (!operation) continue;
    const who = rolesOf(route, reflector);
    Object.assign(operation, { 'x-roles': who.roles, 'x-case-access': who.caseAccess });
    operation.description = [rolesSentence(who), operation.description].filter(Boolean).join('\n\n');
    const byStatus = new Map<number, string[]>();
    for (const p of problemsOf(route, reflector)) byStatus.set(p.status, [...(byStatus.get(p.status) ?? []), p.code]);
    for (const [status, codes] of byStatus) {
      const response: ResponseObject = {
        description: `Problem; \`code\` is one of: ${codes.join(', ')}`,
        content: {
          'application/problem+json': {
            schema: {
              allOf: [
                { $ref: '#/components/schemas/Problem' },
                { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: codes } } },
              ],
            },
          },
        },
      };
      if (status === 429)
        response.headers = {
          'Retry-After': { description: 'Seconds until the budget refills', schema: { type: 'integer' } },
        };
      operation.responses[String(status)] = response;
    }
  }
}

/** The OpenAPI document served at /docs and /docs-json. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Harbour API')
      .setDescription(
        'Consent-based case coordination for anti-trafficking networks. Errors are application/problem+json with a stable `code`; ' +
          'each operation lists its codes per status, and says who may call it (its description, and `x-roles`: any one of them; empty means any staff member).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { operationIdFactory: (controller, method) => `${controller}_${method}` },
  );
  // Roles and problems first: the per-section intake paths are copies of their route's operation
  // and must carry its x-roles and description too (they lacked them; found by the fuzz suite).
  describeRoutes(app, document);
  describeRequests(app, document);
  return document;
}
