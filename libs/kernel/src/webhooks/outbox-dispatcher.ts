import type { DataSource } from 'typeorm';
import type { Clock } from '../clock.js';
import type { PeriodicJob, PeriodicJobs } from '../jobs/index.js';

/** A claimed batch must finish within this (10 rows × the delivery timeout, plus slack) before another dispatcher may retake it. */
const CLAIM_MS = 150_000;

/** Where an outbox lives: its table, key column and the columns a delivery attempt needs. */
export interface Outbox {
  /** The job's name, as /v1/operations/health lists it. */
  job: string;
  table: string;
  key: string;
  /** The RETURNING list, e.g. `o.delivery_id, o.agency_id`; the table is aliased `o`. */
  columns: string;
}

/**
 * The claim loop every webhook outbox shares: a PeriodicJob that every second claims up to 10
 * due rows with SKIP LOCKED (so several processes never send a row twice at once) and hands each
 * to `attempt`. A claim left by a dead process expires after CLAIM_MS and is retaken.
 */
export abstract class OutboxDispatcher<Row> {
  private readonly job: PeriodicJob<number>;

  protected constructor(
    protected readonly db: DataSource,
    protected readonly clock: Clock,
    jobs: PeriodicJobs,
    private readonly outbox: Outbox,
  ) {
    this.job = jobs.define({ name: outbox.job, firstRunAfterMs: 1_000, everyMs: 1_000, run: () => this.run(10) });
  }

  /** Stop the background loop (tests drive deliveries themselves); resolves once a run in flight has finished. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Attempt every delivery due now (never beside a scheduled run); returns how many were attempted. */
  deliverDue(limit = 10): Promise<number> {
    return this.job.exclusive(() => this.run(limit));
  }

  protected abstract attempt(row: Row): Promise<void>;

  private async run(limit: number): Promise<number> {
    const { table, key, columns } = this.outbox;
    const now = this.clock.now();
    const [rows] = await this.db.query<[Row[], number]>(
      `UPDATE ${table} o SET locked_until = $2
         WHERE ${key} IN (SELECT ${key} FROM ${table}
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
           ORDER BY next_attempt_at, global_position LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING ${columns}`,
      [now, new Date(now.getTime() + CLAIM_MS), limit],
    );
    for (const row of rows) await this.attempt(row);
    return rows.length;
  }
}
