import {
  createRemoteJWKSet,
  type CryptoKey,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { createHash } from 'node:crypto';
import { type Clock, DomainError } from '@harbour/kernel';
import { AuthErrors } from './auth-errors.js';
import type { AuthSource } from './auth-source.js';
import type { DevKeys } from './dev-keys.js';

/** Asymmetric algorithms only: `none` and HS* (a shared secret anyone holding it could mint with) never verify. */
export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'];
export const CLOCK_TOLERANCE_SECONDS = 30;

/** What a verified token says about its bearer (to be checked against the network's records). */
export interface TokenClaims {
  userId: string;
  agencyId: string;
  /** undefined: the token has no roles claim (the staff record's roles apply). */
  roles?: string[];
}

/** How long jose trusts a fetched JWKS, and how soon an unknown `kid` may trigger a refetch. */
export interface JwksCacheOptions {
  /** Default 10 minutes: a key the provider stops publishing keeps verifying at most this long. */
  cacheMaxAgeMs?: number;
  /** Default 30 s: minimum time between refetches triggered by an unknown kid. */
  cooldownMs?: number;
  /** Default 5 s. */
  timeoutMs?: number;
}

/** A key problem that is the provider's, not the token's (unreachable, bad JWKS document). */
class KeysUnavailable extends Error {}

/** Token errors that are the token's fault even though they surface while looking up a key. */
const TOKEN_KEY_ERRORS = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
]);

/**
 * Verifies bearer JWTs: signature against the configured keys (remote JWKS or the dev key pair),
 * algorithm allowlist, issuer, audience, expiry with a small tolerance. Never logs the token.
 */
export class TokenVerifier {
  private readonly key: JWTVerifyGetKey | (() => Promise<CryptoKey>);
  private readonly remote: ReturnType<typeof createRemoteJWKSet> | null = null;
  /**
   * Tokens already verified, by SHA-256 of the token, until they expire or the key set changes:
   * a client sends the same token on every request, and signature checks are the costliest
   * part of sign-in. The bearer's standing is still re-checked on every request (AuthGuard).
   */
  private readonly verified = new Map<string, { claims: TokenClaims; expiresAt: number; keys: number }>();
  private keys = { epoch: 0, fingerprint: '', checkedAt: 0 };
  private static readonly MAX_CACHED = 20_000;

  constructor(
    private readonly source: AuthSource,
    private readonly clock: Clock,
    devKeys: DevKeys | null,
    jwks: JwksCacheOptions = {},
  ) {
    if (source.kind === 'jwks') {
      // createRemoteJWKSet refetches when a token names an unknown kid (after the cooldown), so
      // a provider that publishes a new key before signing with it rotates without a restart.
      const remote = createRemoteJWKSet(source.jwksUrl, {
        cacheMaxAge: jwks.cacheMaxAgeMs ?? 10 * 60_000,
        cooldownDuration: jwks.cooldownMs ?? 30_000,
        timeoutDuration: jwks.timeoutMs ?? 5_000,
      });
      this.remote = remote;
      this.key = async (header, token) => {
        try {
          return await remote(header, token);
        } catch (error) {
          if (error instanceof errors.JOSEError && TOKEN_KEY_ERRORS.has(error.code)) throw error;
          throw new KeysUnavailable('JWKS fetch failed', { cause: error });
        }
      };
    } else {
      if (!devKeys) throw new Error('TokenVerifier: dev-keys source without DevKeys');
      this.key = () => devKeys.publicKey();
    }
  }

  async verify(token: string): Promise<TokenClaims> {
    const digest = createHash('sha256').update(token).digest('base64');
    const keys = this.keyEpoch();
    const hit = this.verified.get(digest);
    if (hit && keys !== null && hit.keys === keys && this.clock.now().getTime() < hit.expiresAt) return hit.claims;
    const claims = await this.verifyFully(token);
    if (keys !== null) {
      if (this.verified.size >= TokenVerifier.MAX_CACHED) this.verified.clear();
      const exp = (decodeJwt(token).exp as number) * 1000;
      this.verified.set(digest, { claims, expiresAt: exp + CLOCK_TOLERANCE_SECONDS * 1000, keys });
    }
    return claims;
  }

  /**
   * Which key set verified a token: cached tokens count only under the same one. With a JWKS,
   * a stale set (older than its cache age) bypasses the cache so jose refetches it, and a key
   * the provider stopped publishing stops verifying cached tokens within a second of the refetch.
   */
  private keyEpoch(): number | null {
    if (!this.remote) return 0;
    if (!this.remote.fresh) return null;
    const now = Date.now();
    if (now - this.keys.checkedAt >= 1_000) {
      const fingerprint = JSON.stringify(this.remote.jwks() ?? null);
      if (fingerprint !== this.keys.fingerprint) this.keys.epoch++;
      this.keys = { epoch: this.keys.epoch, fingerprint, checkedAt: now };
    }
    return this.keys.epoch;
  }

  private async verifyFully(token: string): Promise<TokenClaims> {
    try {
      decodeProtectedHeader(token); // a cheap shape check, so garbage gets its own code
    } catch {
      throw DomainError.of(AuthErrors.tokenMalformed);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as JWTVerifyGetKey, {
        algorithms: ALLOWED_ALGORITHMS,
        issuer: this.source.issuer,
        audience: this.source.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: this.clock.now(),
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw this.refusal(error);
    }
    return claimsOf(payload);
  }

  /** Map whatever jose threw to one of our codes; anything unrecognised is a plain refusal. */
  private refusal(error: unknown): DomainError {
    if (error instanceof KeysUnavailable) return DomainError.of(AuthErrors.tokenKeysUnavailable);
    if (error instanceof errors.JWTExpired) return DomainError.of(AuthErrors.tokenExpired);
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
      return DomainError.of(AuthErrors.tokenMalformed);
    // A correctly signed token that never expires is refused for what it lacks.
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing')
      return DomainError.of(AuthErrors.claimsMissing);
    return DomainError.of(AuthErrors.tokenInvalid);
  }
}

function claimsOf(payload: JWTPayload): TokenClaims {
  const { sub, agency_id: agencyId, roles } = payload as JWTPayload & { agency_id?: unknown; roles?: unknown };
  const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  if (!text(sub) || !text(agencyId)) throw DomainError.of(AuthErrors.claimsMissing);
  if (roles !== undefined && !(Array.isArray(roles) && roles.every(text)))
    throw DomainError.of(AuthErrors.claimsMissing);
  return { userId: sub, agencyId, roles: roles };
}
