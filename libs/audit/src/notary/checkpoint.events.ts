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
  /** Ed25519 over `signedBytes(checkpoint)`, base64. */
  signature: string;
}

/** Exactly what is signed: the RFC 8785 canonical JSON of every field but the signature. */
export function signedBytes(c: Omit<CheckpointV1, 'signature'>): Buffer {
  const { sequence, fromPosition, toPosition, eventCount, merkleRoot, previousSignature, keyId, algorithm, signedAt } =
    c;
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
    })!,
    'utf8',
  );
}
