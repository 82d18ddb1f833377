import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { servedDocument } from '../../apps/api/src/http/configure-app.js';

/** The codes a route's OpenAPI lists for one status (the enum of its problem+json response). */
export function declaredCodes(document: OpenAPIObject, method: string, path: string, status: number): string[] | undefined {
  const operation = (document.paths[path] as Record<string, { responses?: Record<string, unknown> }> | undefined)?.[method.toLowerCase()];
  if (!operation) return undefined;
  const response = operation.responses?.[String(status)] as { content?: Record<string, { schema?: { allOf?: Array<{ properties?: { code?: { enum?: string[] } } }> } }> } | undefined;
  return response?.content?.['application/problem+json']?.schema?.allOf?.flatMap((s) => s.properties?.code?.enum ?? []) ?? [];
}

/**
 * Watches every problem+json answer of a test app: a code the route's OpenAPI does not list for
 * that status is a violation. `startTestApp` fails the test file on close when there are any,
 * so every e2e test also proves the routes it drives declare their problems.
 */
export function watchDeclaredProblems(nest: INestApplication, skipOperationPrefixes: string[]): string[] {
  const violations: string[] = [];
  const fastify = (nest as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const document = servedDocument(nest);
    const url = request.routeOptions?.url;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!document || !url || reply.statusCode < 400 || !type.startsWith('application/problem+json') || typeof payload !== 'string') return done();
    const path = url.replace(/:(\w+)/g, '{$1}');
    const operation = (document.paths[path] as Record<string, { operationId?: string }> | undefined)?.[request.method.toLowerCase()];
    if (!operation || skipOperationPrefixes.some((p) => operation.operationId?.startsWith(p))) return done();
    const code = (JSON.parse(payload) as { code?: string }).code ?? '(none)';
    if (!declaredCodes(document, request.method, path, reply.statusCode)?.includes(code)) violations.push(`${request.method} ${path} ${reply.statusCode} ${code}`);
    done();
  });
  return violations;
}
