import { createHash, hkdfSync, randomInt, scrypt } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Crockford's base32 without I, L, O and U: nothing a survivor or worker could misread on a
 * small printed card. 16 symbols of 32 carry 80 bits: no guessing within any attempt limit.
 */
export const SHARE_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SHARE_CODE_LENGTH = 16;

/** A fresh code, each symbol drawn uniformly with the CSPRNG (randomInt has no modulo bias). */
export function newShareCode(): string {
  let code = '';
  for (let i = 0; i < SHARE_CODE_LENGTH; i++) code += SHARE_CODE_ALPHABET[randomInt(SHARE_CODE_ALPHABET.length)];
  return code;
}

/** As printed: four groups of four, e.g. `7KQ2-M9XD-4HTR-0WPN`. */
export const formatShareCode = (code: string): string => code.match(/.{4}/g)!.join('-');

/**
 * The code as typed, normalised: case, spaces and dashes do not matter, and the letters
 * Crockford reads as digits are read so (O → 0, I and L → 1). Null when it cannot be a code.
 */
export function normaliseShareCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s\u2010-\u2015-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (code.length !== SHARE_CODE_LENGTH) return null;
  for (const ch of code) if (!SHARE_CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/**
 * scrypt cost: N = 2^14, r = 8 (16 MiB, about 50 ms on one core here). The pepper, a server
 * secret never stored with the hashes, makes it a keyed hash: a database copy alone tests nothing.
 */
export const SCRYPT = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: typeof SCRYPT,
) => Promise<Buffer>;

/** The stored form of a code: scrypt(code, pepper), base64url. Deterministic, so it can be looked up. */
export async function hashShareCode(code: string, pepper: Buffer): Promise<string> {
  return (await scryptAsync(code, pepper, 32, SCRYPT)).toString('base64url');
}

/** The pepper derived from the master key when none is configured (HKDF-SHA256, its own label). */
export const derivedPepper = (masterKey: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'harbour share-code pepper v1', 32));

/**
 * The code's id, derived from its hash: redeeming loads the code's own stream (strictly current,
 * no read model to wait for), and the id tells nothing more than the hash it comes from.
 */
export function codeIdOf(codeHash: string): string {
  const h = createHash('sha256').update(`share-code-id\n${codeHash}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
