import { sign } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@harbour/database';
import { ConcurrencyConflict, CurrentState, EventStore } from '@harbour/event-store';
import { CLOCK, type Clock, HarbourConfig, type PeriodicJob, PeriodicJobs, systemActor } from '@harbour/kernel';
import { CHECKPOINT_SIGNED, type CheckpointV1, NOTARY_STREAM, signedBytes } from './checkpoint.events.js';
import { merkleRoot } from './merkle.js';
import { type NotaryKey, resolveNotaryKey } from './notary-key.js';

/** Most events one checkpoint covers (a long outage catches up over several). */
const MAX_RANGE = 1_000_000;
const ACTOR = systemActor('notary');

interface Last {
  sequence: number;
  toPosition: string;
  signature: string | null;
  /** The key the last hand-over named: only it may sign from then on. */
  handedTo: string | null;
}
const lastFold = {
  initialState: (): Last => ({ sequence: 0, toPosition: '0', signature: null, handedTo: null }),
  evolve: (last: Last, e: { type: string; data: unknown }): Last => {
    const c = e.data as CheckpointV1;
    return {
      sequence: c.sequence,
      toPosition: c.toPosition,
      signature: c.signature,
      handedTo: c.handOver?.nextKeyId ?? last.handedTo,
    };
  },
};

/** Refusals of a hand-over; fixed texts that name only key ids. */
export class NotaryHandOverRefused extends Error {}

/**
 * The integrity notary: every N events or T seconds (HARBOUR_NOTARY_EVERY_EVENTS /
 * _EVERY_SECONDS) it signs a checkpoint over the events since the last one — their count and
 * the Merkle root of their chain hashes — and appends it to its own stream. It only covers
 * positions every reader may already see (below the oldest running transaction), so nothing
 * committed later can land inside a sealed range. Its check runs as the `notary` job (where
 * projections run); two replicas cannot both seal the same range (expected version on the
 * notary stream).
 */
@Injectable()
export class Notary implements OnApplicationBootstrap {
  private readonly logger = new Logger('Notary');
  private readonly job: PeriodicJob;
  private key: Promise<NotaryKey> | null = null;
  private lastSealAt = Date.now();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly current: CurrentState,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HarbourConfig) private readonly config: HarbourConfig,
    jobs: PeriodicJobs,
  ) {
    // Checks often (at most every second) whether a checkpoint is due by count or by time.
    const everyMs = Math.min(1000, config.HARBOUR_NOTARY_EVERY_SECONDS * 1000);
    this.job = jobs.define({ name: 'notary', firstRunAfterMs: everyMs, everyMs, run: () => this.tick() });
  }

  /** The key (resolved once: configured, or local in development; ConfigError otherwise). */
  keyPair(): Promise<NotaryKey> {
    this.key ??= resolveNotaryKey(this.config, (m) => this.logger.warn(m));
    return this.key;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Where the notary runs, fail fast at boot when production has no key.
    if (this.config.HARBOUR_PROJECTIONS) await this.keyPair();
  }

  private async tick(): Promise<void> {
    const { state } = await this.current.load(NOTARY_STREAM, lastFold);
    const waiting = await this.pending(state.toPosition, this.config.HARBOUR_NOTARY_EVERY_EVENTS);
    const due = Date.now() - this.lastSealAt >= this.config.HARBOUR_NOTARY_EVERY_SECONDS * 1000;
    if (waiting >= this.config.HARBOUR_NOTARY_EVERY_EVENTS || (waiting > 0 && due)) await this.sealOnce();
  }

  /** Events after `from` that a checkpoint would cover (the notary's own events do not call for one), capped. */
  private async pending(from: string, cap: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM harbour_events WHERE global_position > $1 AND stream_id <> $2
         AND global_position < harbour_visible_bound() LIMIT $3) t`,
      [from, NOTARY_STREAM, cap],
    );
    return rows[0].n;
  }

  /**
   * Sign a checkpoint over everything since the last one now (null when nothing but checkpoints
   * is new); in the job's queue, so never at the same time as a scheduled check.
   */
  seal(): Promise<CheckpointV1 | null> {
    return this.job.exclusive(() => this.sealOnce());
  }

  /**
   * Hand the notary over to `next` (`harbour keys rotate-notary`): one last checkpoint signed
   * by the current key over everything not yet covered (possibly nothing), naming `next` and
   * signed by it as well. From then on only `next` may sign; a process still holding the old key
   * stops sealing (and says so) until it is given the new one.
   */
  handOver(next: NotaryKey): Promise<CheckpointV1> {
    return this.job.exclusive(async () => {
      const key = await this.keyPair();
      if (next.keyId === key.keyId) throw new NotaryHandOverRefused('the new notary key is the current one');
      const checkpoint = await this.sealOnce({ next, force: true });
      if (!checkpoint) throw new NotaryHandOverRefused('another process signed a checkpoint meanwhile; run it again');
      return checkpoint;
    });
  }

  private async sealOnce(handOver?: { next: NotaryKey; force: true }): Promise<CheckpointV1 | null> {
    const key = await this.keyPair();
    const { state, version } = await this.current.load(NOTARY_STREAM, lastFold);
    if (state.handedTo && state.handedTo !== key.keyId) {
      if (handOver) throw new NotaryHandOverRefused(`the notary was already handed over to key ${state.handedTo}`);
      this.warnHandedOver(state.handedTo, key.keyId);
      return null;
    }
    const { rows } = await this.pool.query<{ global_position: string; hash: Buffer; stream_id: string }>(
      `SELECT global_position::text AS global_position, hash, stream_id FROM harbour_events
       WHERE global_position > $1 AND global_position < harbour_visible_bound()
       ORDER BY harbour_events.global_position LIMIT $2`,
      [state.toPosition, MAX_RANGE],
    );
    if (!handOver && !rows.some((r) => r.stream_id !== NOTARY_STREAM)) return null;
    const unsigned: Omit<CheckpointV1, 'signature'> = {
      sequence: state.sequence + 1,
      fromPosition: state.toPosition,
      toPosition: rows.at(-1)?.global_position ?? state.toPosition,
      eventCount: rows.length,
      merkleRoot: merkleRoot(rows.map((r) => r.hash)).toString('hex'),
      previousSignature: state.signature,
      keyId: key.keyId,
      algorithm: 'Ed25519',
      signedAt: this.clock.now().toISOString(),
    };
    if (handOver) {
      const spki = (k: NotaryKey) => k.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
      const named = { publicKey: spki(key), nextKeyId: handOver.next.keyId, nextPublicKey: spki(handOver.next) };
      const bytes = signedBytes({ ...unsigned, handOver: named });
      unsigned.handOver = {
        ...named,
        nextSignature: sign(null, bytes, handOver.next.privateKey).toString('base64'),
      };
    }
    const checkpoint: CheckpointV1 = {
      ...unsigned,
      signature: sign(null, signedBytes(unsigned), key.privateKey).toString('base64'),
    };
    try {
      await this.store.append(
        NOTARY_STREAM,
        version < 0 ? 'no-stream' : version,
        [{ type: CHECKPOINT_SIGNED, data: checkpoint }],
        { actor: ACTOR },
      );
    } catch (error) {
      if (error instanceof ConcurrencyConflict) return null; // another replica sealed first; the next tick continues from its checkpoint
      throw error;
    }
    this.lastSealAt = Date.now();
    return checkpoint;
  }

  private warnedHandOver = 0;
  /** Once a minute at most: an old key left configured after a rotation signs nothing. */
  private warnHandedOver(to: string, mine: string): void {
    if (Date.now() - this.warnedHandOver < 60_000) return;
    this.warnedHandOver = Date.now();
    this.logger.warn({
      msg: 'notary not sealing: the log was handed over to another notary key; set HARBOUR_NOTARY_KEY to it',
      handedTo: to,
      keyId: mine,
    });
  }
}
