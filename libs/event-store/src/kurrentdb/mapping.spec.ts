import { GENESIS_HASH, chainHash, contentHash } from '../hashing.js';
import {
  CHAIN_POSITION,
  decodeMetadata,
  decodePosition,
  declaredStreamState,
  encodeMetadata,
  encodePosition,
  eventTypeRegex,
  idempotencyStream,
  isHarbourType,
  pinnedStreamState,
} from './mapping.js';

const tail = (revision: number) => ({ revision, hash: Buffer.alloc(32, 7) });

describe('KurrentDB mapping: expected versions', () => {
  it('translates each expectation to the client 1.x streamState', () => {
    expect(declaredStreamState('any')).toBe('any');
    expect(declaredStreamState('no-stream')).toBe('no_stream');
    expect(declaredStreamState('stream-exists')).toBe('stream_exists');
    expect(declaredStreamState(4)).toBe(4n);
  });

  it('pins the append to the tail it chained from, or answers the conflict without a round trip', () => {
    expect(pinnedStreamState('no-stream', null)).toEqual({ state: 'no_stream' });
    expect(pinnedStreamState('no-stream', tail(2))).toEqual({ conflict: 2 });
    expect(pinnedStreamState('stream-exists', null)).toEqual({ conflict: -1 });
    expect(pinnedStreamState('stream-exists', tail(3))).toEqual({ state: 3n });
    expect(pinnedStreamState(3, tail(3))).toEqual({ state: 3n });
    expect(pinnedStreamState(2, tail(3))).toEqual({ conflict: 3 });
    expect(pinnedStreamState(0, null)).toEqual({ conflict: -1 });
    expect(pinnedStreamState('any', null)).toEqual({ state: 'no_stream' });
    expect(pinnedStreamState('any', tail(9))).toEqual({ state: 9n });
  });
});

describe('KurrentDB mapping: positions', () => {
  it('round-trips commit and prepare positions and keeps $all order', () => {
    const positions = [
      { commit: 0n, prepare: 0n },
      { commit: 1_000n, prepare: 1_000n },
      { commit: 1_000n, prepare: 1_214n },
      { commit: 1_000n, prepare: 1_700n },
      { commit: 2_100n, prepare: 2_100n },
      { commit: 8_796_093_022_207n, prepare: 8_796_093_022_207n + 1_048_575n },
    ];
    const encoded = positions.map(encodePosition);
    expect([...encoded].sort((a, b) => (a < b ? -1 : 1))).toEqual(encoded);
    expect(new Set(encoded).size).toBe(encoded.length);
    encoded.slice(1).forEach((p, i) => expect(decodePosition(p)).toEqual(positions[i + 1]));
    expect(encoded.every((p) => p < 2n ** 63n)).toBe(true);
  });

  it('treats 0 as the start and refuses positions it cannot hold instead of wrapping', () => {
    expect(decodePosition(0n)).toBeNull();
    expect(() => encodePosition({ commit: 2n ** 43n, prepare: 2n ** 43n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: 10n, prepare: 10n + 2n ** 20n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: 10n, prepare: 9n })).toThrow(RangeError);
  });
});

describe('KurrentDB mapping: envelope and chain in metadata', () => {
  const metadata = {
    correlationId: 'corr-1',
    causationId: null,
    actor: { userId: 'user-test', agencyId: 'agency-test', role: 'caseworker' },
    requestId: 'req-1',
    recordedAt: '2026-11-02T09:00:00.000Z',
  };
  const content = contentHash({ eventId: 'e-1', type: 'NoteAdded', schemaVersion: 2, data: { n: 1 }, metadata });
  const hash = chainHash(GENESIS_HASH, content, 0, CHAIN_POSITION, 'case-a');

  it('writes string values only and reads back exactly what it wrote', () => {
    const encoded = encodeMetadata({ schemaVersion: 2, metadata, contentHash: content, prevHash: GENESIS_HASH, hash });
    expect(Object.values(encoded).every((v) => typeof v === 'string')).toBe(true);
    expect(encoded.$correlationId).toBe('corr-1');
    expect(encoded.$causationId).toBeUndefined();
    // What a KurrentDB read returns: the same map, plus the server's own `$schema.*` entries.
    const decoded = decodeMetadata({ ...encoded, '$schema.format': 'Json' });
    expect(decoded).toEqual({ schemaVersion: 2, metadata, contentHash: content, prevHash: GENESIS_HASH, hash });
  });

  it('answers null for events that do not carry Harbour chain fields', () => {
    const good = encodeMetadata({ schemaVersion: 1, metadata, contentHash: content, prevHash: GENESIS_HASH, hash });
    expect(decodeMetadata(undefined)).toBeNull();
    expect(decodeMetadata(Buffer.from('x'))).toBeNull();
    expect(decodeMetadata({ ...good, 'harbour.hash': 'not-hex' })).toBeNull();
    expect(decodeMetadata({ ...good, 'harbour.envelope': '{broken' })).toBeNull();
    expect(decodeMetadata({ ...good, 'harbour.schemaVersion': '0' })).toBeNull();
  });
});

describe('KurrentDB mapping: filters and reserved names', () => {
  it('filters exactly the given types, escaping regex characters', () => {
    const regex = new RegExp(eventTypeRegex(['NoteAdded', 'a.b+c']));
    expect(['NoteAdded', 'a.b+c'].every((t) => regex.test(t))).toBe(true);
    expect(['NoteAddedX', 'axb+c', 'aabbc'].some((t) => regex.test(t))).toBe(false);
  });

  it('by default keeps every Harbour type and hides system events and idempotency records', () => {
    const regex = new RegExp(eventTypeRegex());
    expect(regex.test('NoteAdded')).toBe(true);
    expect(regex.test('$>')).toBe(false);
    expect(regex.test('$metadata')).toBe(false);
    expect(regex.test('harbour.IdempotencyRecorded')).toBe(false);
    expect(isHarbourType('NoteAdded')).toBe(true);
    expect(isHarbourType('harbour.IdempotencyRecorded')).toBe(false);
    expect(isHarbourType('NoteAdded', ['Other'])).toBe(false);
  });

  it('derives one idempotency stream per scope and key, without the key in the name', () => {
    const a = idempotencyStream('referrals', 'k-1');
    expect(a).toMatch(/^harbour-idempotency-[0-9a-f]{64}$/);
    expect(a).not.toContain('k-1');
    expect(idempotencyStream('referrals', 'k-1')).toBe(a);
    expect(idempotencyStream('intake', 'k-1')).not.toBe(a);
    expect(idempotencyStream('referrals\0k', '-1')).not.toBe(idempotencyStream('referrals', 'k\0-1'));
  });
});
