import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  HarbourConfig,
  isConnectionError,
  JobLock,
  NotFound,
  outageLog,
  PeriodicJobs,
  safeErrorSummary,
} from '@harbour/kernel';
import { EventStoreErrors } from '../errors.js';
import type { StoredEvent } from '../envelope.js';
import { EventStore, type Subscription } from '../event-store.js';
import type { Projection, ProjectionStatus } from './projection.js';

/** Another process (or a rebuild) moved the checkpoint under us: follow it, don't fail. */
class CheckpointMoved extends Error {
  constructor(readonly position: bigint) {
    super('checkpoint moved');
  }
}

/** A projection threw on an event (which, and why, in `event` and `cause`). */
export class ProjectionFailed extends Error {
  constructor(
    readonly event: StoredEvent,
    override readonly cause: unknown,
  ) {
    super('projection failed');
  }
}

/** The PeriodicJob whose lock decides which process runs the projections. */
export const PROJECTIONS_JOB = 'projections';

/** How often a projection writes a checkpoint that only moved past events of other types. */
const IDLE_CHECKPOINT_MS = 5_000;
/** A projection stopped by an unreachable database tries again this often (no read model is wrong, only late). */
const RECONNECT_EVERY_MS = 1_000;

interface Running {
  projection: Projection;
  subscription: Subscription | null;
  failure: ProjectionStatus['failure'];
}

/**
 * Runs every registered projection: catch-up from its checkpoint at start, then live.
 * Each batch is one transaction that locks the checkpoint row, applies the events and moves
 * the checkpoint — exactly-once effect even with several API replicas running.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly projections = new Map<string, Running>();
  private started = false;
  /** Set once the application shuts down: no subscription may start after it. */
  private stopping = false;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(HarbourConfig) private readonly config: HarbourConfig,
    private readonly lock: JobLock,
    jobs: PeriodicJobs,
  ) {
    // Leadership only: among several processes, the one holding the `projections` job runs
    // every subscription; the others take over within seconds of its death. (Several running
    // at once would still be correct: each batch locks its checkpoint row.)
    jobs.define({
      name: PROJECTIONS_JOB,
      firstRunAfterMs: 1_000,
      everyMs: 1_000,
      run: () => this.lead(),
      onLockLost: () => this.pause(),
    });
  }

  register(projection: Projection): void {
    if (this.projections.has(projection.name)) throw new Error(`projection ${projection.name} registered twice`);
    this.projections.set(projection.name, { projection, subscription: null, failure: null });
    if (this.started) void this.start(projection.name);
  }

  names(): string[] {
    return [...this.projections.keys()].sort();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.HARBOUR_PROJECTIONS) return;
    // Caught up from the first moment where this process leads; elsewhere the job retries.
    if (!(await this.lock.tryAcquire(PROJECTIONS_JOB))) return;
    this.started = true;
    await Promise.all(this.names().map((name) => this.start(name)));
  }

  /** This process holds the projections job: run every subscription (once). */
  private async lead(): Promise<void> {
    if (this.started || this.stopping) return;
    this.started = true;
    this.logger.log({ msg: 'projections running in this process' });
    for (const name of this.names())
      await this.start(name).catch((error: unknown) => {
        if (isConnectionError(error)) return this.resumeLater(name);
        this.logger.error({ msg: 'projection could not start', projection: name, error: safeErrorSummary(error) });
      });
  }

  /** Another process leads now (or this one lost its lock): stop every subscription at once. */
  private async pause(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.logger.warn({ msg: 'projections stopped in this process: another process runs them' });
    await Promise.all([...this.projections.values()].map((r) => this.stop(r.projection.name)));
  }

  // Before the database pool closes (TypeORM closes it in onApplicationShutdown).
  async beforeApplicationShutdown(): Promise<void> {
    this.started = false;
    this.stopping = true;
    await Promise.all([...this.projections.values()].map(async (r) => r.subscription?.stop()));
  }

  /** Start (or restart after a failure) from the committed checkpoint. */
  async start(name: string): Promise<void> {
    const running = this.get(name);
    await running.subscription?.stop();
    running.failure = null;
    const from = await this.checkpointOf(name);
    if (this.stopping) return;
    let committed = from;
    let committedAt = Date.now();
    running.subscription = this.store.subscribe({
      from,
      types: running.projection.eventTypes,
      limit: running.projection.batchSize ?? 500,
      lingerMs: running.projection.lingerMs,
      onEvents: async (events, checkpoint) => {
        // Only events of other types went by: moving the checkpoint past them changes no read
        // model, so it is written now and then (bounding the re-scan after a restart), not on
        // every poll of a busy log. The next applied batch writes it anyway.
        if (events.length === 0 && Date.now() - committedAt < IDLE_CHECKPOINT_MS) return;
        await this.applyBatch(running.projection, committed, events, checkpoint);
        committed = checkpoint;
        committedAt = Date.now();
      },
      onError: (error) => {
        if (error instanceof CheckpointMoved) {
          if (!this.stopping && this.started) void this.start(name);
          return;
        }
        const failed = error instanceof ProjectionFailed ? error : null;
        running.failure = {
          globalPosition: failed ? failed.event.globalPosition.toString() : committed.toString(),
          eventType: failed ? failed.event.type : 'unknown',
          error: safeErrorSummary(failed ? failed.cause : error),
        };
        if (isConnectionError(error)) {
          // Not a bug in the read model: the database went away. Resume by itself once it is back,
          // and say so once per interval for all projections together, not once per projection.
          const said = outageLog.admit('projections:database-unreachable');
          if (said)
            this.logger.warn({
              msg: 'projections paused: database unreachable; retrying every second',
              suppressed: said.suppressed,
            });
          this.resumeLater(name);
          return;
        }
        this.logger.error({
          msg: 'projection stopped; its checkpoint was not advanced',
          projection: name,
          ...running.failure,
        });
      },
    });
  }

  /** After a connection failure: start again from the committed checkpoint once the database answers. */
  private resumeLater(name: string): void {
    setTimeout(() => {
      if (this.stopping || !this.started) return;
      const running = this.get(name);
      const failure = running.failure;
      this.start(name).catch((error: unknown) => {
        running.failure = failure;
        if (isConnectionError(error)) this.resumeLater(name);
        else
          this.logger.error({ msg: 'projection could not resume', projection: name, error: safeErrorSummary(error) });
      });
    }, RECONNECT_EVERY_MS).unref();
  }

  async stop(name: string): Promise<void> {
    const running = this.get(name);
    await running.subscription?.stop();
    running.subscription = null;
  }

  /** Wipe the read model and replay the whole log into it. */
  async rebuild(name: string): Promise<void> {
    const running = this.get(name);
    await this.stop(name);
    await this.checkpointOf(name);
    await this.dataSource.transaction(async (manager) => {
      await this.lockCheckpoint(manager, name);
      await running.projection.reset(manager);
      await manager.query('UPDATE harbour_checkpoints SET position = 0, updated_at = now() WHERE name = $1', [name]);
    });
    this.logger.log({ msg: 'projection reset for rebuild', projection: name });
    await this.catchUp(name);
    if (this.started) await this.start(name);
  }

  /** Apply everything visible now, then return (used by the CLI and tests). */
  async catchUp(name: string): Promise<void> {
    const { projection } = this.get(name);
    let position = await this.checkpointOf(name);
    for (;;) {
      const batch = await this.store.readAll(position, { limit: 500, types: projection.eventTypes });
      if (batch.checkpoint === position) return;
      try {
        await this.applyBatch(projection, position, batch.events, batch.checkpoint);
        position = batch.checkpoint;
      } catch (error) {
        // A running API (or a rebuild) applied these first: follow its checkpoint, as start() does.
        if (!(error instanceof CheckpointMoved)) throw error;
        position = error.position;
      }
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    const rows: Array<{ name: string; position: string }> = await this.dataSource.query(
      'SELECT name, position::text AS position FROM harbour_checkpoints WHERE name = ANY($1)',
      [this.names()],
    );
    const positions = new Map(rows.map((r) => [r.name, BigInt(r.position)]));
    const names = this.names();
    // A running subscription may be past its stored checkpoint by events of other types only.
    const checkpoints = names.map((name) => {
      const stored = positions.get(name) ?? 0n;
      const live = this.get(name).subscription;
      return live?.running && live.checkpoint > stored ? live.checkpoint : stored;
    });
    // One round trip for every lag: /health asks this on each probe.
    const lags = await this.store.countAfterEach(checkpoints);
    return names.map((name, i) => {
      const running = this.get(name);
      return {
        name,
        state: running.failure ? 'failed' : running.subscription?.running ? 'running' : 'stopped',
        checkpoint: checkpoints[i].toString(),
        lag: lags[i],
        failure: running.failure,
      } satisfies ProjectionStatus;
    });
  }

  private async applyBatch(
    projection: Projection,
    expected: bigint,
    events: StoredEvent[],
    checkpoint: bigint,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Read models are derived and their checkpoint commits with them: after a crash a lost
      // commit is simply applied again, so these commits need not wait for the disk
      // (set_config(…, true) is SET LOCAL, here in the same round trip as the lock).
      const [{ position }]: Array<{ position: string }> = await manager.query(
        "SELECT set_config('synchronous_commit', 'off', true), position::text AS position FROM harbour_checkpoints WHERE name = $1 FOR UPDATE",
        [projection.name],
      );
      const actual = BigInt(position);
      if (actual !== expected) throw new CheckpointMoved(actual);
      if (projection.applyBatch && events.length > 0) {
        try {
          await projection.applyBatch(events, manager);
        } catch (error) {
          throw new ProjectionFailed(events[0], error); // the batch as a whole; its first event names where
        }
      }
      for (const event of projection.applyBatch ? [] : events) {
        try {
          await projection.apply(event, manager);
        } catch (error) {
          throw new ProjectionFailed(event, error);
        }
      }
      await manager.query('UPDATE harbour_checkpoints SET position = $2, updated_at = now() WHERE name = $1', [
        projection.name,
        checkpoint.toString(),
      ]);
    });
  }

  private async lockCheckpoint(manager: { query: DataSource['query'] }, name: string): Promise<bigint> {
    const rows: Array<{ position: string }> = await manager.query(
      'SELECT position::text AS position FROM harbour_checkpoints WHERE name = $1 FOR UPDATE',
      [name],
    );
    return BigInt(rows[0].position);
  }

  private async checkpointOf(name: string): Promise<bigint> {
    await this.dataSource.query('INSERT INTO harbour_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [
      name,
    ]);
    const rows: Array<{ position: string }> = await this.dataSource.query(
      'SELECT position::text AS position FROM harbour_checkpoints WHERE name = $1',
      [name],
    );
    return BigInt(rows[0].position);
  }

  private get(name: string): Running {
    const running = this.projections.get(name);
    if (!running) throw new NotFound(`Projection ${name}`, EventStoreErrors.projectionNotFound);
    return running;
  }
}
