import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, outageLog, safeErrorSummary } from '@harbour/kernel';
import { AuthErrors } from './auth-errors.js';
import { clientRequestId } from './client-request-id.js';
import { ANALYST_ROUTE, type AuthenticatedRequest, CASE_ACCESS, IS_PUBLIC, REQUIRED_ROLES } from './decorators.js';
import { type Principal, StaffDirectory, type StaffStanding } from './principal.js';
import { actingRole, RefusalLog, refusalLogOf, routeSubject } from './refusals.js';
import { type TokenClaims, TokenVerifier } from './token-verifier.js';
import { type SessionResolver, sessionResolverOf } from './session-port.js';
import { timingSafeEqual } from 'node:crypto';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard: every route needs a valid bearer token unless marked @Public(). The token
 * only says who the caller claims to be; the network's current records (StaffDirectory, asked
 * on EVERY request) say whether they may act now. Any failure refuses: it fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly staff: StaffDirectory,
    private readonly modules: ModuleRef,
  ) {}

  private refusals: RefusalLog | null | undefined;
  private sessions: SessionResolver | null | undefined;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (context.getType() !== 'http') throw DomainError.of(AuthErrors.tokenMissing); // no other transport is wired: refuse

    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    let claims: TokenClaims;
    try {
      claims = await this.verifier.verify(await this.tokenOf(request));
    } catch (error) {
      // RFC 6750: a 401 names the scheme it wants.
      if (error instanceof DomainError && error.kind === 'unauthenticated') {
        void response.header(
          'WWW-Authenticate',
          error.code === AuthErrors.tokenMissing.code ? 'Bearer' : 'Bearer error="invalid_token"',
        );
      }
      throw error;
    }

    const standing = await this.standing(claims.userId, request.id);
    try {
      const principal = principalOf(claims, standing);
      const client = clientRequestId(request.headers);
      if (client !== null) principal.clientRequestId = client;
      request.principal = principal;
      this.authorise(principal, targets);
    } catch (error) {
      // A refusal on a route naming a survivor or a referral is an access event too (fail closed).
      if (error instanceof DomainError && error.kind === 'forbidden')
        await this.recordRefusal(request, claims, standing, error.code);
      throw error;
    }
    return true;
  }

  /**
   * The bearer token, or (without an Authorization header) the access token of the console
   * session the cookie names. Never both: a request with a bearer token ignores cookies. A
   * cookie-authenticated change must carry the session's CSRF token and come from this origin.
   */
  private async tokenOf(request: FastifyRequest): Promise<string> {
    if (request.headers.authorization !== undefined) return bearerToken(request);
    this.sessions ??= sessionResolverOf(this.modules);
    const cookie = this.sessions?.cookieOf(request) ?? null;
    if (!this.sessions || cookie === null) return bearerToken(request); // token-missing
    const session = await this.sessions.resolve(cookie);
    if (!session) throw DomainError.of(AuthErrors.sessionEnded);
    if (!SAFE_METHODS.has(request.method) && !(sameOrigin(request) && csrfMatches(request, session.csrfToken)))
      throw DomainError.of(AuthErrors.csrfTokenInvalid);
    return session.accessToken;
  }

  private authorise(principal: Principal, targets: Parameters<Reflector['getAllAndOverride']>[1]): void {
    // Analysts get aggregates only: acting only as analyst, every route but the reports is refused.
    const analystOnly = principal.roles.length > 0 && principal.roles.every((role) => role === 'analyst');
    if (analystOnly && !this.reflector.getAllAndOverride<boolean>(ANALYST_ROUTE, targets))
      throw DomainError.of(AuthErrors.analystReportsOnly);
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    if (roles?.length && !roles.some((role) => principal.roles.includes(role)))
      throw DomainError.of(AuthErrors.missingRole);
    if (
      this.reflector.getAllAndOverride<boolean>(CASE_ACCESS, targets) &&
      !(principal.agencyStatus === 'active' && principal.agencyTier === 'core')
    ) {
      throw DomainError.of(AuthErrors.noCaseAccess);
    }
  }

  /** Hands a guard refusal on a survivor or referral route to the RefusalLog; if it cannot record, the answer is its 503. */
  private async recordRefusal(
    request: FastifyRequest,
    claims: TokenClaims,
    standing: StaffStanding | null,
    reason: string,
  ): Promise<void> {
    const named = routeSubject(request);
    if (!named) return;
    this.refusals ??= refusalLogOf(this.modules);
    if (!this.refusals) return;
    const actor = {
      userId: claims.userId,
      agencyId: standing?.agencyId ?? claims.agencyId,
      role: actingRole(standing?.roles ?? claims.roles ?? []),
    };
    await this.refusals.refused({
      actor,
      ...named,
      reason,
      requestId: String(request.id),
      clientRequestId: clientRequestId(request.headers),
    });
  }

  /** Ask the network now; if it cannot answer, the request is refused (503), never let through. */
  private async standing(userId: string, requestId: unknown): Promise<StaffStanding | null> {
    let standing: StaffStanding | null;
    try {
      standing = await this.staff.standing(userId);
    } catch (error) {
      // Under an outage every request fails here: one line per kind of failure per interval.
      const summary = safeErrorSummary(error);
      const said = outageLog.admit(`auth:staff-directory:${String(summary.name)}:${String(summary.code)}`);
      if (said)
        this.logger.error({
          msg: 'staff directory failed during the access check',
          requestId,
          error: summary,
          suppressed: said.suppressed,
        });
      throw DomainError.of(AuthErrors.accessCheckUnavailable);
    }
    if (standing && standing.userId !== userId) {
      // A directory answering about someone else is a bug: refuse rather than guess.
      this.logger.error({ msg: 'staff directory answered for another user during the access check', requestId });
      throw DomainError.of(AuthErrors.accessCheckUnavailable);
    }
    return standing;
  }
}

/** The request comes from a page of this very origin (Origin header, else Sec-Fetch-Site). */
export function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      // The host only: behind a TLS-terminating proxy the request itself arrives as http.
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  }
  return request.headers['sec-fetch-site'] === 'same-origin';
}

/** X-CSRF-Token equals the session's token (compared in constant time). */
export function csrfMatches(request: FastifyRequest, expected: string): boolean {
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || expected.length === 0) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The bearer token of an Authorization header (token-missing / token-malformed otherwise). */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw DomainError.of(AuthErrors.tokenMissing);
  const [scheme, ...rest] = header.trim().split(/[ \t]+/);
  if (scheme.toLowerCase() !== 'bearer') throw DomainError.of(AuthErrors.tokenMissing); // Basic, … is not a bearer token
  if (rest.length !== 1) throw DomainError.of(AuthErrors.tokenMalformed);
  return rest[0];
}

/** The token's claims checked against the staff record; effective roles are the intersection. */
export function principalOf(claims: TokenClaims, standing: StaffStanding | null): Principal {
  if (!standing) throw DomainError.of(AuthErrors.notAStaffMember);
  if (!standing.active) throw DomainError.of(AuthErrors.staffDeactivated);
  if (standing.agencyId !== claims.agencyId) throw DomainError.of(AuthErrors.agencyMismatch);
  if (standing.agencyStatus === 'removed') throw DomainError.of(AuthErrors.agencyRemoved);
  // A token can narrow the caller's roles (e.g. a session scoped to one role), never widen them.
  const roles = claims.roles ? standing.roles.filter((role) => claims.roles!.includes(role)) : [...standing.roles];
  return {
    userId: standing.userId,
    agencyId: standing.agencyId,
    roles,
    agencyStatus: standing.agencyStatus,
    agencyTier: standing.agencyTier,
  };
}
