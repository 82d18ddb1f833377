import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Logger } from '@nestjs/common';
import { ConfigError, type HarbourConfig } from '@harbour/kernel';
import { KEY_BYTES } from './cipher.js';

export interface MasterKey {
  /** Recorded with every data key wrapped under this key; not secret. */
  id: string;
  key: Buffer;
}

/** First 16 hex digits of the key's SHA-256: a stable name that reveals nothing usable. */
export function deriveMasterKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * The master keys of this process: `current` wraps new and rotated data keys; `retired` ones
 * only unwrap, until `KeyRing.rotateMasterKey()` has re-wrapped everything under `current`.
 * Never serialised or printed with the key bytes.
 */
export class MasterKeys {
  readonly retired: readonly MasterKey[];

  constructor(
    readonly current: MasterKey,
    retired: readonly MasterKey[] = [],
  ) {
    for (const k of [current, ...retired]) {
      if (k.key.length !== KEY_BYTES) throw new RangeError('A master key must be 32 bytes');
    }
    // The current key listed again among the retired ones is harmless: drop it.
    this.retired = retired.filter((k) => !k.key.equals(current.key));
  }

  /** Current first, then retired in the order configured. */
  all(): MasterKey[] {
    return [this.current, ...this.retired];
  }

  byId(id: string): MasterKey | undefined {
    return this.all().find((k) => k.id === id);
  }

  toJSON(): Record<string, unknown> {
    return { current: this.current.id, retired: this.retired.map((k) => k.id) };
  }

  [inspect.custom](): string {
    return `MasterKeys ${JSON.stringify(this.toJSON())}`;
  }
}

const decode = (base64: string): Buffer => Buffer.from(base64.trim(), 'base64');

/**
 * The master keys named by the configuration. loadConfig already checked their shape; this
 * re-checks the decoded length so a hand-built config cannot slip a short key through.
 */
export function masterKeysFromConfig(config: HarbourConfig): MasterKeys {
  if (!config.HARBOUR_MASTER_KEY) {
    throw new ConfigError(['HARBOUR_MASTER_KEY'], ['HARBOUR_MASTER_KEY is not set']);
  }
  const key = decode(config.HARBOUR_MASTER_KEY);
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(
      ['HARBOUR_MASTER_KEY'],
      ['HARBOUR_MASTER_KEY must be exactly 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)'],
    );
  }
  const retired: MasterKey[] = [];
  for (const entry of (config.HARBOUR_MASTER_KEYS_RETIRED ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const bytes = decode(colon >= 0 ? entry.slice(colon + 1) : entry);
    if (bytes.length !== KEY_BYTES) {
      throw new ConfigError(
        ['HARBOUR_MASTER_KEYS_RETIRED'],
        ['HARBOUR_MASTER_KEYS_RETIRED must list 32-byte base64 keys, comma-separated'],
      );
    }
    retired.push({ id: colon >= 0 ? entry.slice(0, colon) : deriveMasterKeyId(bytes), key: bytes });
  }
  const current = { id: config.HARBOUR_MASTER_KEY_ID ?? deriveMasterKeyId(key), key };
  const clash = retired.find((r) => r.id === current.id && !r.key.equals(key));
  if (clash) {
    throw new ConfigError(
      ['HARBOUR_MASTER_KEYS_RETIRED'],
      ['HARBOUR_MASTER_KEYS_RETIRED names a different key with the id of the current master key'],
    );
  }
  return new MasterKeys(current, retired);
}

export const LOCAL_MASTER_KEY_FILE = 'master-key.json';

/**
 * Where this process's master keys come from; call it once at boot, before anything sets
 * DATABASE_URL to an embedded server:
 * - HARBOUR_MASTER_KEY set: that key (plus HARBOUR_MASTER_KEYS_RETIRED).
 * - no key, DATABASE_URL set: ConfigError naming HARBOUR_MASTER_KEY. A real database must never
 *   get survivor data encrypted under a key that only lives in some folder.
 * - no key, no DATABASE_URL (fully local mode): a random key kept in
 *   `<dataDir>/master-key.json` (mode 600, created on first use), with a WARNING. The key is
 *   also put into `config.HARBOUR_MASTER_KEY`, so later calls (PrivacyModule's provider, after
 *   the embedded database has set DATABASE_URL) resolve to the same key.
 */
export async function resolveMasterKey(
  config: HarbourConfig,
  dataDir: string = config.HARBOUR_DATA_DIR,
  warn: (message: string) => void = (m) => new Logger('MasterKeys').warn(m),
): Promise<MasterKeys> {
  if (config.HARBOUR_MASTER_KEY) return masterKeysFromConfig(config);
  if (config.DATABASE_URL) {
    throw new ConfigError(
      ['HARBOUR_MASTER_KEY'],
      [
        'HARBOUR_MASTER_KEY must be set when DATABASE_URL is: 32 random bytes, base64 (e.g. `openssl rand -base64 32`), kept in a secret store',
      ],
    );
  }
  const path = join(dataDir, LOCAL_MASTER_KEY_FILE);
  const created = await createIfMissing(dataDir, path);
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) {
    throw new ConfigError(['HARBOUR_DATA_DIR'], [`${path} is readable by other users: run chmod 600 on it`]);
  }
  let key: Buffer;
  try {
    const stored = JSON.parse(await readFile(path, 'utf8')) as { key?: unknown };
    key = typeof stored.key === 'string' ? decode(stored.key) : Buffer.alloc(0);
  } catch {
    key = Buffer.alloc(0);
  }
  if (key.length !== KEY_BYTES) {
    // Deleting it would make everything encrypted so far unreadable, so say so.
    throw new ConfigError(
      ['HARBOUR_DATA_DIR'],
      [`${path} does not hold a 32-byte master key; restore it (deleting it makes local survivor data unreadable)`],
    );
  }
  warn(
    `WARNING: ${created ? 'created' : 'using'} a local master key at ${path} (no HARBOUR_MASTER_KEY). ` +
      'It is for local development only: set HARBOUR_MASTER_KEY from a secret store anywhere real survivor data lives.',
  );
  config.HARBOUR_MASTER_KEY = key.toString('base64');
  return masterKeysFromConfig(config);
}

/** Write a temporary file, then link it into place: two processes starting at once agree on one key. */
async function createIfMissing(dataDir: string, path: string): Promise<boolean> {
  try {
    await stat(path);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o711 }); // traversable: the embedded server runs as another user
  const key = randomBytes(KEY_BYTES);
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  const body = { kid: deriveMasterKeyId(key), key: key.toString('base64'), createdAt: new Date().toISOString() };
  await writeFile(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(temporary, 0o600); // whatever the umask
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
