import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString, Length, Matches, validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthErrors, csrfMatches, sameOrigin } from '@harbour/auth';
import { DomainError, KernelErrors, projectRoot } from '@harbour/kernel';
import { ConsoleAuth } from './console-auth.js';
import { ConsoleErrors } from './errors.js';
import { PENDING_COOKIE } from './oidc-sign-in.js';
import { cookieValue } from './console-sessions.js';

/**
 * The Content-Security-Policy of the console's pages and of every API answer they read: only
 * this origin's scripts, styles and images; no inline script or style, no plugins, no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** POST /console/auth/dev-sign-in */
export class DevSignInDto {
  @IsString()
  @Length(1, 200)
  @Matches(/^\S+$/, { message: '$property must not contain spaces' })
  userId!: string;
}

/** Answers an error as every route does (problem+json, from the API's filter). */
export type ProblemWriter = (error: unknown, request: FastifyRequest, reply: FastifyReply) => void;

/** Where `npm run build` puts the console: index.html and console.css copied, the JS compiled by tsc. */
export const consolePublicDir = (): string => join(projectRoot(), 'dist', 'apps', 'console', 'public');

/**
 * The console in the API process: its static files at /console/, the sign-in and session
 * routes under /console/auth and /console/session (plain Fastify routes, outside the /v1 API
 * and its OpenAPI document: they are the browser's, not a client's), and the security headers
 * on everything but the API's own /docs page.
 */
export async function registerConsole(app: NestFastifyApplication, problem: ProblemWriter): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/docs')) {
      void reply.header('Content-Security-Policy', CONSOLE_CSP);
      void reply.header('X-Content-Type-Options', 'nosniff');
      void reply.header('Referrer-Policy', 'no-referrer');
    }
    done();
  });
  const root = consolePublicDir();
  if (existsSync(join(root, 'index.html'))) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/console/',
      redirect: true,
      decorateReply: false,
      cacheControl: false, // the API's Cache-Control: no-store stays
      etag: false,
      lastModified: false,
      serveDotFiles: false,
      index: ['index.html'],
    });
  } else {
    new Logger('Console').warn({ msg: 'console not built: run `npm run build`', root });
  }

  const auth = app.get(ConsoleAuth);
  const sessions = auth.sessions;
  const errorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => problem(error, request, reply);
  const route = { errorHandler };

  fastify.get('/console/auth/options', route, async () => auth.options());

  fastify.get('/console/auth/dev-users', route, async () => auth.devUsers());

  fastify.post('/console/auth/dev-sign-in', route, async (request, reply) => {
    // No session yet, so no CSRF token: a same-origin request only (no sign-in forced from another site).
    if (!sameOrigin(request)) throw DomainError.of(AuthErrors.csrfTokenInvalid);
    const body = plainToInstance(DevSignInDto, request.body ?? {});
    const errors = validateSync(body, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0 || typeof request.body !== 'object' || request.body === null)
      throw DomainError.of(KernelErrors.validationFailed, {
        fields: (errors.length ? errors : [{ property: 'userId' }]).map((e) => ({
          field: e.property,
          problem: 'must be a staff member’s user id',
        })),
      });
    const { id } = await auth.devSignIn(body.userId);
    void reply.header('Set-Cookie', sessions.setCookie(id));
    return auth.view(id);
  });

  fastify.get('/console/auth/sign-in', route, async (_request, reply) => {
    if (!auth.oidc) throw DomainError.of(ConsoleErrors.oidcSignInOff);
    const { location, pending } = await auth.oidc.start();
    // Lax, not Strict: the provider's redirect back is a cross-site navigation.
    const flags = ['Path=/console/auth/callback', 'HttpOnly', 'SameSite=Lax', 'Max-Age=600'];
    if (sessions.secure) flags.push('Secure');
    void reply.header('Set-Cookie', [`${PENDING_COOKIE}=${pending}`, ...flags].join('; '));
    return reply.redirect(location, 302);
  });

  fastify.get('/console/auth/callback', route, async (request, reply) => {
    if (!auth.oidc) throw DomainError.of(ConsoleErrors.oidcSignInOff);
    const clearPending = `${PENDING_COOKIE}=; Max-Age=0; Path=/console/auth/callback; HttpOnly; SameSite=Lax${sessions.secure ? '; Secure' : ''}`;
    try {
      const { id } = await auth.oidcSignIn(
        new URL(request.url, 'http://callback.invalid'),
        cookieValue(request.headers.cookie, PENDING_COOKIE),
      );
      void reply.header('Set-Cookie', [clearPending, sessions.setCookie(id)]);
      return reply.redirect('/console/', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'unavailable') throw error;
      // A refused sign-in (wrong state, code reused, not staff): back to the sign-in page, no session.
      void reply.header('Set-Cookie', clearPending);
      return reply.redirect(`/console/?sign-in=${error.kind === 'forbidden' ? 'not-staff' : 'failed'}`, 303);
    }
  });

  fastify.get('/console/session', route, async (request) => {
    const view = await auth.view(sessions.cookieOf(request));
    if (!view) throw DomainError.of(AuthErrors.sessionEnded);
    return view;
  });

  fastify.post('/console/auth/sign-out', route, async (request, reply) => {
    const cookie = sessions.cookieOf(request);
    if (cookie) {
      const session = await sessions.resolve(cookie);
      if (session && !(sameOrigin(request) && csrfMatches(request, session.csrfToken)))
        throw DomainError.of(AuthErrors.csrfTokenInvalid);
      await sessions.endCookie(cookie);
    }
    void reply.header('Set-Cookie', sessions.setCookie(null));
    return reply.code(204).send();
  });
}
