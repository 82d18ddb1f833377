import { randomBytes } from 'node:crypto';
import { type Cipher, openCipher, sealCipher, unwrapKey, wrapKey } from './cipher.js';
import { DecryptionFailed } from './errors.js';

const key = randomBytes(32);
const kid = 'data-key-1';
const value = { name: 'Ada Example', phones: ['+1 555 0100'], age: 29, safe: true, notes: null };

/** Flip one bit of a base64 field. */
const flip = (b64: string, byte = 0): string => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[byte] ^= 0x01;
  return bytes.toString('base64');
};

const failure = (fn: () => unknown): DecryptionFailed => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecryptionFailed) return error;
    throw error;
  }
  throw new Error('expected DecryptionFailed');
};

describe('the cipher envelope (AES-256-GCM)', () => {
  it('round-trips a JSON value and is itself plain JSON of the documented shape', () => {
    const envelope = sealCipher(key, kid, 'survivor-1', 'intake:identity', value);
    expect(Object.keys(envelope).sort()).toEqual(['ct', 'iv', 'kid', 'tag', 'v']);
    expect(envelope).toMatchObject({ v: 1, kid });
    expect(Buffer.from(envelope.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(envelope.tag, 'base64')).toHaveLength(16);
    const stored = JSON.parse(JSON.stringify(envelope)) as Cipher;
    expect(openCipher(key, 'survivor-1', 'intake:identity', stored)).toEqual(value);
    expect(JSON.stringify(envelope)).not.toContain('Ada');
  });

  it('round-trips strings, numbers and unicode', () => {
    for (const v of ['', 'Ωμέγα ✓', 0, [1, { a: 'b' }]]) {
      expect(openCipher(key, 's', 'c', sealCipher(key, kid, 's', 'c', v))).toEqual(v);
    }
    expect(() => sealCipher(key, kid, 's', 'c', undefined)).toThrow(TypeError);
  });

  it('uses a fresh IV each time: equal plaintexts give different ciphertexts', () => {
    const a = sealCipher(key, kid, 'survivor-1', 'intake:identity', value);
    const b = sealCipher(key, kid, 'survivor-1', 'intake:identity', value);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    const ivs = new Set(Array.from({ length: 200 }, () => sealCipher(key, kid, 's', 'c', 1).iv));
    expect(ivs.size).toBe(200);
  });

  it('is bound to its survivor and context: swapped ciphertexts do not open', () => {
    const envelope = sealCipher(key, kid, 'survivor-1', 'intake:identity', value);
    expect(failure(() => openCipher(key, 'survivor-2', 'intake:identity', envelope)).reason).toBe('not-authentic');
    expect(failure(() => openCipher(key, 'survivor-1', 'intake:health', envelope)).reason).toBe('not-authentic');
    // No ambiguity from concatenation: "a" + ":b" is not "a:" + "b".
    const tricky = sealCipher(key, kid, 'a', ':b', 1);
    expect(() => openCipher(key, 'a:', 'b', tricky)).toThrow(DecryptionFailed);
    // The key id is bound too.
    expect(() => openCipher(key, 'survivor-1', 'intake:identity', { ...envelope, kid: 'other' })).toThrow(
      DecryptionFailed,
    );
  });

  it('refuses a flipped bit anywhere in ct, tag or iv, a truncated tag, and the wrong key', () => {
    const envelope = sealCipher(key, kid, 'survivor-1', 'intake:identity', value);
    const ctBytes = Buffer.from(envelope.ct, 'base64').length;
    for (const byte of [0, Math.floor(ctBytes / 2), ctBytes - 1]) {
      expect(
        failure(() => openCipher(key, 'survivor-1', 'intake:identity', { ...envelope, ct: flip(envelope.ct, byte) }))
          .reason,
      ).toBe('not-authentic');
    }
    for (const byte of [0, 15]) {
      expect(
        failure(() => openCipher(key, 'survivor-1', 'intake:identity', { ...envelope, tag: flip(envelope.tag, byte) }))
          .reason,
      ).toBe('not-authentic');
    }
    expect(() => openCipher(key, 'survivor-1', 'intake:identity', { ...envelope, iv: flip(envelope.iv, 3) })).toThrow(
      DecryptionFailed,
    );
    const short = Buffer.from(envelope.tag, 'base64').subarray(0, 12).toString('base64');
    expect(failure(() => openCipher(key, 'survivor-1', 'intake:identity', { ...envelope, tag: short })).reason).toBe(
      'malformed',
    );
    expect(() => openCipher(randomBytes(32), 'survivor-1', 'intake:identity', envelope)).toThrow(DecryptionFailed);
  });

  it('refuses malformed envelopes without echoing anything', () => {
    const envelope = sealCipher(key, kid, 'survivor-1', 'intake:identity', value);
    for (const bad of [null, {}, { ...envelope, v: 2 }, { ...envelope, ct: 'not base64!' }, { ...envelope, kid: '' }]) {
      const error = failure(() => openCipher(key, 'survivor-1', 'intake:identity', bad as Cipher));
      expect(error.reason).toBe('malformed');
      expect(error.message).not.toContain('survivor-1');
    }
  });

  it('messages never carry the survivor, the context or the data', () => {
    const envelope = sealCipher(key, kid, 'survivor-1', 'intake:identity', value);
    const error = failure(() => openCipher(key, 'survivor-2', 'intake:identity', envelope));
    const said = `${error.message} ${JSON.stringify(error.details)} ${String(error)}`;
    for (const secret of ['survivor-1', 'survivor-2', 'intake:identity', 'Ada']) expect(said).not.toContain(secret);
    expect(error).toMatchObject({ kind: 'conflict', code: 'decryption-failed' });
  });

  it('wraps data keys bound to their survivor and key id', () => {
    const master = randomBytes(32);
    const dataKey = randomBytes(32);
    const wrapped = wrapKey(master, 'survivor-1', 'k1', dataKey);
    expect(wrapped).toHaveLength(60);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(unwrapKey(master, 'survivor-1', 'k1', wrapped).equals(dataKey)).toBe(true);
    expect(() => unwrapKey(master, 'survivor-2', 'k1', wrapped)).toThrow(DecryptionFailed);
    expect(() => unwrapKey(master, 'survivor-1', 'k2', wrapped)).toThrow(DecryptionFailed);
    expect(() => unwrapKey(randomBytes(32), 'survivor-1', 'k1', wrapped)).toThrow(DecryptionFailed);
    expect(() => unwrapKey(master, 'survivor-1', 'k1', Buffer.alloc(60))).toThrow(DecryptionFailed);
  });
});
