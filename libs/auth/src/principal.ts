import type { Actor } from '@harbour/kernel';

/**
 * Who is calling, as re-checked on every request: the token says who they claim to be; the
 * network's own records say whether that staff member and their agency may act now.
 */
export interface Principal {
  userId: string;
  agencyId: string;
  /** Effective roles: the staff record's roles, narrowed by the token's roles claim if present. */
  roles: string[];
  agencyStatus: 'applicant' | 'active' | 'suspended' | 'removed';
  agencyTier: 'core' | 'associate';
  /**
   * The caller's `X-Request-Id` on the request this principal was built for (a plain token),
   * carried into access events as `clientRequestId` for the caller's correlation only.
   */
  clientRequestId?: string;
}

/** What the network knows of a staff member right now (null: no such staff member). */
export interface StaffStanding {
  userId: string;
  agencyId: string;
  roles: string[];
  active: boolean;
  agencyStatus: Principal['agencyStatus'];
  agencyTier: Principal['agencyTier'];
}

/**
 * Port to the network context, implemented there. Must read current state (not an eventually
 * consistent read model), so a deactivation or suspension bites on the very next request.
 */
export abstract class StaffDirectory {
  abstract standing(userId: string): Promise<StaffStanding | null>;
}

/** The actor recorded in events for a principal acting in one of their roles. */
export const actorOf = (principal: Principal, role?: string): Actor => ({
  userId: principal.userId,
  agencyId: principal.agencyId,
  role: role ?? principal.roles[0] ?? null,
});
