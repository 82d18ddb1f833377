import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { fingerprintOf } from '@harbour/event-store';
import { ValidationFailed } from '@harbour/kernel';
import { actorOf, type Principal } from './principal.js';

/** What every command needs from the HTTP request: who, which request, and an optional Idempotency-Key. */
export interface RequestMeta {
  principal: Principal;
  requestId: string | null;
  idempotencyKey: string | null;
  /** Stream version from If-Match (`"3"` or `3`), if given. */
  ifMatch: number | null;
}

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** A request header's value (the first, if sent twice). */
const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
  if (!req.principal) throw new Error('Meta used on a route without a principal (is it @Public?)');
  const key = header(req, 'idempotency-key');
  if (key !== undefined && !KEY.test(key)) {
    throw new ValidationFailed([{ field: 'Idempotency-Key', problem: 'must be 8-128 letters, digits or ._:-' }]);
  }
  const match = header(req, 'if-match');
  let ifMatch: number | null = null;
  if (match !== undefined) {
    const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(match.trim());
    if (!m) throw new ValidationFailed([{ field: 'If-Match', problem: 'must be the stream version, e.g. "3"' }]);
    ifMatch = Number(m[1]);
  }
  return { principal: req.principal, requestId: req.id ? String(req.id) : null, idempotencyKey: key ?? null, ifMatch };
});

/**
 * The repository options every HTTP command shares: who acts (in which role), the request id,
 * If-Match as the expected version, and the Idempotency-Key with a fingerprint of the request.
 */
export const executionOptions = (meta: RequestMeta, role: string | undefined, request: unknown) => ({
  context: { actor: actorOf(meta.principal, role), requestId: meta.requestId },
  expectedVersion: meta.ifMatch,
  idempotency: meta.idempotencyKey ? { key: meta.idempotencyKey, fingerprint: fingerprintOf(request) } : undefined,
});
