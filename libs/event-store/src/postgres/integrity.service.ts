import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '@harbour/database';
import { type IntegrityReport, verifyEventLog } from './integrity.js';

@Injectable()
export class IntegrityService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The whole log, or what `client`'s transaction sees (an import not yet committed). */
  verify(client?: PoolClient): Promise<IntegrityReport> {
    return verifyEventLog(client ?? this.pool);
  }
}
