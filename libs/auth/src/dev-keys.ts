import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { type Clock, ConfigError, type HarbourConfig } from '@harbour/kernel';
import { DEV_ISSUER } from './auth-source.js';

export const DEV_KEY_ALG = 'EdDSA';
export const DEV_TOKEN_MAX_TTL_SECONDS = 3600;

export interface DevTokenRequest {
  userId: string;
  agencyId: string;
  roles: string[];
  /** 1..3600; default 900 (15 minutes). */
  ttlSeconds?: number;
}

interface LoadedKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * A development key pair (Ed25519) kept in `<HARBOUR_DATA_DIR>/dev-keys.json`, mode 600: whoever
 * can read that file can sign in as anyone, so it is for a developer's machine and nowhere else.
 * Created on first use; a warning is logged every time a process loads it.
 */
export class DevKeys {
  private loaded?: Promise<LoadedKeys>;

  constructor(
    private readonly config: HarbourConfig,
    private readonly clock: Clock,
    private readonly warn: (message: string) => void = (m) => new Logger('DevKeys').warn(m),
  ) {}

  get path(): string {
    return join(this.config.HARBOUR_DATA_DIR, 'dev-keys.json');
  }

  publicKey(): Promise<CryptoKey> {
    return this.keys().then((k) => k.publicKey);
  }

  async mintDevToken(request: DevTokenRequest): Promise<string> {
    const ttl = request.ttlSeconds ?? 900;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > DEV_TOKEN_MAX_TTL_SECONDS) {
      throw new RangeError(`ttlSeconds must be a whole number of seconds from 1 to ${DEV_TOKEN_MAX_TTL_SECONDS}`);
    }
    const { kid, privateKey } = await this.keys();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ agency_id: request.agencyId, roles: request.roles })
      .setProtectedHeader({ alg: DEV_KEY_ALG, kid, typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(this.config.HARBOUR_OIDC_AUDIENCE)
      .setSubject(request.userId)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(randomUUID())
      .sign(privateKey);
  }

  private keys(): Promise<LoadedKeys> {
    if (!this.loaded) {
      this.loaded = this.load();
      // A failed load (e.g. a file with loose permissions) is retried next time, not cached forever.
      this.loaded.catch(() => (this.loaded = undefined));
    }
    return this.loaded;
  }

  private async load(): Promise<LoadedKeys> {
    const created = await this.createIfMissing();
    const info = await stat(this.path);
    if ((info.mode & 0o077) !== 0) {
      throw new ConfigError(
        ['HARBOUR_DATA_DIR'],
        [`${this.path} is readable by other users: run chmod 600 on it (or delete it to make a new key pair)`],
      );
    }
    const jwk = JSON.parse(await readFile(this.path, 'utf8')) as JWK;
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.kid) {
      throw new ConfigError(
        ['HARBOUR_DATA_DIR'],
        [`${this.path} is not an Ed25519 private JWK with a kid: delete it to make a new key pair`],
      );
    }
    const { d: _private, ...publicJwk } = jwk;
    this.warn(
      `WARNING: ${created ? 'created' : 'using'} development signing keys at ${this.path} (HARBOUR_DEV_KEYS). ` +
        'They are for local development only: anyone who can read that file can sign in as anyone.',
    );
    return {
      kid: jwk.kid,
      privateKey: (await importJWK(jwk, DEV_KEY_ALG)) as CryptoKey,
      publicKey: (await importJWK(publicJwk, DEV_KEY_ALG)) as CryptoKey,
    };
  }

  /** Write to a temporary file, then link it into place: two processes starting at once cannot both win or see half a file. */
  private async createIfMissing(): Promise<boolean> {
    try {
      await stat(this.path);
      return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await mkdir(this.config.HARBOUR_DATA_DIR, { recursive: true, mode: 0o711 }); // traversable: the embedded server runs as another user
    const { privateKey } = await generateKeyPair(DEV_KEY_ALG, { crv: 'Ed25519', extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: DEV_KEY_ALG, use: 'sig' };
    const temporary = `${this.path}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600); // whatever the umask
    try {
      await link(temporary, this.path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false; // another process made it first: use theirs
      throw error;
    } finally {
      await unlink(temporary);
    }
  }
}
