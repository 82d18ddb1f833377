import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { decodeJwt } from 'jose';
import { DevKeys, DEV_TOKEN_MAX_TTL_SECONDS, principalOf, StaffDirectory, TokenVerifier } from '@harbour/auth';
import { CLOCK, type Clock, DomainError, HarbourConfig } from '@harbour/kernel';
import { MasterKeys } from '@harbour/privacy';
import { ConsoleSessions } from './console-sessions.js';
import { ConsoleQueries, type DevSignInUser } from './console.queries.js';
import { ConsoleErrors } from './errors.js';
import { OidcSignIn, type ProviderTokens } from './oidc-sign-in.js';

/** GET /console/session: who is signed in, and what the page needs to act for them. */
export interface SessionView {
  userId: string;
  displayName: string;
  agencyId: string;
  /** Effective roles now (the staff record's, narrowed by the token), as the API's guard sees them. */
  roles: string[];
  /** Echo in X-CSRF-Token on every state change. */
  csrfToken: string;
  idleTimeoutSeconds: number;
  expiresAt: string;
}

/** How the sign-in page may sign someone in. */
export interface SignInOptions {
  oidc: boolean;
  dev: boolean;
}

/**
 * Signing in to the console: by the identity provider (OIDC code + PKCE) or, in local
 * development, as any active staff member with a development token. Either way the session
 * holds an access token the API's TokenVerifier accepts, so the session's principal is exactly
 * the bearer token's: same guards, same audited reads.
 */
@Injectable()
export class ConsoleAuth implements OnModuleInit {
  readonly oidc: OidcSignIn | null;
  private verifier!: TokenVerifier;
  private devKeys: DevKeys | null = null;

  constructor(
    readonly sessions: ConsoleSessions,
    private readonly queries: ConsoleQueries,
    private readonly staff: StaffDirectory,
    private readonly config: HarbourConfig,
    keys: MasterKeys,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly modules: ModuleRef,
  ) {
    this.oidc = config.HARBOUR_CONSOLE_CLIENT_ID ? new OidcSignIn(config, keys, clock) : null;
    if (this.oidc) {
      const oidc = this.oidc;
      this.sessions.refresher = async (refreshToken) => {
        const tokens = await oidc.refresh(refreshToken);
        return tokens ? { ...tokens, expiresAt: this.expiryOf(tokens) } : null;
      };
    }
  }

  onModuleInit(): void {
    // The auth module's providers, registered at the app's root (AuthModule.forRoot).
    this.verifier = this.modules.get(TokenVerifier, { strict: false });
    try {
      this.devKeys = this.config.HARBOUR_DEV_KEYS ? this.modules.get(DevKeys, { strict: false }) : null;
    } catch {
      this.devKeys = null;
    }
  }

  options(): SignInOptions {
    return { oidc: this.oidc !== null, dev: this.devKeys !== null };
  }

  async devUsers(): Promise<DevSignInUser[]> {
    if (!this.devKeys) throw DomainError.of(ConsoleErrors.devSignInOff);
    return this.queries.activeStaff();
  }

  /** Development sign-in: a dev token for this staff member (as `harbour token` mints), then a session. */
  async devSignIn(userId: string): Promise<{ id: string }> {
    if (!this.devKeys) throw DomainError.of(ConsoleErrors.devSignInOff);
    const standing = await this.staff.standing(userId);
    if (!standing?.active || standing.agencyStatus === 'removed') throw DomainError.of(ConsoleErrors.notAStaffMember);
    const accessToken = await this.devKeys.mintDevToken({
      userId,
      agencyId: standing.agencyId,
      roles: standing.roles,
      ttlSeconds: DEV_TOKEN_MAX_TTL_SECONDS,
    });
    return this.open({ accessToken });
  }

  /** The OIDC callback: the provider's tokens become a session if the API accepts its access token. */
  async oidcSignIn(callbackUrl: URL, pending: string | null): Promise<{ id: string }> {
    if (!this.oidc) throw DomainError.of(ConsoleErrors.oidcSignInOff);
    const tokens = await this.oidc.finish(callbackUrl, pending);
    return this.open(tokens);
  }

  /** Creates the session once the access token passes the API's own checks (same as a bearer token). */
  private async open(tokens: ProviderTokens): Promise<{ id: string }> {
    let claims;
    try {
      claims = await this.verifier.verify(tokens.accessToken);
    } catch {
      throw DomainError.of(ConsoleErrors.signInFailed);
    }
    const standing = await this.staff.standing(claims.userId);
    principalOf(claims, standing); // not staff, deactivated, other agency, removed: refused (403)
    const { id } = await this.sessions.create({
      userId: claims.userId,
      agencyId: claims.agencyId,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: this.expiryOf(tokens),
    });
    return { id };
  }

  /** The access token's own expiry (its exp claim, read by jose), else the provider's expires_in. */
  private expiryOf(tokens: ProviderTokens): Date {
    const exp = decodeJwt(tokens.accessToken).exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : (tokens.expiresAt ?? this.clock.now());
  }

  /** The signed-in user, or null when the cookie names no live session. */
  async view(cookie: string | null): Promise<SessionView | null> {
    if (!cookie) return null;
    const session = await this.sessions.resolve(cookie);
    if (!session) return null;
    let claims;
    try {
      claims = await this.verifier.verify(session.accessToken);
    } catch {
      await this.sessions.end(session.idHash);
      return null;
    }
    const principal = principalOf(claims, await this.staff.standing(claims.userId));
    return {
      userId: principal.userId,
      displayName: (await this.queries.displayName(principal.userId)) ?? principal.userId,
      agencyId: principal.agencyId,
      roles: principal.roles,
      csrfToken: session.csrfToken,
      idleTimeoutSeconds: Math.round(this.sessions.idleMs / 1000),
      expiresAt: session.expiresAt.toISOString(),
    };
  }
}
