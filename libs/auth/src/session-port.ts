import type { ModuleRef } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

/** A console session the request's cookie names, as the guard needs it. */
export interface CookieSession {
  /** The access token the session holds (decrypted), verified by the TokenVerifier like a bearer token. */
  accessToken: string;
  /** The session's CSRF token: state changes must echo it in X-CSRF-Token. */
  csrfToken: string;
}

/**
 * Port to the console's sessions (libs/console implements it). `cookieOf` says whether the
 * request carries a session cookie at all; `resolve` answers the live session it names, or
 * null when it has ended (signed out, idle, expired). An app without the console has none.
 */
export abstract class SessionResolver {
  abstract cookieOf(request: FastifyRequest): string | null;
  abstract resolve(cookie: string): Promise<CookieSession | null>;
}

export function sessionResolverOf(modules: ModuleRef): SessionResolver | null {
  try {
    return modules.get(SessionResolver, { strict: false });
  } catch {
    return null;
  }
}
