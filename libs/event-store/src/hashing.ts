import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventMetadata } from './envelope.js';

/**
 * Tamper evidence. Each event's content hash is sha256 over the RFC 8785 (JCS) canonical JSON
 * of what the writer supplied; the chain hash binds it to the previous event of its stream,
 * its stream version and its global position. The database function computes the chain with
 * the same formula, so anyone can re-check it from the rows alone.
 */
export interface HashedContent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
}

export const GENESIS_HASH = Buffer.alloc(32);

export function contentHash(content: HashedContent): Buffer {
  const text = canonicalize(content);
  if (text === undefined) throw new Error('event content cannot be canonicalised');
  return createHash('sha256').update(text, 'utf8').digest();
}

export function chainHash(
  prev: Buffer,
  content: Buffer,
  streamVersion: number,
  globalPosition: bigint,
  streamId: string,
): Buffer {
  const numbers = Buffer.alloc(16);
  numbers.writeBigInt64BE(BigInt(streamVersion), 0);
  numbers.writeBigInt64BE(globalPosition, 8);
  return createHash('sha256').update(prev).update(content).update(numbers).update(streamId, 'utf8').digest();
}
