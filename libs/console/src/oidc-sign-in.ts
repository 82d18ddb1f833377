import { hkdfSync } from 'node:crypto';
import { Logger } from '@nestjs/common';
import * as oauth from 'oauth4webapi';
import { DomainError, type HarbourConfig, type Clock } from '@harbour/kernel';
import { gcmDecrypt, gcmEncrypt, type MasterKeys } from '@harbour/privacy';
import { ConsoleErrors } from './errors.js';

/** The tokens an authorization code (or a refresh) gave. */
export interface ProviderTokens {
  accessToken: string;
  refreshToken?: string;
  /** From expires_in, when the provider says. */
  expiresAt?: Date;
}

/** What the browser carries between sign-in and callback, sealed (AES-256-GCM) in a short-lived cookie. */
interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  /** Epoch ms after which the callback is refused. */
  until: number;
}

export const PENDING_COOKIE = 'harbour_oidc_pending';
/** Ten minutes to get through the provider's sign-in page. */
const PENDING_MS = 10 * 60_000;
const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/;

/**
 * The console's OIDC sign-in: authorization code with PKCE (S256), state and nonce, through
 * oauth4webapi (discovery, the code exchange, the ID token's signature and claims). The access
 * token it yields is then verified by the API's own TokenVerifier, like any bearer token.
 */
export class OidcSignIn {
  private readonly logger = new Logger('ConsoleOidc');
  private server?: Promise<oauth.AuthorizationServer>;
  private readonly client: oauth.Client;
  private readonly auth: oauth.ClientAuth;
  private readonly issuer: URL;
  private readonly insecure: boolean;

  constructor(
    private readonly config: HarbourConfig,
    private readonly keys: MasterKeys,
    private readonly clock: Clock,
  ) {
    this.issuer = new URL(config.HARBOUR_OIDC_ISSUER!);
    this.client = { client_id: config.HARBOUR_CONSOLE_CLIENT_ID! };
    this.auth = config.HARBOUR_CONSOLE_CLIENT_SECRET
      ? oauth.ClientSecretBasic(config.HARBOUR_CONSOLE_CLIENT_SECRET)
      : oauth.None();
    // Plain http only to a provider on this machine (tests, local development).
    this.insecure = LOOPBACK.test(this.issuer.href);
  }

  /** Read when used (the configuration is fixed at boot; a test may point it at the port it got). */
  private get redirectUri(): string {
    return this.config.HARBOUR_CONSOLE_REDIRECT_URL!;
  }

  private get options(): { [oauth.allowInsecureRequests]?: boolean } {
    return this.insecure ? { [oauth.allowInsecureRequests]: true } : {};
  }

  /** The provider's metadata, discovered once (retried after a failure). */
  private metadata(): Promise<oauth.AuthorizationServer> {
    if (!this.server) {
      this.server = (async () => {
        try {
          const response = await oauth.discoveryRequest(this.issuer, { algorithm: 'oidc', ...this.options });
          return await oauth.processDiscoveryResponse(this.issuer, response);
        } catch (error) {
          this.logger.warn({ msg: 'OIDC discovery failed', error: (error as Error).name });
          throw DomainError.of(ConsoleErrors.providerUnavailable);
        }
      })();
      this.server.catch(() => (this.server = undefined));
    }
    return this.server;
  }

  /** Where to send the browser, and the sealed pending state for its cookie. */
  async start(): Promise<{ location: string; pending: string }> {
    const server = await this.metadata();
    const pending: Pending = {
      verifier: oauth.generateRandomCodeVerifier(),
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      until: this.clock.now().getTime() + PENDING_MS,
    };
    const url = new URL(server.authorization_endpoint!);
    url.searchParams.set('client_id', this.client.client_id);
    url.searchParams.set('redirect_uri', this.redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', 'openid profile offline_access');
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', pending.state);
    url.searchParams.set('nonce', pending.nonce);
    return { location: url.href, pending: this.seal(pending) };
  }

  /** The callback: checks state against the pending cookie, exchanges the code, verifies the ID token. */
  async finish(callbackUrl: URL, sealedPending: string | null): Promise<ProviderTokens> {
    const pending = sealedPending ? this.open(sealedPending) : null;
    if (!pending || pending.until < this.clock.now().getTime()) throw DomainError.of(ConsoleErrors.signInFailed);
    const server = await this.metadata();
    try {
      const params = oauth.validateAuthResponse(server, this.client, callbackUrl, pending.state);
      const response = await oauth.authorizationCodeGrantRequest(
        server,
        this.client,
        this.auth,
        params,
        this.redirectUri,
        pending.verifier,
        this.options,
      );
      const result = await oauth.processAuthorizationCodeResponse(server, this.client, response, {
        expectedNonce: pending.nonce,
        requireIdToken: true,
      });
      // The ID token's claims (iss, aud, nonce, exp) are checked above; its signature too, against the provider's JWKS.
      await oauth.validateApplicationLevelSignature(server, response, this.options);
      return this.tokensOf(result);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      // Never the provider's error text or any token: the kind of failure only.
      this.logger.warn({
        msg: 'OIDC sign-in refused',
        error: (error as Error).name,
        code: (error as { code?: string }).code,
      });
      throw DomainError.of(ConsoleErrors.signInFailed);
    }
  }

  /** New tokens for a refresh token, or null when the provider refuses it (sign in again). */
  async refresh(refreshToken: string): Promise<ProviderTokens | null> {
    try {
      const server = await this.metadata();
      const response = await oauth.refreshTokenGrantRequest(server, this.client, this.auth, refreshToken, this.options);
      const result = await oauth.processRefreshTokenResponse(server, this.client, response);
      const tokens = this.tokensOf(result);
      return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
    } catch {
      return null;
    }
  }

  private tokensOf(result: oauth.TokenEndpointResponse): ProviderTokens {
    return {
      accessToken: result.access_token,
      refreshToken: result.refresh_token,
      expiresAt:
        typeof result.expires_in === 'number'
          ? new Date(this.clock.now().getTime() + result.expires_in * 1000)
          : undefined,
    };
  }

  private key(): Buffer {
    return Buffer.from(
      hkdfSync('sha256', this.keys.current.key, Buffer.alloc(0), 'harbour console-oidc-pending v1', 32),
    );
  }

  private seal(pending: Pending): string {
    const { iv, ct, tag } = gcmEncrypt(this.key(), Buffer.from(JSON.stringify(pending)), AAD);
    return [iv, ct, tag].map((b) => b.toString('base64url')).join('.');
  }

  private open(sealed: string): Pending | null {
    const parts = sealed.split('.');
    if (parts.length !== 3) return null;
    try {
      const [iv, ct, tag] = parts.map((p) => Buffer.from(p, 'base64url'));
      return JSON.parse(gcmDecrypt(this.key(), iv, ct, tag, AAD).toString('utf8')) as Pending;
    } catch {
      return null;
    }
  }
}

const AAD = Buffer.from('harbour/console-oidc-pending/1');
