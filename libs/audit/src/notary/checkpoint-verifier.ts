import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { CHECKPOINT_SIGNED, type CheckpointV1, NOTARY_STREAM, signedBytes } from './checkpoint.events.js';
import { merkleRoot } from './merkle.js';
import { notaryKeyId } from './notary-key.js';
import { trustedEraKeys } from './key-chain.js';

export type CheckpointProblem =
  | 'signature-invalid'
  | 'unknown-key'
  | 'sequence-broken'
  | 'range-gap'
  | 'previous-signature-mismatch'
  | 'event-count-mismatch'
  | 'merkle-root-mismatch'
  | 'handover-invalid'
  | 'anchor-missing';

export interface CheckpointFinding {
  problem: CheckpointProblem;
  sequence: number;
  fromPosition: string;
  toPosition: string;
  explanation: string;
}

export interface CheckpointReport {
  ok: boolean;
  checkpointsChecked: number;
  eventsCovered: number;
  /** Highest position any verified checkpoint covers ('0' when none). */
  coveredTo: string;
  /** The key verified against (this deployment's, or the one given). */
  keyId: string | null;
  /** Every notary key the checkpoints were signed with, oldest first, as the hand-overs link them. */
  keyIds: string[];
  firstBad: CheckpointFinding | null;
  findings: CheckpointFinding[];
}

const EXPLAIN: Record<CheckpointProblem, string> = {
  'signature-invalid': 'the checkpoint was altered or not signed by the notary key',
  'unknown-key': 'the checkpoint names a key other than the notary key being verified against',
  'sequence-broken': 'a checkpoint is missing or out of sequence',
  'range-gap': 'the checkpoint does not start where the previous one ended',
  'previous-signature-mismatch': 'the checkpoint does not link to the previous checkpoint',
  'event-count-mismatch': 'events in this range were removed or added since it was signed',
  'merkle-root-mismatch': 'events in this range were altered, reordered or replaced since it was signed',
  'handover-invalid': 'the key hand-over is not signed by the incoming key, or names a public key that does not match',
  'anchor-missing': 'a checkpoint held outside (the anchor) is not in the log: the log was truncated or rewritten',
};

/**
 * Recomputes every signed checkpoint from the rows: the chain of checkpoints (sequence, ranges,
 * previous signatures), each Ed25519 signature, and each range's event count and Merkle root.
 * Signatures are checked against `publicKey` and the keys it is linked to by signed hand-overs
 * (key-chain.ts): each checkpoint must be signed by the key of its era. `anchor`, a checkpoint
 * an outside party kept, must be found in the log as is. `pool` may be a client inside a
 * transaction (an import being verified before it commits).
 */
export async function verifyCheckpoints(
  pool: Pool | PoolClient,
  publicKey: KeyObject | null,
  anchor?: CheckpointV1 | null,
): Promise<CheckpointReport> {
  const keyId = publicKey ? notaryKeyId(publicKey) : null;
  const { rows } = await pool.query<{ data: CheckpointV1 }>(
    'SELECT data FROM harbour_events WHERE stream_id = $1 AND type = $2 ORDER BY stream_version',
    [NOTARY_STREAM, CHECKPOINT_SIGNED],
  );
  const findings: CheckpointFinding[] = [];
  const report = (problem: CheckpointProblem, c: Pick<CheckpointV1, 'sequence' | 'fromPosition' | 'toPosition'>) =>
    findings.push({
      problem,
      sequence: c.sequence,
      fromPosition: c.fromPosition,
      toPosition: c.toPosition,
      explanation: EXPLAIN[problem],
    });

  const checkpoints = rows.map((r) => r.data);
  const eras = trustedEraKeys(checkpoints, publicKey);
  let era = 0;
  let previous: CheckpointV1 | null = null;
  let eventsCovered = 0;
  for (const c of checkpoints) {
    const { signature, ...unsigned } = c;
    const expected = eras[era];
    if (!expected?.publicKey || c.keyId !== expected.keyId) report('unknown-key', c);
    else if (!verify(null, signedBytes(unsigned), expected.publicKey, Buffer.from(signature, 'base64')))
      report('signature-invalid', c);
    else if (c.handOver && !handOverHolds(c)) report('handover-invalid', c);
    if (c.handOver) era++;
    if (c.sequence !== (previous?.sequence ?? 0) + 1) report('sequence-broken', c);
    else if (c.fromPosition !== (previous?.toPosition ?? '0')) report('range-gap', c);
    else if (c.previousSignature !== (previous?.signature ?? null)) report('previous-signature-mismatch', c);
    const { rows: events } = await pool.query<{ hash: Buffer }>(
      'SELECT hash FROM harbour_events WHERE global_position > $1 AND global_position <= $2 ORDER BY global_position',
      [c.fromPosition, c.toPosition],
    );
    if (events.length !== c.eventCount) report('event-count-mismatch', c);
    else if (merkleRoot(events.map((e) => e.hash)).toString('hex') !== c.merkleRoot) report('merkle-root-mismatch', c);
    eventsCovered += events.length;
    previous = c;
  }
  if (anchor && !rows.some((r) => r.data.sequence === anchor.sequence && r.data.signature === anchor.signature))
    report('anchor-missing', anchor);
  return {
    ok: findings.length === 0,
    checkpointsChecked: rows.length,
    eventsCovered,
    coveredTo: previous?.toPosition ?? '0',
    keyId,
    keyIds: eras.map((e) => e.keyId),
    firstBad: findings[0] ?? null,
    findings,
  };
}

/** The incoming key signed the same bytes, and each named public key has its stated id. */
function handOverHolds(c: CheckpointV1): boolean {
  const h = c.handOver!;
  try {
    const own = createPublicKey({ key: Buffer.from(h.publicKey, 'base64'), format: 'der', type: 'spki' });
    const next = createPublicKey({ key: Buffer.from(h.nextPublicKey, 'base64'), format: 'der', type: 'spki' });
    if (notaryKeyId(own) !== c.keyId || notaryKeyId(next) !== h.nextKeyId) return false;
    const { signature: _signature, ...unsigned } = c;
    return verify(null, signedBytes(unsigned), next, Buffer.from(h.nextSignature, 'base64'));
  } catch {
    return false;
  }
}
