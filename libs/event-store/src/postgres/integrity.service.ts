import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '@harbour/database';
import { EventStore } from '../event-store.js';
import { verifyKurrentLog } from '../kurrentdb/kurrentdb-integrity.js';
import { KurrentEventStore } from '../kurrentdb/kurrentdb-event-store.js';
import { type IntegrityReport, verifyEventLog } from './integrity.js';

@Injectable()
export class IntegrityService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  /** The whole log, or what `client`'s transaction sees (an import not yet committed). */
  verify(client?: PoolClient): Promise<IntegrityReport> {
    // HARBOUR_EVENT_STORE=kurrentdb: the chain lives in the KurrentDB events' metadata.
    if (!client && this.store instanceof KurrentEventStore) return verifyKurrentLog(this.store);
    return verifyEventLog(client ?? this.pool);
  }
}
