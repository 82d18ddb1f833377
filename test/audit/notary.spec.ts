import { createHash, createPublicKey, generateKeyPairSync, verify as verifySignature } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import type { Pool } from 'pg';
import { AuditIntegrity, type CheckpointV1, merkleRoot, Notary } from '@harbour/audit';
import { chainHash, contentHash, GENESIS_HASH } from '@harbour/event-store';
import { harbour } from '../support/cli.js';
import { eventually, startStoreContext, testActor } from '../support/store-context.js';

const keyBase64 = () =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');

/** RFC 6962's definition, written recursively: the reference the notary's tree must match. */
function rfc6962(leaves: Buffer[]): Buffer {
  const h = (...parts: Buffer[]): Buffer => parts.reduce((hash, p) => hash.update(p), createHash('sha256')).digest();
  if (leaves.length === 0) return h();
  if (leaves.length === 1) return h(Buffer.of(0), leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return h(Buffer.of(1), rfc6962(leaves.slice(0, k)), rfc6962(leaves.slice(k)));
}

/**
 * Until every event written so far is below the readers' bound (no transaction older than them
 * still running anywhere on the shared test server), so a seal covers all of them.
 */
async function allVisible(pool: Pool) {
  await eventually(async () => {
    const {
      rows: [r],
    } = await pool.query(
      'SELECT (SELECT max(global_position) FROM harbour_events) < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20) AS ok',
    );
    expect(r.ok).toBe(true);
  });
}

/** A log with two signed checkpoints: cp1 over streams a and b, cp2 over later events of a and c. */
async function sealedLog(env: Record<string, string> = {}) {
  const ctx = await startStoreContext({
    providers: [Notary, AuditIntegrity],
    env: { HARBOUR_PROJECTIONS: 'false', HARBOUR_NOTARY_KEY: keyBase64(), ...env },
  });
  const e = (n: number) => ({ type: 'TallyIncremented', data: { by: n } });
  await ctx.store.append('tally-a', 'no-stream', [e(1), e(2), e(3)], { actor: testActor });
  await ctx.store.append('tally-b', 'no-stream', [e(4), e(5)], { actor: testActor });
  await allVisible(ctx.pool);
  const cp1 = (await ctx.app.get(Notary).seal())!;
  await ctx.store.append('tally-a', 2, [e(6)], { actor: testActor });
  await ctx.store.append('tally-c', 'no-stream', [e(7), e(8), e(9)], { actor: testActor });
  await allVisible(ctx.pool);
  const cp2 = (await ctx.app.get(Notary).seal())!;
  return { ctx, cp1, cp2, verify: (anchor?: CheckpointV1) => ctx.app.get(AuditIntegrity).verify({ anchor }) };
}

/** As a database owner could: with the append-only trigger off for this session. */
async function tamper(pool: Pool, ...statements: Array<[string, unknown[]?]>) {
  const client = await pool.connect();
  try {
    await client.query('SET session_replication_role = replica');
    for (const [sql, params] of statements) await client.query(sql, params ?? []);
  } finally {
    await client.query('RESET session_replication_role');
    client.release();
  }
}

/** Recompute a stream's content hashes and chain from its (tampered) rows: a careful forger. */
async function rechain(pool: Pool, streamId: string) {
  const { rows } = await pool.query(
    'SELECT global_position::text AS p, stream_version::int AS v, event_id::text AS id, type, schema_version, data, metadata FROM harbour_events WHERE stream_id = $1 ORDER BY stream_version',
    [streamId],
  );
  let prev: Buffer = GENESIS_HASH;
  const statements: Array<[string, unknown[]]> = [];
  for (const r of rows) {
    const content = contentHash({
      eventId: r.id,
      type: r.type,
      schemaVersion: r.schema_version,
      data: r.data,
      metadata: r.metadata,
    });
    const hash = chainHash(prev, content, r.v, BigInt(r.p), streamId);
    statements.push([
      'UPDATE harbour_events SET content_hash = $2, prev_hash = $3, hash = $4 WHERE global_position = $1',
      [r.p, content, prev, hash],
    ]);
    prev = hash;
  }
  statements.push([
    'UPDATE harbour_streams SET version = $2, last_hash = $3 WHERE stream_id = $1',
    [streamId, rows.length - 1, prev],
  ]);
  await tamper(pool, ...statements);
}
const positionOf = async (pool: Pool, streamId: string, version: number) =>
  (
    await pool.query(
      'SELECT global_position::text AS p FROM harbour_events WHERE stream_id = $1 AND stream_version = $2',
      [streamId, version],
    )
  ).rows[0].p as string;

describe('integrity notary: signed checkpoints (Ed25519, RFC 6962 Merkle roots)', () => {
  it('builds the Merkle root exactly as RFC 6962 defines it', () => {
    for (let n = 0; n <= 33; n++) {
      const leaves = Array.from({ length: n }, (_, i) => createHash('sha256').update(`leaf-${i}`).digest());
      expect(merkleRoot(leaves).toString('hex')).toBe(rfc6962(leaves).toString('hex'));
    }
  });

  it('signs contiguous, linked checkpoints that an outside party can check with the public key alone', async () => {
    const { ctx, cp1, cp2, verify } = await sealedLog();
    try {
      expect(cp1).toMatchObject({
        sequence: 1,
        fromPosition: '0',
        eventCount: 5,
        previousSignature: null,
        algorithm: 'Ed25519',
      });
      // cp1's own event is covered by cp2, which links to cp1's signature.
      expect(cp2).toMatchObject({
        sequence: 2,
        fromPosition: cp1.toPosition,
        eventCount: 5,
        previousSignature: cp1.signature,
      });
      await allVisible(ctx.pool);
      expect(await ctx.app.get(Notary).seal()).toBeNull(); // only a checkpoint is new: nothing to vouch for
      expect(await verify(cp2)).toMatchObject({
        ok: true,
        firstBad: null,
        checkpoints: { ok: true, checkpointsChecked: 2, eventsCovered: 10, coveredTo: cp2.toPosition },
      });

      // The outside party's recipe (docs/audit.md): public key, canonical JSON, the rows' hashes.
      const exported = (await ctx.app.get(Notary).keyPair()).exportPublic();
      const publicKey = createPublicKey(exported.publicKeyPem);
      for (const cp of [cp1, cp2]) {
        const { signature, ...signed } = cp;
        expect(
          verifySignature(null, Buffer.from(canonicalize(signed)!), publicKey, Buffer.from(signature, 'base64')),
        ).toBe(true);
        const { rows } = await ctx.pool.query(
          'SELECT hash FROM harbour_events WHERE global_position > $1 AND global_position <= $2 ORDER BY global_position',
          [cp.fromPosition, cp.toPosition],
        );
        expect(rfc6962(rows.map((r) => r.hash)).toString('hex')).toBe(cp.merkleRoot);
      }
      expect(JSON.stringify(exported)).not.toMatch(/PRIVATE/);
    } finally {
      await ctx.close();
    }
  });

  it('seals on its own every N events', async () => {
    const ctx = await startStoreContext({
      providers: [Notary, AuditIntegrity],
      env: { HARBOUR_NOTARY_KEY: keyBase64(), HARBOUR_NOTARY_EVERY_EVENTS: '3', HARBOUR_NOTARY_EVERY_SECONDS: '3600' },
    });
    try {
      await ctx.store.append(
        'tally-n',
        'no-stream',
        [1, 2, 3, 4].map((by) => ({ type: 'TallyIncremented', data: { by } })),
        { actor: testActor },
      );
      const cp = await eventually(async () => {
        const { rows } = await ctx.pool.query("SELECT data FROM harbour_events WHERE stream_id = 'notary-checkpoints'");
        expect(rows).toHaveLength(1);
        return rows[0].data as CheckpointV1;
      });
      expect(cp.eventCount).toBe(4);
    } finally {
      await ctx.close();
    }
  });

  describe('tampering is detected', () => {
    it('edit: a changed payload is named by the chain; a careful forger who re-hashes the chain is caught by the checkpoint', async () => {
      const { ctx, verify } = await sealedLog();
      try {
        const position = await positionOf(ctx.pool, 'tally-b', 1);
        await tamper(ctx.pool, [
          'UPDATE harbour_events SET data = \'{"by": 500}\' WHERE global_position = $1',
          [position],
        ]);
        expect((await verify()).firstBad).toMatchObject({
          kind: 'event',
          problem: 'content-altered',
          globalPosition: position,
        });
        await rechain(ctx.pool, 'tally-b');
        const report = await verify();
        expect(report.findings).toEqual([]); // the chains alone no longer see it…
        expect(report).toMatchObject({
          ok: false,
          firstBad: { kind: 'checkpoint', problem: 'merkle-root-mismatch', sequence: 1 },
        }); // …the signed root does
      } finally {
        await ctx.close();
      }
    });

    it('delete: a removed event breaks its chain and its checkpoint count', async () => {
      const { ctx, verify } = await sealedLog();
      try {
        const position = await positionOf(ctx.pool, 'tally-a', 1);
        await tamper(ctx.pool, ['DELETE FROM harbour_events WHERE global_position = $1', [position]]);
        const report = await verify();
        expect(report.firstBad).toMatchObject({ kind: 'event', problem: 'event-missing', streamId: 'tally-a' });
        expect(report.checkpoints.findings).toEqual([
          expect.objectContaining({ problem: 'event-count-mismatch', sequence: 1 }),
        ]);
        // Even with the chain re-hashed to hide the gap, the checkpoint still counts one short.
        await tamper(ctx.pool, [
          'UPDATE harbour_events SET stream_version = stream_version - 1 WHERE stream_id = $1 AND stream_version > 1',
          ['tally-a'],
        ]);
        await rechain(ctx.pool, 'tally-a');
        expect(await verify()).toMatchObject({
          ok: false,
          findings: [],
          firstBad: { kind: 'checkpoint', problem: 'event-count-mismatch', sequence: 1 },
        });
      } finally {
        await ctx.close();
      }
    });

    it('reorder: swapping two events in the log is detected by the chain and by the checkpoint root', async () => {
      const { ctx, verify } = await sealedLog();
      try {
        // The last of a and the first of b trade places: each stream stays in its own order.
        const [p, q] = [await positionOf(ctx.pool, 'tally-a', 2), await positionOf(ctx.pool, 'tally-b', 0)];
        await tamper(
          ctx.pool,
          ['UPDATE harbour_events SET global_position = -1 WHERE global_position = $1', [p]],
          ['UPDATE harbour_events SET global_position = $1 WHERE global_position = $2', [p, q]],
          ['UPDATE harbour_events SET global_position = $1 WHERE global_position = -1', [q]],
        );
        const report = await verify();
        expect(report.ok).toBe(false);
        expect(report.firstBad).toMatchObject({ kind: 'event' });
        expect(report.checkpoints.findings).toEqual([
          expect.objectContaining({ problem: 'merkle-root-mismatch', sequence: 1 }),
        ]);
        await rechain(ctx.pool, 'tally-a');
        await rechain(ctx.pool, 'tally-b');
        expect(await verify()).toMatchObject({
          ok: false,
          findings: [],
          firstBad: { kind: 'checkpoint', problem: 'merkle-root-mismatch', sequence: 1 },
        });
      } finally {
        await ctx.close();
      }
    });

    it('truncate: the tail cut after a checkpoint is caught by the stream tails, and by an anchor kept outside even when the tails are forged', async () => {
      const { ctx, cp1, cp2, verify } = await sealedLog();
      try {
        await tamper(ctx.pool, ['DELETE FROM harbour_events WHERE global_position > $1', [cp1.toPosition]]);
        expect((await verify()).firstBad).toMatchObject({ kind: 'event', problem: 'stream-tail-missing' });
        // The forger also rewrites the stream table: the log looks whole and ends at cp1's range…
        await tamper(ctx.pool, ["DELETE FROM harbour_streams WHERE stream_id IN ('tally-c', 'notary-checkpoints')"]);
        await rechain(ctx.pool, 'tally-a');
        expect((await verify()).ok).toBe(true);
        // …but the auditor who kept the latest checkpoint finds it gone.
        expect(await verify(cp2)).toMatchObject({
          ok: false,
          firstBad: { kind: 'checkpoint', problem: 'anchor-missing', sequence: 2 },
        });
      } finally {
        await ctx.close();
      }
    });

    it('truncate inside a sealed range: the checkpoint counts the missing events', async () => {
      const { ctx, verify } = await sealedLog();
      try {
        await tamper(ctx.pool, ["DELETE FROM harbour_events WHERE stream_id = 'tally-c' AND stream_version >= 1"]);
        await rechain(ctx.pool, 'tally-c');
        expect(await verify()).toMatchObject({
          ok: false,
          findings: [],
          firstBad: { kind: 'checkpoint', problem: 'event-count-mismatch', sequence: 2 },
        });
      } finally {
        await ctx.close();
      }
    });

    it('a checkpoint altered or re-signed with another key fails its signature check', async () => {
      const { ctx, cp1, verify } = await sealedLog();
      try {
        // Against an outside party's copy of another key: every checkpoint is unknown to it.
        const other = createPublicKey(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
        const report = await ctx.app
          .get(AuditIntegrity)
          .verify({ publicKeyPem: other.export({ type: 'spki', format: 'pem' }).toString() });
        expect(report.firstBad).toMatchObject({ kind: 'checkpoint', problem: 'unknown-key', sequence: 1 });
        // A forged root in the checkpoint, chain re-hashed: the signature no longer matches.
        const position = await positionOf(ctx.pool, 'notary-checkpoints', 0);
        await tamper(ctx.pool, [
          "UPDATE harbour_events SET data = jsonb_set(data, '{merkleRoot}', to_jsonb($2::text)) WHERE global_position = $1",
          [position, '0'.repeat(64)],
        ]);
        await rechain(ctx.pool, 'notary-checkpoints');
        expect((await verify()).firstBad).toMatchObject({
          kind: 'checkpoint',
          problem: 'signature-invalid',
          sequence: 1,
        });
        expect(cp1.merkleRoot).not.toBe('0'.repeat(64));
      } finally {
        await ctx.close();
      }
    });
  });

  it('the CLI seals, exports the public key and verifies against it; exit 2 names the bad checkpoint', async () => {
    const { ctx } = await sealedLog();
    const dir = await mkdtemp(join(tmpdir(), 'harbour-notary-'));
    try {
      // A different deployment key than the one that sealed: the CLI must be told the right one.
      const env = {
        DATABASE_URL: ctx.database.url,
        HARBOUR_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
        HARBOUR_NOTARY_KEY: keyBase64(),
        HARBOUR_DATA_DIR: dir,
      };
      const exported = (await ctx.app.get(Notary).keyPair()).exportPublic();
      await writeFile(join(dir, 'notary.pem'), exported.publicKeyPem);
      const wrongKey = await harbour(['verify'], env);
      expect(wrongKey.code).toBe(2);
      expect(wrongKey.stderr).toMatch(/first bad checkpoint #1 .*unknown-key/);
      const ok = await harbour(['verify', '--public-key', join(dir, 'notary.pem')], env);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, checkpoints: { checkpointsChecked: 2 } });
      const key = await harbour(['notary', 'public-key'], env);
      expect(key.code).toBe(0);
      expect(JSON.parse(key.stdout)).toMatchObject({
        algorithm: 'Ed25519',
        publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY'),
      });
      const tail = await positionOf(ctx.pool, 'tally-c', 2);
      await tamper(ctx.pool, ['DELETE FROM harbour_events WHERE global_position = $1', [tail]]);
      await rechain(ctx.pool, 'tally-c');
      const bad = await harbour(['verify', '--public-key', join(dir, 'notary.pem')], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/first bad checkpoint #2 \(positions \d+\.\.\d+\): event-count-mismatch/);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await ctx.close();
    }
  });
});
