import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { type CheckpointV1, signedBytes } from './checkpoint.events.js';
import { notaryKeyId } from './notary-key.js';

/** The key of one era of checkpoints (from the first, or a hand-over, to the next hand-over). */
export interface EraKey {
  keyId: string;
  /** Null when no signed link leads to this key from the key being trusted. */
  publicKey: KeyObject | null;
}

const spki = (base64: string): KeyObject | null => {
  try {
    return createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
};

/**
 * Which key signs each era, and which of them can be trusted starting from `trusted` (the key
 * the verifier was given). A hand-over is signed by both the outgoing and the incoming key, so
 * trust runs forwards (the old key vouched for the new one) and backwards (the new key vouched
 * for the old one): an auditor holding the old public key and this deployment holding the new
 * one reach the same verdict. A link whose signature fails breaks the chain at that point.
 */
export function trustedEraKeys(checkpoints: readonly CheckpointV1[], trusted: KeyObject | null): EraKey[] {
  const handOvers = checkpoints.filter((c) => c.handOver);
  if (checkpoints.length === 0) return trusted ? [{ keyId: notaryKeyId(trusted), publicKey: trusted }] : [];
  const eras = [{ keyId: checkpoints[0].keyId }, ...handOvers.map((h) => ({ keyId: h.handOver!.nextKeyId }))];
  const keys: Array<KeyObject | null> = eras.map(() => null);
  const start = trusted ? eras.findIndex((e) => e.keyId === notaryKeyId(trusted)) : -1;
  if (start < 0) return eras.map((e) => ({ keyId: e.keyId, publicKey: null }));
  keys[start] = trusted;
  const signs = (c: CheckpointV1, key: KeyObject, signature: string) => {
    const { signature: _own, ...unsigned } = c;
    try {
      return verify(null, signedBytes(unsigned), key, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  };
  // Forwards: hand-over i is signed by era i's key and names era i+1's.
  for (let i = start; i < handOvers.length; i++) {
    const h = handOvers[i];
    const next = spki(h.handOver!.nextPublicKey);
    if (!keys[i] || h.keyId !== eras[i].keyId || !signs(h, keys[i]!, h.signature) || !next) break;
    if (notaryKeyId(next) !== eras[i + 1].keyId) break;
    keys[i + 1] = next;
  }
  // Backwards: hand-over i is also signed by era i+1's key and names era i's public key.
  for (let i = start - 1; i >= 0; i--) {
    const h = handOvers[i];
    const own = spki(h.handOver!.publicKey);
    if (!keys[i + 1] || !signs(h, keys[i + 1]!, h.handOver!.nextSignature) || !own) break;
    if (notaryKeyId(own) !== eras[i].keyId) break;
    keys[i] = own;
  }
  return eras.map((e, i) => ({ keyId: e.keyId, publicKey: keys[i] }));
}
