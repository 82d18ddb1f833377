import { createHash } from 'node:crypto';

/** Harbour's namespace for name-based UUIDs in HSDS exports (a fixed, random v4 UUID). */
const NAMESPACE = '3b0f7c52-5d0e-4c86-9a3e-0f6d2b8e41a7';

/**
 * A name-based UUID (RFC 9562 version 5). HSDS wants a UUID on every nested object
 * (schedule, language, attribute...); deriving them from the owner's id and the object's
 * role keeps repeated exports of the same data identical, so consumers see no false changes.
 */
export function stableId(...parts: string[]): string {
  const hash = createHash('sha1')
    .update(Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(parts.join('\u0000'), 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
