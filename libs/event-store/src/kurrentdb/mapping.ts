import { createHash } from 'node:crypto';
import type { EventMetadata, ExpectedVersion } from '../envelope.js';

/**
 * The pure half of the KurrentDB adapter: how Harbour's expected versions, global positions,
 * envelopes and hash chains are written to and read back from KurrentDB. No I/O here, so all
 * of it is unit-tested without a server (kurrentdb/mapping.spec.ts).
 */

/** KurrentDB's append states, as the 1.x client spells them. */
export type KurrentStreamState = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** The last event of a stream as the adapter reads it before appending (null: no stream). */
export interface StreamTail {
  revision: number;
  hash: Buffer;
}

/**
 * The direct translation of an expectation (used when no chain tail is needed):
 * `any` → any, `no-stream` → no_stream, `stream-exists` → stream_exists, n → revision n.
 */
export function declaredStreamState(expected: ExpectedVersion): KurrentStreamState {
  if (expected === 'any') return 'any';
  if (expected === 'no-stream') return 'no_stream';
  if (expected === 'stream-exists') return 'stream_exists';
  return BigInt(expected);
}

/**
 * What the adapter actually sends. The chain hash of a new event needs the previous event's
 * hash, so the adapter reads the stream's tail first and then appends with the tail's exact
 * revision (or no_stream): nobody can slip an event in between, so the chain it computed is
 * the chain that gets stored. A caller's expectation that the tail already contradicts is a
 * conflict without a round trip; `any` and `stream-exists` are re-tried on a race (the caller
 * did not pin a version), `no-stream` and exact versions are not.
 */
export function pinnedStreamState(
  expected: ExpectedVersion,
  tail: StreamTail | null,
): { state: KurrentStreamState } | { conflict: number } {
  const actual = tail ? tail.revision : -1;
  if (expected === 'no-stream') return tail ? { conflict: actual } : { state: 'no_stream' };
  if (expected === 'stream-exists') return tail ? { state: BigInt(actual) } : { conflict: -1 };
  if (typeof expected === 'number' && expected !== actual) return { conflict: actual };
  return tail ? { state: BigInt(actual) } : { state: 'no_stream' };
}

/** A KurrentDB log position (the client's `Position`). */
export interface KurrentPosition {
  commit: bigint;
  prepare: bigint;
}

/** Bits of a Harbour position that hold `prepare - commit` (as the PostgreSQL store keeps 20 for the index). */
export const OFFSET_BITS = 20n;
const OFFSET_LIMIT = 1n << OFFSET_BITS;
/** The checkpoint column is a signed 64-bit bigint. */
const COMMIT_LIMIT = 1n << (63n - OFFSET_BITS);

/**
 * Harbour position of a KurrentDB event: `(commit << 20) | (prepare - commit)`. $all is ordered
 * by (commit, prepare), so this keeps its order, is unique per event (events of one append
 * share a commit position and differ by prepare position) and fits the PostgreSQL checkpoint
 * column — and it decodes back to the exact KurrentDB position to resume a read or a
 * subscription from. Refuses (never wraps) a position it cannot hold: a log beyond 8 TiB or an
 * append larger than 1 MiB (KurrentDB's default MaxAppendSize).
 */
export function encodePosition(position: KurrentPosition): bigint {
  const offset = position.prepare - position.commit;
  if (position.commit < 0n || position.commit >= COMMIT_LIMIT)
    throw new RangeError('KurrentDB commit position out of the range Harbour positions can hold');
  if (offset < 0n || offset >= OFFSET_LIMIT)
    throw new RangeError('KurrentDB prepare position too far from its commit position for a Harbour position');
  return (position.commit << OFFSET_BITS) | offset;
}

/** The KurrentDB position a Harbour position was made from; 0n (the start) has none. */
export function decodePosition(position: bigint): KurrentPosition | null {
  if (position <= 0n) return null;
  const commit = position >> OFFSET_BITS;
  return { commit, prepare: commit + (position & (OFFSET_LIMIT - 1n)) };
}

/**
 * The envelope, schema version and hash chain travel in the event's metadata as string values
 * (multiStreamAppend accepts nothing else); `$correlationId`/`$causationId` follow KurrentDB's
 * own conventions so its projections and UI link them.
 */
export const META = {
  envelope: 'harbour.envelope',
  schemaVersion: 'harbour.schemaVersion',
  contentHash: 'harbour.contentHash',
  prevHash: 'harbour.prevHash',
  hash: 'harbour.hash',
} as const;

export interface ChainFields {
  schemaVersion: number;
  metadata: EventMetadata;
  contentHash: Buffer;
  prevHash: Buffer;
  hash: Buffer;
}

export function encodeMetadata(fields: ChainFields): Record<string, string> {
  const out: Record<string, string> = {
    [META.envelope]: JSON.stringify(fields.metadata),
    [META.schemaVersion]: String(fields.schemaVersion),
    [META.contentHash]: fields.contentHash.toString('hex'),
    [META.prevHash]: fields.prevHash.toString('hex'),
    [META.hash]: fields.hash.toString('hex'),
    $correlationId: fields.metadata.correlationId,
  };
  if (fields.metadata.causationId) out.$causationId = fields.metadata.causationId;
  return out;
}

const HEX32 = /^[0-9a-f]{64}$/;

/** The chain fields of a stored event, or null when it was not written by Harbour (or they were mangled). */
export function decodeMetadata(raw: unknown): ChainFields | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const m = raw as Record<string, unknown>;
  const text = (k: string) => (typeof m[k] === 'string' ? m[k] : null);
  const envelope = text(META.envelope);
  const schemaVersion = Number(text(META.schemaVersion));
  const hashes = [text(META.contentHash), text(META.prevHash), text(META.hash)];
  if (envelope === null || !Number.isInteger(schemaVersion) || schemaVersion < 1) return null;
  if (!hashes.every((h): h is string => h !== null && HEX32.test(h))) return null;
  let metadata: EventMetadata;
  try {
    metadata = JSON.parse(envelope) as EventMetadata;
  } catch {
    return null;
  }
  if (typeof metadata !== 'object' || metadata === null || typeof metadata.recordedAt !== 'string') return null;
  const [content, prev, hash] = hashes.map((h) => Buffer.from(h, 'hex'));
  return { schemaVersion, metadata, contentHash: content, prevHash: prev, hash };
}

/**
 * The chain of a KurrentDB stream binds the same fields as PostgreSQL's except the global
 * position, which the server assigns only after the hash is fixed: `chainHash(prev, content,
 * version, 0n, streamId)`. $all order is KurrentDB's own (one leader writes one log).
 */
export const CHAIN_POSITION = 0n;

/** Event type of the adapter's idempotency records (never delivered to Harbour readers). */
export const IDEMPOTENCY_TYPE = 'harbour.IdempotencyRecorded';

/** One stream per (scope, key) (the scope length-prefixed, so no two pairs share a name): appended with no_stream in the same atomic write as the command's events. */
export function idempotencyStream(scope: string, key: string): string {
  return `harbour-idempotency-${createHash('sha256').update(`${scope.length}:${scope}`).update(key).digest('hex')}`;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server-side event-type filter: exactly the given types, or (none given) every type but
 * KurrentDB's system events (`$…`) and the adapter's own records (`harbour.…`).
 */
export function eventTypeRegex(types?: readonly string[]): string {
  if (types && types.length > 0) return `^(?:${types.map(escapeRegex).join('|')})$`;
  return '^(?!\\$|harbour\\.)';
}

/** The same rule applied client-side (a defence against a server that ignores a filter). */
export function isHarbourType(type: string, types?: readonly string[]): boolean {
  if (types && types.length > 0) return types.includes(type);
  return !type.startsWith('$') && !type.startsWith('harbour.');
}
