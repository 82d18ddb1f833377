import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@harbour/database';
import { type IntegrityReport, verifyEventLog } from './integrity.js';

@Injectable()
export class IntegrityService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  verify(): Promise<IntegrityReport> {
    return verifyEventLog(this.pool);
  }
}
