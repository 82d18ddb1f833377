import canonicalize from 'canonicalize';

/** The notary's own stream: one signed checkpoint per event, each linked to the one before. */
export const NOTARY_STREAM = 'notary-checkpoints';
export const CHECKPOINT_SIGNED = 'IntegrityCheckpointSigned';

/**
 * Payload of `IntegrityCheckpointSigned` v1: the notary vouches for the events with global
 * positions in (fromPosition, toPosition] — their number and the Merkle root over their chain
 * hashes in position order — and for the previous checkpoint (its signature).
 */
export interface CheckpointV1 {
  sequence: number;
  fromPosition: string;
  toPosition: string;
  eventCount: number;
  /** RFC 6962 Merkle tree hash over the events' `hash` column, hex. */
  merkleRoot: string;
  /** Signature of the previous checkpoint (base64), null for the first. */
  previousSignature: string | null;
  keyId: string;
  algorithm: 'Ed25519';
  signedAt: string;
  /**
   * Only on a key hand-over (`harbour keys rotate-notary`): the last checkpoint of the signing
   * key names its successor, and the successor signs it too. Anyone trusting either key can then
   * trust the other, so old checkpoints keep verifying under their own (old) key.
   */
  handOver?: NotaryHandOver;
  /** Ed25519 over `signedBytes(checkpoint)`, base64. */
  signature: string;
}

export interface NotaryHandOver {
  /** The signing (outgoing) key's public key, SPKI DER in base64; its id is `keyId`. */
  publicKey: string;
  /** The incoming key: every later checkpoint is signed by it. */
  nextKeyId: string;
  nextPublicKey: string;
  /** The incoming key's Ed25519 signature over the same `signedBytes`, base64 (not itself signed). */
  nextSignature: string;
}

/**
 * Exactly what is signed: the RFC 8785 canonical JSON of every field but the signatures. A
 * checkpoint without a hand-over signs the same bytes as before hand-overs existed.
 */
export function signedBytes(
  c: Omit<CheckpointV1, 'signature' | 'handOver'> & { handOver?: Partial<NotaryHandOver> },
): Buffer {
  const { sequence, fromPosition, toPosition, eventCount, merkleRoot, previousSignature, keyId, algorithm, signedAt } =
    c;
  const handOver = c.handOver
    ? { publicKey: c.handOver.publicKey, nextKeyId: c.handOver.nextKeyId, nextPublicKey: c.handOver.nextPublicKey }
    : undefined;
  return Buffer.from(
    canonicalize({
      sequence,
      fromPosition,
      toPosition,
      eventCount,
      merkleRoot,
      previousSignature,
      keyId,
      algorithm,
      signedAt,
      ...(handOver ? { handOver } : {}),
    })!,
    'utf8',
  );
}
