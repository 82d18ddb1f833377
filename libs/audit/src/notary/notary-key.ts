import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, type HarbourConfig } from '@harbour/kernel';

/** The notary's Ed25519 key pair; never printed or serialised with the private half. */
export class NotaryKey {
  readonly keyId: string;
  readonly publicKey: KeyObject;

  constructor(readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519')
      throw new ConfigError(['HARBOUR_NOTARY_KEY'], ['HARBOUR_NOTARY_KEY must be an Ed25519 private key']);
    this.publicKey = createPublicKey(privateKey);
    this.keyId = notaryKeyId(this.publicKey);
  }

  /** What an outside party needs to check checkpoints: the public key as PEM and JWK. */
  exportPublic(): { keyId: string; algorithm: 'Ed25519'; publicKeyPem: string; publicKeyJwk: Record<string, unknown> } {
    return {
      keyId: this.keyId,
      algorithm: 'Ed25519',
      publicKeyPem: this.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      publicKeyJwk: this.publicKey.export({ format: 'jwk' }),
    };
  }

  toJSON(): Record<string, unknown> {
    return { keyId: this.keyId };
  }

  [inspect.custom](): string {
    return `NotaryKey ${this.keyId}`;
  }
}

/** First 16 hex of the SHA-256 of the public key (SPKI DER): a name anyone can recompute. */
export const notaryKeyId = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

export const LOCAL_NOTARY_KEY_FILE = 'notary-key.json';

function fromBase64Der(base64: string, variable: string): NotaryKey {
  try {
    return new NotaryKey(createPrivateKey({ key: Buffer.from(base64.trim(), 'base64'), format: 'der', type: 'pkcs8' }));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      [variable],
      [
        `${variable} must be an Ed25519 private key, PKCS#8 DER in base64 (openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)`,
      ],
    );
  }
}

/** A private key as given to `harbour keys rotate-notary --new-key`: PKCS#8 PEM, or DER in base64. */
export function notaryKeyFromText(text: string): NotaryKey {
  if (text.includes('-----BEGIN')) {
    try {
      return new NotaryKey(createPrivateKey(text));
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(
        ['--new-key'],
        ['--new-key must name an Ed25519 private key (PKCS#8 PEM or DER in base64)'],
      );
    }
  }
  return fromBase64Der(text, '--new-key');
}

/** A new random notary key (local mode's rotation). */
export const generateNotaryKey = (): NotaryKey => new NotaryKey(generateKeyPairSync('ed25519').privateKey);

/**
 * Local mode's rotation: the new key replaces `<dataDir>/notary-key.json`; the old file is kept
 * beside it as `notary-key.<keyId>.retired.json` (mode 600), never deleted.
 */
export async function replaceLocalNotaryKey(dataDir: string, old: NotaryKey, next: NotaryKey): Promise<string> {
  const path = join(dataDir, LOCAL_NOTARY_KEY_FILE);
  const retired = join(dataDir, `notary-key.${old.keyId}.retired.json`);
  await link(path, retired).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const der = next.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(
    temporary,
    `${JSON.stringify({ keyId: next.keyId, privateKey: der, createdAt: new Date().toISOString() }, null, 2)}\n`,
    { mode: 0o600, flag: 'wx' },
  );
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}

/**
 * The notary key of this process; call it once at boot, before an embedded database sets
 * DATABASE_URL (like the master key):
 * - HARBOUR_NOTARY_KEY set: that key.
 * - not set, in fully local mode (no DATABASE_URL yet, or development sign-in): a key generated
 *   into `<dataDir>/notary-key.json` (mode 600) with a WARNING, and put into the config so later
 *   calls agree.
 * - not set otherwise: ConfigError naming HARBOUR_NOTARY_KEY — checkpoints signed by a key that
 *   lives in some folder prove nothing to anyone.
 */
export async function resolveNotaryKey(config: HarbourConfig, warn: (message: string) => void): Promise<NotaryKey> {
  if (config.HARBOUR_NOTARY_KEY) return fromBase64Der(config.HARBOUR_NOTARY_KEY, 'HARBOUR_NOTARY_KEY');
  if (config.DATABASE_URL && !config.HARBOUR_DEV_KEYS) {
    throw new ConfigError(
      ['HARBOUR_NOTARY_KEY'],
      [
        'HARBOUR_NOTARY_KEY must be set when DATABASE_URL is: an Ed25519 private key, PKCS#8 DER in base64 (openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)',
      ],
    );
  }
  const dir = config.HARBOUR_DATA_DIR;
  const path = join(dir, LOCAL_NOTARY_KEY_FILE);
  const created = await createIfMissing(dir, path);
  if (((await stat(path)).mode & 0o077) !== 0)
    throw new ConfigError(['HARBOUR_DATA_DIR'], [`${path} is readable by other users: run chmod 600 on it`]);
  let stored: { privateKey?: unknown };
  try {
    stored = JSON.parse(await readFile(path, 'utf8')) as { privateKey?: unknown };
  } catch {
    stored = {};
  }
  if (typeof stored.privateKey !== 'string')
    throw new ConfigError(
      ['HARBOUR_DATA_DIR'],
      [`${path} does not hold a notary key; restore it or remove it to start a new key`],
    );
  const key = fromBase64Der(stored.privateKey, 'HARBOUR_DATA_DIR');
  warn(
    `WARNING: ${created ? 'created' : 'using'} a local notary key at ${path} (no HARBOUR_NOTARY_KEY). ` +
      'It is for local development only: set HARBOUR_NOTARY_KEY from a secret store wherever the log must convince anyone.',
  );
  config.HARBOUR_NOTARY_KEY = stored.privateKey;
  return key;
}

/** Write a temporary file, then link it into place: two processes starting at once agree on one key. */
async function createIfMissing(dir: string, path: string): Promise<boolean> {
  try {
    await stat(path);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o711 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(
    temporary,
    `${JSON.stringify({ keyId: notaryKeyId(createPublicKey(privateKey)), privateKey: der, createdAt: new Date().toISOString() }, null, 2)}\n`,
    { mode: 0o600, flag: 'wx' },
  );
  await chmod(temporary, 0o600);
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary);
  }
}
