import { ConfigError, type HarbourConfig } from '@harbour/kernel';

/** Issuer of the tokens signed with the development key pair. */
export const DEV_ISSUER = 'harbour-dev';

/** Where the API gets the keys that sign the tokens it accepts: exactly one of the two. */
export type AuthSource =
  | { kind: 'jwks'; jwksUrl: URL; issuer: string; audience: string }
  | { kind: 'dev-keys'; issuer: typeof DEV_ISSUER; audience: string };

/**
 * The API's token source, or a ConfigError naming the variables when there is none. loadConfig
 * already refused half or double configurations; "none at all" is only wrong for the API (the
 * CLI's migrate/verify need no tokens), so it is checked here, at boot, not on first request.
 */
export function authSource(config: HarbourConfig): AuthSource {
  if (config.HARBOUR_OIDC_JWKS_URL && config.HARBOUR_OIDC_ISSUER) {
    return {
      kind: 'jwks',
      jwksUrl: new URL(config.HARBOUR_OIDC_JWKS_URL),
      issuer: config.HARBOUR_OIDC_ISSUER,
      audience: config.HARBOUR_OIDC_AUDIENCE,
    };
  }
  if (config.HARBOUR_DEV_KEYS) return { kind: 'dev-keys', issuer: DEV_ISSUER, audience: config.HARBOUR_OIDC_AUDIENCE };
  throw new ConfigError(
    ['HARBOUR_OIDC_JWKS_URL', 'HARBOUR_OIDC_ISSUER', 'HARBOUR_DEV_KEYS'],
    [
      'no token source: set HARBOUR_OIDC_JWKS_URL and HARBOUR_OIDC_ISSUER (your identity provider), or HARBOUR_DEV_KEYS=true (local development only)',
    ],
  );
}
