import { createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from '@harbour/database';
import { IntegrityService, type IntegrityFinding, type IntegrityReport } from '@harbour/event-store';
import type { CheckpointV1 } from './checkpoint.events.js';
import { type CheckpointFinding, type CheckpointReport, verifyCheckpoints } from './checkpoint-verifier.js';
import { Notary } from './notary.service.js';

/** The hash-chain report (its fields as before: eventsChecked, findings, …) plus the checkpoints. */
export interface FullIntegrityReport extends Omit<IntegrityReport, 'firstBad'> {
  ok: boolean;
  /** The first thing wrong: a bad event (hash chains) before a bad checkpoint. */
  firstBad: ({ kind: 'event' } & IntegrityFinding) | ({ kind: 'checkpoint' } & CheckpointFinding) | null;
  checkpoints: CheckpointReport;
}

/** `harbour verify` and GET /v1/audit/integrity: the hash chains and the signed checkpoints. */
@Injectable()
export class AuditIntegrity {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly chains: IntegrityService,
    private readonly notary: Notary,
  ) {}

  /**
   * Against this process's notary key, or a public key given by an outside party (PEM); with
   * `client`, what that client's open transaction sees (an import verified before it commits).
   */
  async verify(
    options: { publicKeyPem?: string; anchor?: CheckpointV1 | null; client?: PoolClient } = {},
  ): Promise<FullIntegrityReport> {
    const key: KeyObject | null = options.publicKeyPem
      ? createPublicKey(options.publicKeyPem)
      : await this.notary.keyPair().then(
          (k) => k.publicKey,
          () => null,
        );
    const chains = await this.chains.verify(options.client);
    const checkpoints = await verifyCheckpoints(options.client ?? this.pool, key, options.anchor);
    const firstBad = chains.firstBad
      ? { kind: 'event' as const, ...chains.firstBad }
      : checkpoints.firstBad
        ? { kind: 'checkpoint' as const, ...checkpoints.firstBad }
        : null;
    return { ...chains, ok: chains.ok && checkpoints.ok, firstBad, checkpoints };
  }

  /** The newest signed checkpoint: what an outside party keeps as its anchor. */
  async latestCheckpoint(): Promise<CheckpointV1 | null> {
    const { rows } = await this.pool.query<{ data: CheckpointV1 }>(
      "SELECT data FROM harbour_events WHERE stream_id = 'notary-checkpoints' ORDER BY stream_version DESC LIMIT 1",
    );
    return rows[0]?.data ?? null;
  }
}
