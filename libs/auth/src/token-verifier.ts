import {
  createRemoteJWKSet,
  type CryptoKey,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { type Clock, DomainError } from '@harbour/kernel';
import { unauthenticated, unavailable } from './auth-errors.js';
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
const TOKEN_KEY_ERRORS = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED', 'ERR_JOSE_ALG_NOT_ALLOWED']);

/**
 * Verifies bearer JWTs: signature against the configured keys (remote JWKS or the dev key pair),
 * algorithm allowlist, issuer, audience, expiry with a small tolerance. Never logs the token.
 */
export class TokenVerifier {
  private readonly key: JWTVerifyGetKey | (() => Promise<CryptoKey>);

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
    try {
      decodeProtectedHeader(token); // a cheap shape check, so garbage gets its own code
    } catch {
      throw unauthenticated('token-malformed');
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
    if (error instanceof KeysUnavailable) return unavailable('token-keys-unavailable');
    if (error instanceof errors.JWTExpired) return unauthenticated('token-expired');
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return unauthenticated('token-malformed');
    // A correctly signed token that never expires is refused for what it lacks.
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing') return unauthenticated('claims-missing');
    return unauthenticated('token-invalid');
  }
}

function claimsOf(payload: JWTPayload): TokenClaims {
  const { sub, agency_id: agencyId, roles } = payload as JWTPayload & { agency_id?: unknown; roles?: unknown };
  const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  if (!text(sub) || !text(agencyId)) throw unauthenticated('claims-missing');
  if (roles !== undefined && !(Array.isArray(roles) && roles.every(text))) throw unauthenticated('claims-missing');
  return { userId: sub, agencyId, roles: roles as string[] | undefined };
}
