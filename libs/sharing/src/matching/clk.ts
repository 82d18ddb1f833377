import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * Privacy-preserving match keys: a keyed Bloom-filter encoding of identity fields (a CLK, as in
 * Anonlink/clkhash and the MITRE CODI PPRL guide). Each field is cut into tokens (bigrams of
 * normalised name parts, date-of-birth parts, nationality); every token sets a few of the
 * filter's 1,024 bits, chosen by HMAC-SHA256 under a server secret; two encodings are compared
 * with the Dice coefficient of their set bits. Without the key nobody can compute the encoding
 * of a guessed identity, so the filters cannot be searched by name.
 */
export const CLK_BITS = 1024;
export const CLK_BYTES = CLK_BITS / 8;
/** At or above this Dice coefficient a check says "possible duplicate" (chosen with bench:matching). */
export const MATCH_THRESHOLD = 0.85;

/** The identity fields the encoding reads (the identity section's shape, only these). */
export interface MatchIdentity {
  legalName?: string;
  preferredName?: string;
  dateOfBirth?: string;
  nationality?: string;
}

/** Bits set per token of each field: the field's weight in the coefficient. */
const WEIGHTS = { name: 6, phonetic: 6, preferred: 3, dob: 30, year: 24, nationality: 8 } as const;
type Field = keyof typeof WEIGHTS;

/** The matching key derived from the master key when HARBOUR_MATCH_KEY is unset (HKDF-SHA256, its own label). */
export const derivedMatchKey = (masterKey: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'harbour match-key v1', 32));

const LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
// Cyrillic to Latin, the common passport transliteration (ISO 9 style, simplified).
const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/**
 * A name as comparable text: lower case, diacritics removed (NFKD), a few letters spelled out,
 * Cyrillic transliterated, hyphens as spaces, everything else that is not a letter dropped.
 */
export function normaliseName(input: string): string[] {
  let s = input.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
  s = [...s].map((ch) => LETTERS[ch] ?? CYRILLIC[ch] ?? ch).join('');
  s = s.replace(/[-‐-―_.,/]/g, ' ').replace(/[^\p{L}\s]/gu, '');
  return s.split(/\s+/).filter((t) => t.length > 0);
}

/**
 * A name part folded for transliteration: the spellings one name takes across alphabets and
 * clerks (Mohammed/Muhammad, Oleksandr/Aleksandr, Yusuf/Jusuf, Sofia/Sophia) fold to one form:
 * letter pairs with one sound are merged, every vowel becomes `a`, doubled letters are single.
 */
export function phonetic(token: string): string {
  return token
    .replace(/ph/g, 'f')
    .replace(/(kh|gh)/g, 'h')
    .replace(/(th|dh)/g, 't')
    .replace(/(ck|q|c)/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/w/g, 'v')
    .replace(/[jy]/g, 'i')
    .replace(/z/g, 's')
    .replace(/[aeiou]+/g, 'a')
    .replace(/(.)\1+/g, '$1');
}

const bigrams = (token: string): string[] => {
  const padded = `_${token}_`;
  const out: string[] = [];
  for (let i = 0; i < padded.length - 1; i++) out.push(padded.slice(i, i + 2));
  return out;
};

/** The tokens of an identity, each with the field that weighs it. */
export function tokensOf(identity: MatchIdentity): Array<[Field, string]> {
  const out: Array<[Field, string]> = [];
  // Name parts are a bag: first and last names swapped (or in another order) give the same tokens.
  const legal = normaliseName(identity.legalName ?? '');
  const preferred = normaliseName(identity.preferredName ?? '');
  for (const part of legal.length > 0 ? legal : preferred) {
    for (const b of bigrams(part)) out.push(['name', b]);
    for (const b of bigrams(phonetic(part))) out.push(['phonetic', b]);
  }
  if (legal.length > 0) for (const part of preferred) for (const b of bigrams(part)) out.push(['preferred', b]);
  const dob = /^(\d{4})-(\d{2})-(\d{2})$/.exec(identity.dateOfBirth ?? '');
  if (dob) {
    const [, year, month, day] = dob;
    out.push(['year', `y:${year}`], ['year', `dec:${year.slice(0, 3)}`]);
    // Day and month as an unordered pair and each on its own: a day/month swap still matches.
    const pair = [month, day].sort();
    out.push(['dob', `dm:${pair.join('-')}`], ['dob', `p:${month}`], ['dob', `p:${day}`]);
  }
  if (identity.nationality) out.push(['nationality', `n:${identity.nationality.toUpperCase()}`]);
  return out;
}

/**
 * The encoding of an identity: 1,024 bits, 128 bytes. Each token's bit positions come from
 * HMAC-SHA256(key, field ‖ token): independent positions per token (no double hashing, whose
 * structure the published attacks on CLKs exploit), 16 positions per HMAC block. Null when the
 * identity has nothing to match on (no name at all).
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();

export function encodeIdentity(identity: MatchIdentity, keyBytes: Buffer): Buffer | null {
  let key = keyObjects.get(keyBytes);
  if (!key) keyObjects.set(keyBytes, (key = createSecretKey(keyBytes)));
  const tokens = tokensOf(identity);
  if (!tokens.some(([field]) => field === 'name')) return null;
  const filter = Buffer.alloc(CLK_BYTES);
  for (const [field, token] of new Map(tokens.map(([f, t]) => [`${f}\u0000${t}`, [f, t] as const])).values()) {
    const k = WEIGHTS[field];
    for (let block = 0; block * 16 < k; block++) {
      const digest = createHmac('sha256', key).update(`${block}\u0000${field}\u0000${token}`).digest();
      for (let i = 0; i < 16 && block * 16 + i < k; i++) {
        const bit = digest.readUInt16BE(i * 2) & (CLK_BITS - 1);
        filter[bit >> 3] |= 1 << (bit & 7);
      }
    }
  }
  return filter;
}

/** Set bits of a 32-bit word (SWAR popcount). */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Dice coefficient of two encodings: 2·|A∧B| / (|A|+|B|). */
export function dice(a: Buffer, b: Buffer): number {
  let both = 0;
  let ones = 0;
  for (let i = 0; i < a.length; i += 4) {
    const x = a.readUInt32LE(i);
    const y = b.readUInt32LE(i);
    both += popcount32(x & y);
    ones += popcount32(x) + popcount32(y);
  }
  return ones === 0 ? 0 : (2 * both) / ones;
}
