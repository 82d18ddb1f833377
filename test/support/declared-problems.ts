import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { servedDocument } from '../../apps/api/src/http/configure-app.js';

/** The codes a route's OpenAPI lists for one status (the enum of its problem+json response). */
export function declaredCodes(
  document: OpenAPIObject,
  method: string,
  path: string,
  status: number,
): string[] | undefined {
  const operation = (document.paths[path] as Record<string, { responses?: Record<string, unknown> }> | undefined)?.[
    method.toLowerCase()
  ];
  if (!operation) return undefined;
  const response = operation.responses?.[String(status)] as
    | { content?: Record<string, { schema?: { allOf?: Array<{ properties?: { code?: { enum?: string[] } } }> } }> }
    | undefined;
  return (
    response?.content?.['application/problem+json']?.schema?.allOf?.flatMap((s) => s.properties?.code?.enum ?? []) ?? []
  );
}

type Schema = { $ref?: string; type?: string; required?: string[]; items?: Schema };
const resolve = (document: OpenAPIObject, schema: Schema | undefined): Schema | undefined =>
  schema?.$ref
    ? (document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] as Schema | undefined)
    : schema;

/** What is wrong with a success answer, measured against the route's OpenAPI (null: nothing). */
function successProblem(
  document: OpenAPIObject,
  operation: { responses?: Record<string, unknown> },
  status: number,
  type: string,
  payload: string,
): string | null {
  const response = operation.responses?.[String(status)] as
    { content?: Record<string, { schema?: Schema }> } | undefined;
  if (!response) return `${status} is not its declared success status`;
  if (!type.startsWith('application/json') || payload === '') return null;
  const declared = resolve(document, response.content?.['application/json']?.schema);
  const body = JSON.parse(payload) as unknown;
  const one = declared?.type === 'array' ? resolve(document, declared.items) : declared;
  const sample = Array.isArray(body) ? body[0] : body;
  if (!one?.required || sample === undefined || typeof sample !== 'object' || sample === null) return null;
  const missing = one.required.filter((key) => !(key in sample));
  return missing.length ? `${status} lacks required ${missing.join(', ')}` : null;
}

/**
 * Watches every answer of a test app against the route's OpenAPI: a problem code not listed for
 * its status, a success status other than the declared one, or a JSON success body missing a
 * property its schema requires is a violation. `startTestApp` fails the test file on close when
 * there are any, so every e2e test also proves the routes it drives are documented truly.
 */
export function watchDeclaredProblems(nest: INestApplication, skipOperationPrefixes: string[]): string[] {
  const violations: string[] = [];
  const fastify = (nest as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const document = servedDocument(nest);
    const url = request.routeOptions?.url;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!document || !url || typeof payload !== 'string') return done();
    const path = url.replace(/:(\w+)/g, '{$1}');
    const operation = (
      document.paths[path] as Record<string, { operationId?: string; responses?: Record<string, unknown> }> | undefined
    )?.[request.method.toLowerCase()];
    if (!operation || skipOperationPrefixes.some((p) => operation.operationId?.startsWith(p))) return done();
    if (reply.statusCode < 300) {
      const problem = successProblem(document, operation, reply.statusCode, type, payload);
      if (problem) violations.push(`${request.method} ${path} ${problem}`);
    } else if (reply.statusCode >= 400 && type.startsWith('application/problem+json')) {
      const code = (JSON.parse(payload) as { code?: string }).code ?? '(none)';
      if (!declaredCodes(document, request.method, path, reply.statusCode)?.includes(code))
        violations.push(`${request.method} ${path} ${reply.statusCode} ${code}`);
    }
    done();
  });
  return violations;
}
