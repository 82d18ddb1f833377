import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, from, type Observable, switchMap } from 'rxjs';
import { type Actor, DomainError, NotFound } from '@harbour/kernel';
import { AuthErrors } from './auth-errors.js';
import { clientRequestId } from './client-request-id.js';

/** What a route names in its path: a survivor (`:survivorId`) or a referral (`:referralId`). */
export type RouteSubject = { kind: 'survivor'; survivorId: string } | { kind: 'referral'; referralId: string };

/** A refusal on a route that names a survivor or a referral in its path. */
export interface RouteRefusal {
  actor: Actor;
  subject: RouteSubject;
  /** The refusal's code (e.g. `staff-deactivated`, `not-on-care-team`, `referral-not-found`). */
  reason: string;
  requestId: string;
  /** The caller's `X-Request-Id` (a plain token), for their correlation only. */
  clientRequestId?: string | null;
  /** The route template, e.g. `GET /v1/intakes/:survivorId`. */
  route: string;
  /** The purpose the caller stated, when the route takes one. */
  purpose?: string;
}

/**
 * Port to the access gate (libs/intake, bound in libs/referrals, which can resolve a referral to
 * its survivor). Records a refusal as an access event of the survivor it concerns (outcome
 * denied, with the reason), and says whether the caller has any relation to that record (their
 * agency works the case, or is a party to the referral). Rejects when it cannot record: the
 * request is then refused with 503 (fail closed). An id that names nothing records nothing.
 */
export abstract class RefusalLog {
  abstract refused(refusal: RouteRefusal): Promise<{ related: boolean }>;
}

/** Errors whose access event was already recorded (by the gate's own decision), so nobody records them twice. */
const recorded = new WeakSet<object>();
export const markRecorded = <E extends object>(error: E): E => (recorded.add(error), error);
export const isRecorded = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && recorded.has(error);

/** The one answer to a caller with no relation to the record, whether or not it exists (no existence oracle). */
export const hiddenSubject = (subject: RouteSubject): DomainError =>
  subject.kind === 'survivor'
    ? new NotFound('Intake', AuthErrors.intakeNotFound)
    : new NotFound('Referral', AuthErrors.referralNotFound);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The survivor or referral this request's path names (a well-formed id only), and its route template. */
export function routeSubject(
  request: FastifyRequest,
): { subject: RouteSubject; route: string; purpose?: string } | null {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const template = request.routeOptions?.url;
  if (!template) return null;
  const route = `${request.method} ${template}`;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const purpose =
    typeof query.purpose === 'string' && /^[a-z][a-z-]{0,40}$/.test(query.purpose) ? query.purpose : undefined;
  if (typeof params.survivorId === 'string' && UUID.test(params.survivorId))
    return { subject: { kind: 'survivor', survivorId: params.survivorId }, route, purpose };
  if (typeof params.referralId === 'string' && UUID.test(params.referralId))
    return { subject: { kind: 'referral', referralId: params.referralId }, route, purpose };
  return null;
}

/** The RefusalLog of this application, if it has one (an app of the auth context alone has none). */
export function refusalLogOf(modules: ModuleRef): RefusalLog | null {
  try {
    return modules.get(RefusalLog, { strict: false });
  } catch {
    return null;
  }
}

/**
 * Refusals made by a handler (a decider's `not-on-care-team`, a `referral-not-found`, a refused
 * disclosure report…) on a route naming a survivor or a referral: recorded through the RefusalLog
 * before the answer leaves, and answered as not found when the caller has no relation to the
 * record, so a real id and a random one look the same. Guard refusals are recorded by AuthGuard.
 * Applied with `@RecordsRefusals()` (not globally: the audited read, the hot path, records its own
 * refusals through the gate and should not pay for an interceptor); test/audit/refusal-coverage
 * fails for any route naming a survivor or a referral whose refusals leave no access event.
 */
@Injectable()
export class RefusalInterceptor implements NestInterceptor {
  private log: RefusalLog | null | undefined;

  constructor(private readonly modules: ModuleRef) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { principal?: { userId: string; agencyId: string; roles: string[] } }>();
    const named = routeSubject(request);
    if (!named) return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (
          !(error instanceof DomainError) ||
          (error.kind !== 'forbidden' && error.kind !== 'not-found') ||
          isRecorded(error) ||
          !request.principal
        )
          throw error;
        this.log ??= refusalLogOf(this.modules);
        if (!this.log) throw error;
        const p = request.principal;
        const refusal: RouteRefusal = {
          actor: { userId: p.userId, agencyId: p.agencyId, role: actingRole(p.roles) },
          ...named,
          reason: error.code,
          requestId: String(request.id),
          clientRequestId: clientRequestId(request.headers),
        };
        return from(this.log.refused(refusal)).pipe(
          switchMap(({ related }) => {
            throw related ? error : hiddenSubject(named.subject);
          }),
        );
      }),
    );
  }
}

/** Routes naming a survivor or a referral whose handlers may refuse: their refusals become access events. */
export const RecordsRefusals = () => UseInterceptors(RefusalInterceptor);

/** The role recorded for a refused caller: a worker role first, as the decision point would see them. */
export const actingRole = (roles: readonly string[]): string | null =>
  roles.includes('supervisor') ? 'supervisor' : roles.includes('caseworker') ? 'caseworker' : (roles[0] ?? null);
