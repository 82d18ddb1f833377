import { createHash } from 'node:crypto';

/**
 * Merkle tree hash as in RFC 6962 (Certificate Transparency), section 2.1, over SHA-256:
 *   MTH({})   = SHA-256()
 *   MTH({d})  = SHA-256(0x00 ‖ d)
 *   MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])), k the largest power of two < n.
 * Leaves and nodes are domain-separated, so a leaf can never pass for an inner node. Anyone can
 * recompute it with any SHA-256 (see docs/audit.md, "Checking the log from outside").
 */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  let level = leaves.map((d) => createHash('sha256').update(Buffer.of(0)).update(d).digest());
  // Bottom-up pairing gives the same root as the recursive split when an odd last node is
  // carried up unchanged (RFC 6962's tree is left-balanced).
  while (level.length > 1) {
    const next: typeof level = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      next.push(
        createHash('sha256')
          .update(Buffer.of(1))
          .update(level[i])
          .update(level[i + 1])
          .digest(),
      );
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}
