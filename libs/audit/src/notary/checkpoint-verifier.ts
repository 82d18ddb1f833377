import { type KeyObject, verify } from 'node:crypto';
import type { Pool } from 'pg';
import { CHECKPOINT_SIGNED, type CheckpointV1, NOTARY_STREAM, signedBytes } from './checkpoint.events.js';
import { merkleRoot } from './merkle.js';
import { notaryKeyId } from './notary-key.js';

export type CheckpointProblem =
  | 'signature-invalid'
  | 'unknown-key'
  | 'sequence-broken'
  | 'range-gap'
  | 'previous-signature-mismatch'
  | 'event-count-mismatch'
  | 'merkle-root-mismatch'
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
  keyId: string | null;
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
  'anchor-missing': 'a checkpoint held outside (the anchor) is not in the log: the log was truncated or rewritten',
};

/**
 * Recomputes every signed checkpoint from the rows: the chain of checkpoints (sequence, ranges,
 * previous signatures), each Ed25519 signature against `publicKey`, and each range's event count
 * and Merkle root. `anchor`, a checkpoint an outside party kept, must be found in the log as is.
 */
export async function verifyCheckpoints(
  pool: Pool,
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

  let previous: CheckpointV1 | null = null;
  let eventsCovered = 0;
  for (const c of rows.map((r) => r.data)) {
    const { signature, ...unsigned } = c;
    if (!publicKey || c.keyId !== keyId) report('unknown-key', c);
    else if (!verify(null, signedBytes(unsigned), publicKey, Buffer.from(signature, 'base64')))
      report('signature-invalid', c);
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
    firstBad: findings[0] ?? null,
    findings,
  };
}
