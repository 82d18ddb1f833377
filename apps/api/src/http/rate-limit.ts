import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearerToken, TokenVerifier } from '@harbour/auth';
import { DomainError, HarbourConfig } from '@harbour/kernel';
import { ApiErrors } from './http-problems.js';

const SUBJECT = 'sub:';
const ADDRESS = 'ip:';

/** 429: the caller's budget for this window is spent (Retry-After says when it refills). */
export const rateLimited = (retryAfterSeconds: number) =>
  DomainError.of(ApiErrors.rateLimited, { details: { retryAfterSeconds } });

/**
 * The request's rate-limit bucket. A request whose bearer token the auth layer verifies is
 * counted against its subject (so staff behind one office's address do not share a budget);
 * every other request — no token, or one that does not verify — against its IP address, with
 * the stricter limit: guessing tokens or scraping without signing in is limited per address,
 * and a made-up token cannot buy a fresh bucket. The token is verified by the same
 * TokenVerifier as the guard's (its cache makes the guard's second look free); nothing here
 * parses or trusts a token by itself.
 */
export async function rateLimitKey(request: FastifyRequest, verifier: TokenVerifier): Promise<string> {
  if (request.headers.authorization) {
    try {
      return SUBJECT + (await verifier.verify(bearerToken(request))).userId;
    } catch {
      // Not a verifiable token: the guard refuses it right after; here it counts as unauthenticated.
    }
  }
  return ADDRESS + normalizeIP(request.ip);
}

/**
 * Rate limiting with @fastify/rate-limit, on every route, before anything else runs (its
 * onRequest hook). In-memory per process: with several replicas each keeps its own counts.
 * Off only where HARBOUR_RATE_LIMIT=false (benchmarks, and tests that need many requests).
 */
export async function registerRateLimit(app: NestFastifyApplication): Promise<void> {
  const config = app.get(HarbourConfig);
  if (!config.HARBOUR_RATE_LIMIT) return;
  const verifier = app.get(TokenVerifier);
  await app.register(rateLimit, {
    global: true,
    timeWindow: config.HARBOUR_RATE_LIMIT_WINDOW_SECONDS * 1000,
    keyGenerator: (request) => rateLimitKey(request, verifier),
    max: (_request, key) =>
      key.startsWith(SUBJECT) ? config.HARBOUR_RATE_LIMIT_PER_SUBJECT : config.HARBOUR_RATE_LIMIT_PER_IP,
    // Thrown from the hook, it reaches the ProblemDetailsFilter like any other DomainError.
    errorResponseBuilder: (_request, context) => rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
  });
}
