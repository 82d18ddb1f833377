import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionFailed } from './errors.js';

/**
 * AES-256-GCM through node:crypto and nothing else: a fresh 96-bit random IV per message, the
 * full 128-bit tag (enforced on decryption: Node would otherwise accept a truncated tag), and
 * additional authenticated data that binds the ciphertext to where it belongs.
 */
const ALGORITHM = 'aes-256-gcm';
export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/** A value encrypted under a survivor's data key; JSON-serialisable, stored inside events. */
export interface Cipher {
  v: 1;
  /** The data key's id (not secret). */
  kid: string;
  /** base64 of 12 random bytes. */
  iv: string;
  /** base64 ciphertext of the UTF-8 JSON of the value. */
  ct: string;
  /** base64 of the 16-byte GCM tag. */
  tag: string;
}

/**
 * What a ciphertext is bound to. A JSON array of strings is an unambiguous encoding
 * (`["a","b:c"]` can never equal `["a:b","c"]`), so no two different bindings share an AAD.
 */
export function envelopeAad(kid: string, survivorId: string, context: string): Buffer {
  return Buffer.from(JSON.stringify(['harbour/cipher', 1, kid, survivorId, context]), 'utf8');
}

export function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; ct: Buffer; tag: Buffer } {
  if (key.length !== KEY_BYTES) throw new RangeError('AES-256-GCM needs a 32-byte key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

/** Throws DecryptionFailed('not-authentic') when anything (key, iv, ct, tag, aad) does not match. */
export function gcmDecrypt(key: Buffer, iv: Buffer, ct: Buffer, tag: Buffer, aad: Buffer): Buffer {
  if (key.length !== KEY_BYTES || iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new DecryptionFailed('malformed');
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new DecryptionFailed('not-authentic');
  }
}

/** Encrypt a JSON-serialisable value for one survivor and one context (e.g. `intake:identity`). */
export function sealCipher(key: Buffer, kid: string, survivorId: string, context: string, value: unknown): Cipher {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('Only JSON-serialisable values can be encrypted');
  const { iv, ct, tag } = gcmEncrypt(key, Buffer.from(json, 'utf8'), envelopeAad(kid, survivorId, context));
  return { v: 1, kid, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: tag.toString('base64') };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Is this shaped like a Cipher (says nothing about authenticity)? */
export function isCipher(value: unknown): value is Cipher {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    c.v === 1 &&
    typeof c.kid === 'string' &&
    c.kid.length > 0 &&
    [c.iv, c.ct, c.tag].every((part) => typeof part === 'string' && part.length % 4 === 0 && BASE64.test(part))
  );
}

/** Decrypt what `seal` made with the same key, survivor and context; anything else → DecryptionFailed. */
export function openCipher<T = unknown>(key: Buffer, survivorId: string, context: string, envelope: Cipher): T {
  if (!isCipher(envelope)) throw new DecryptionFailed('malformed');
  return openCheckedCipher<T>(key, survivorId, context, envelope);
}

/** openCipher for an envelope the caller has just checked with isCipher (the check is not cheap). */
export function openCheckedCipher<T = unknown>(key: Buffer, survivorId: string, context: string, envelope: Cipher): T {
  const plaintext = gcmDecrypt(
    key,
    Buffer.from(envelope.iv, 'base64'),
    Buffer.from(envelope.ct, 'base64'),
    Buffer.from(envelope.tag, 'base64'),
    envelopeAad(envelope.kid, survivorId, context),
  );
  try {
    return JSON.parse(plaintext.toString('utf8')) as T;
  } catch {
    throw new DecryptionFailed('malformed');
  } finally {
    plaintext.fill(0);
  }
}

/** What a wrapped data key is bound to: its survivor and its own id. */
function wrapAad(survivorId: string, keyId: string): Buffer {
  return Buffer.from(JSON.stringify(['harbour/data-key', 1, survivorId, keyId]), 'utf8');
}

/** A data key encrypted under a master key, stored as iv (12) || tag (16) || ciphertext (32). */
export function wrapKey(masterKey: Buffer, survivorId: string, keyId: string, dataKey: Buffer): Buffer {
  const { iv, ct, tag } = gcmEncrypt(masterKey, dataKey, wrapAad(survivorId, keyId));
  return Buffer.concat([iv, tag, ct]);
}

export const WRAPPED_KEY_BYTES = IV_BYTES + TAG_BYTES + KEY_BYTES;

export function unwrapKey(masterKey: Buffer, survivorId: string, keyId: string, wrapped: Buffer): Buffer {
  if (wrapped.length !== WRAPPED_KEY_BYTES) throw new DecryptionFailed('malformed');
  const iv = wrapped.subarray(0, IV_BYTES);
  const tag = wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const ct = wrapped.subarray(IV_BYTES + TAG_BYTES);
  return gcmDecrypt(masterKey, iv, ct, tag, wrapAad(survivorId, keyId));
}
