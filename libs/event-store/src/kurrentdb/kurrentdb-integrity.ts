import { START, eventTypeFilter } from '@kurrent/kurrentdb-client';
import { GENESIS_HASH, chainHash, contentHash } from '../hashing.js';
import type { IntegrityFinding, IntegrityProblem, IntegrityReport } from '../postgres/integrity.js';
import type { KurrentEventStore } from './kurrentdb-event-store.js';
import { CHAIN_POSITION, decodeMetadata, encodePosition, eventTypeRegex } from './mapping.js';

const EXPLAIN: Record<IntegrityProblem, string> = {
  'content-altered': 'the event no longer matches its content hash (or carries no Harbour chain fields)',
  'hash-altered': 'the stored chain hash does not match a recomputation',
  'chain-broken': 'the event does not link to the previous event of its stream',
  'event-missing': 'one or more events before this one are missing from the stream',
  'out-of-order': 'the event is positioned before an earlier event of its stream',
  'stream-tail-missing': 'events after this one were removed from the end of the stream',
};

/**
 * Recomputes every stream's chain from $all alone (metadata fields, see mapping.ts) and names
 * the first bad event in log order. KurrentDB events are immutable through its API, so what
 * this catches is what its API allows: events appended around Harbour (a forged or copied
 * event, an event without chain fields), streams truncated or deleted and re-created
 * (a version gap or a chain restarting). Memory: one hash per stream.
 */
export async function verifyKurrentLog(
  store: KurrentEventStore,
  options: { maxFindings?: number } = {},
): Promise<IntegrityReport> {
  const maxFindings = options.maxFindings ?? 100;
  const findings: IntegrityFinding[] = [];
  const streams = new Map<string, { version: number; hash: Buffer }>();
  let eventsChecked = 0;
  for await (const resolved of store.client.readAll({
    fromPosition: START,
    filter: eventTypeFilter({ regex: eventTypeRegex() }),
  })) {
    const e = resolved.event;
    if (!e) continue;
    eventsChecked++;
    const position = encodePosition(e.position);
    const version = Number(e.revision);
    const report = (problem: IntegrityProblem) => {
      if (findings.length < maxFindings)
        findings.push({
          problem,
          globalPosition: position.toString(),
          streamId: e.streamId,
          streamVersion: version,
          eventId: e.id,
          explanation: EXPLAIN[problem],
        });
    };
    const current = streams.get(e.streamId) ?? { version: -1, hash: GENESIS_HASH };
    const fields = decodeMetadata(e.metadata);
    if (!fields) {
      report('content-altered');
      streams.set(e.streamId, { version, hash: GENESIS_HASH });
      continue;
    }
    const content = contentHash({
      eventId: e.id,
      type: e.type,
      schemaVersion: fields.schemaVersion,
      data: e.data,
      metadata: fields.metadata,
    });
    if (!content.equals(fields.contentHash)) report('content-altered');
    else if (version <= current.version) report('out-of-order');
    else if (version !== current.version + 1) report('event-missing');
    else if (!fields.prevHash.equals(current.hash)) report('chain-broken');
    else if (!chainHash(fields.prevHash, fields.contentHash, version, CHAIN_POSITION, e.streamId).equals(fields.hash))
      report('hash-altered');
    streams.set(e.streamId, { version, hash: fields.hash });
  }
  return {
    ok: findings.length === 0,
    eventsChecked,
    streamsChecked: streams.size,
    firstBad: findings[0] ?? null,
    findings,
  };
}
