import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { Observable, tap } from 'rxjs';
import { DataSource } from 'typeorm';
import { HarbourConfig, LogThrottle, safeErrorSummary } from '@harbour/kernel';
import { clientClassFor } from './multi-host.js';

/** The response header naming how stale (seconds) the data a replica-eligible read returned may be. */
export const STALENESS_HEADER = 'Harbour-Data-Staleness';

/**
 * Replay lag of a standby, in seconds: 0 when it has replayed all it received (an idle primary
 * sends nothing, so `now() - pg_last_xact_replay_timestamp()` alone would grow forever), else
 * the age of the last replayed transaction. On a primary (no recovery), 0.
 */
const LAG_SQL = `SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
  END::float8 AS lag`;

const requestStaleness = new AsyncLocalStorage<{ seconds: number | null }>();

/**
 * Reads that may come from a standby within a stated staleness bound: the analysts' reports and
 * the privacy officers' access-log pages (never consent decisions, intake reads or access
 * events: those use the primary's DataSource directly). Without HARBOUR_READ_REPLICA_URL every
 * read goes to the primary. Each read measures the standby's lag on the connection it then
 * uses; above the bound, or when the standby cannot be reached, the read goes to the primary.
 * The staleness of what was read is recorded for the request's `Harbour-Data-Staleness` header.
 */
@Injectable()
export class ReplicaReads implements OnApplicationShutdown {
  private readonly pool: pg.Pool | null;
  private readonly bound: number;
  private readonly throttle = new LogThrottle();
  private readonly logger = new Logger('Database');

  constructor(
    config: HarbourConfig,
    @InjectDataSource() private readonly primary: DataSource,
  ) {
    this.bound = config.HARBOUR_READ_REPLICA_MAX_STALENESS_S;
    const url = config.HARBOUR_READ_REPLICA_URL;
    this.pool = url
      ? new pg.Pool({
          connectionString: url,
          Client: clientClassFor(url),
          max: 4,
          application_name: 'harbour-replica-reads',
          connectionTimeoutMillis: 2_000,
        })
      : null;
    this.pool?.on('error', () => undefined); // an idle connection that broke is dropped by the pool
  }

  /** Whether a replica is configured. */
  get configured(): boolean {
    return this.pool !== null;
  }

  /** Runs one read-only query; `from` says where it ran and `staleness` how old its data may be (seconds). */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.read<T>(sql, params)).rows;
  }

  async read<T>(
    sql: string,
    params: unknown[] = [],
  ): Promise<{ rows: T[]; from: 'replica' | 'primary'; staleness: number }> {
    if (this.pool) {
      let client: pg.PoolClient | null = null;
      try {
        client = await this.pool.connect();
        const lag = (await client.query<{ lag: number }>(LAG_SQL)).rows[0]?.lag ?? Infinity;
        if (lag <= this.bound) {
          const rows = (await client.query(sql, params)).rows as T[];
          client.release();
          return this.note({ rows, from: 'replica' as const, staleness: Math.round(lag * 1000) / 1000 });
        }
        client.release();
      } catch (error) {
        client?.release(true);
        const admitted = this.throttle.admit('replica');
        if (admitted)
          this.logger.warn({
            msg: 'replica reads failing: reading the primary',
            suppressed: admitted.suppressed,
            error: safeErrorSummary(error),
          });
      }
    }
    const rows = await this.primary.query<T[]>(sql, params);
    return this.note({ rows, from: 'primary' as const, staleness: 0 });
  }

  private note<R extends { staleness: number }>(result: R): R {
    const store = requestStaleness.getStore();
    if (store) store.seconds = Math.max(store.seconds ?? 0, result.staleness);
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end().catch(() => undefined);
  }
}

/** Sets `Harbour-Data-Staleness` on every response whose handler read through ReplicaReads. */
@Injectable()
export class StalenessHeaderInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const store = { seconds: null as number | null };
    const reply = context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>();
    const set = () => {
      if (store.seconds !== null) reply.header(STALENESS_HEADER, String(store.seconds));
    };
    return new Observable((subscriber) =>
      requestStaleness.run(store, () =>
        next
          .handle()
          .pipe(tap({ next: set, error: set }))
          .subscribe(subscriber),
      ),
    );
  }
}
