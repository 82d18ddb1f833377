import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { DomainError } from '@harbour/kernel';
import { AuthErrors } from './auth-errors.js';
import type { Principal } from './principal.js';

export const IS_PUBLIC = 'harbour:auth:public';
export const REQUIRED_ROLES = 'harbour:auth:roles';
export const CASE_ACCESS = 'harbour:auth:case-access';
export const ANALYST_ROUTE = 'harbour:auth:analyst-route';

/** No token needed (health checks). Everything else requires one: the guard is global. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The principal needs at least one of these roles. */
export const Roles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Survivor-data routes: only staff of an active core agency (never associates, applicants, suspended). */
export const CaseAccess = () => SetMetadata(CASE_ACCESS, true);

/**
 * Routes an analyst may call (the aggregate reports). A caller acting only as analyst is refused
 * everywhere else, including on routes added later that forget to say so: deny by default.
 */
export const AnalystRoute = () => SetMetadata(ANALYST_ROUTE, true);

/** The request as the guard leaves it. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/** The principal the guard set; on a route without one (a @Public route) it refuses rather than return nothing. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw DomainError.of(AuthErrors.tokenMissing);
  return principal;
});
