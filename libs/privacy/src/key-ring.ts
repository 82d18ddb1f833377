import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@harbour/database';
import {
  type Cipher,
  isCipher,
  KEY_BYTES,
  openCheckedCipher,
  sealCipher,
  unwrapKey,
  WRAPPED_KEY_BYTES,
  wrapKey,
} from './cipher.js';
import { DataErased, DecryptionFailed, MasterKeyUnavailable } from './errors.js';
import { MasterKeys } from './master-keys.js';

export const KEY_RING_OPTIONS = Symbol('KeyRingOptions');

export interface KeyRingOptions {
  /** Unwrapped data keys kept in memory, least recently used dropped first (default 1000). */
  cacheSize?: number;
  /**
   * How long an unwrapped key is trusted without looking at the table again (default 60 s).
   * This bounds how long *another* process may still decrypt after an erasure; the process
   * that erases drops its own copy at once.
   */
  cacheTtlMs?: number;
}

export interface RotationReport {
  /** Live data keys looked at (those not yet under the current master key). */
  examined: number;
  /** Data keys now wrapped under the current master key that were not before. */
  rewrapped: number;
  /** Ids of data keys no configured master key could unwrap (left as they were). */
  unreadableKeyIds: string[];
}

interface DataKey {
  keyId: string;
  key: Buffer;
}

interface Row {
  survivor_id: string;
  key_id: string;
  wrapped_key: Buffer;
  master_key_id: string;
  destroyed_at: Date | null;
}

const ROTATION_BATCH = 500;

/**
 * Per-survivor data keys: created on first use, stored only wrapped under a master key,
 * destroyed on erasure. Everything survivor-identifying that goes into an event goes through
 * `encrypt` with a context naming where it belongs (e.g. `intake:identity`).
 */
@Injectable()
export class KeyRing {
  private readonly cache = new Map<string, DataKey & { expires: number }>();
  private readonly loading = new Map<string, Promise<DataKey | null>>();
  private readonly cacheSize: number;
  private readonly cacheTtlMs: number;
  /** Bumped by every erasure: a load that began before one does not fill the cache. */
  private erasures = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly masterKeys: MasterKeys,
    @Optional() @Inject(KEY_RING_OPTIONS) options?: KeyRingOptions,
  ) {
    this.cacheSize = Math.max(0, options?.cacheSize ?? 1000);
    this.cacheTtlMs = Math.max(0, options?.cacheTtlMs ?? 60_000);
  }

  /** Encrypt a JSON-serialisable value for this survivor and context; makes the survivor's key on first use. */
  async encrypt(survivorId: string, context: string, value: unknown): Promise<Cipher> {
    checkNames(survivorId, context);
    const dataKey = (await this.dataKey(survivorId, true))!;
    return sealCipher(dataKey.key, dataKey.keyId, survivorId, context, value);
  }

  /** DataErased after erasure; DecryptionFailed for anything changed, misplaced or unknown. */
  async decrypt<T = unknown>(survivorId: string, context: string, envelope: Cipher): Promise<T> {
    checkNames(survivorId, context);
    if (!isCipher(envelope)) throw new DecryptionFailed('malformed');
    const dataKey = await this.dataKey(survivorId, false);
    if (!dataKey || dataKey.keyId !== envelope.kid) throw new DecryptionFailed('unknown-key');
    return openCheckedCipher<T>(dataKey.key, survivorId, context, envelope);
  }

  /**
   * Erasure: the data key's wrapped bytes are overwritten with zeros and the row marked
   * destroyed (kept, so no new key is ever made for this survivor). Idempotent; a survivor who
   * never had a key gets a destroyed row too.
   */
  async destroy(survivorId: string): Promise<void> {
    checkNames(survivorId, '-');
    // Before and after the write: a load racing with the erasure never fills the cache.
    this.erasures++;
    this.cache.delete(survivorId);
    await this.pool.query(
      `UPDATE privacy_data_keys SET destroyed_at = now(), wrapped_key = decode(repeat('00', length(wrapped_key)), 'hex')
        WHERE survivor_id = $1 AND destroyed_at IS NULL`,
      [survivorId],
    );
    await this.pool.query(
      `INSERT INTO privacy_data_keys (survivor_id, key_id, wrapped_key, master_key_id, destroyed_at)
       VALUES ($1, $2, $3, '-', now()) ON CONFLICT DO NOTHING`,
      [survivorId, randomUUID(), Buffer.alloc(WRAPPED_KEY_BYTES)],
    );
    this.erasures++;
    this.cache.delete(survivorId);
  }

  /**
   * Re-wrap every live data key that is not yet under the current master key. Keys under a
   * retired master key keep working meanwhile; once this returns with no unreadable keys, the
   * retired master keys can be removed from the configuration. Safe to run concurrently and
   * to re-run after an interruption. `onBatch` hears the running totals after every batch of
   * 500 (the CLI prints them as progress).
   */
  async rotateMasterKey(onBatch?: (report: Readonly<RotationReport>) => void): Promise<RotationReport> {
    const current = this.masterKeys.current;
    const report: RotationReport = { examined: 0, rewrapped: 0, unreadableKeyIds: [] };
    let after = '';
    for (;;) {
      const { rows } = await this.pool.query<Row>(
        `SELECT survivor_id, key_id, wrapped_key, master_key_id, destroyed_at FROM privacy_data_keys
          WHERE destroyed_at IS NULL AND master_key_id <> $1 AND survivor_id > $2
          ORDER BY survivor_id LIMIT $3`,
        [current.id, after, ROTATION_BATCH],
      );
      for (const row of rows) {
        after = row.survivor_id;
        report.examined++;
        let key: Buffer;
        try {
          key = this.unwrap(row);
        } catch {
          report.unreadableKeyIds.push(row.key_id);
          continue;
        }
        const result = await this.pool.query(
          `UPDATE privacy_data_keys SET wrapped_key = $1, master_key_id = $2, rewrapped_at = now()
            WHERE survivor_id = $3 AND master_key_id = $4 AND destroyed_at IS NULL`,
          [wrapKey(current.key, row.survivor_id, row.key_id, key), current.id, row.survivor_id, row.master_key_id],
        );
        report.rewrapped += result.rowCount ?? 0;
        key.fill(0);
      }
      if (rows.length > 0) onBatch?.(report);
      if (rows.length < ROTATION_BATCH) return report;
    }
  }

  private async dataKey(survivorId: string, create: boolean): Promise<DataKey | null> {
    const cached = this.cache.get(survivorId);
    if (cached && cached.expires > Date.now()) {
      this.cache.delete(survivorId); // re-insert: Map order is the recency order
      this.cache.set(survivorId, cached);
      return cached;
    }
    if (cached) this.cache.delete(survivorId);
    // One load per survivor at a time in this process; other processes race in the database.
    const flight = `${create ? 'c' : 'r'}:${survivorId}`;
    let pending = this.loading.get(flight);
    if (!pending) {
      pending = this.load(survivorId, create).finally(() => this.loading.delete(flight));
      this.loading.set(flight, pending);
    }
    return pending;
  }

  private async load(survivorId: string, create: boolean): Promise<DataKey | null> {
    const epoch = this.erasures;
    if (create) {
      const keyId = randomUUID();
      const key = randomBytes(KEY_BYTES);
      const current = this.masterKeys.current;
      await this.pool.query(
        `INSERT INTO privacy_data_keys (survivor_id, key_id, wrapped_key, master_key_id)
         VALUES ($1, $2, $3, $4) ON CONFLICT (survivor_id) DO NOTHING`,
        [survivorId, keyId, wrapKey(current.key, survivorId, keyId, key), current.id],
      );
      key.fill(0); // whoever won the insert, the stored row is the one key from now on
    }
    const { rows } = await this.pool.query<Row>(
      'SELECT survivor_id, key_id, wrapped_key, master_key_id, destroyed_at FROM privacy_data_keys WHERE survivor_id = $1',
      [survivorId],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.destroyed_at) throw new DataErased();
    const dataKey = { keyId: row.key_id, key: this.unwrap(row) };
    if (epoch === this.erasures && this.cacheSize > 0) {
      this.cache.set(survivorId, { ...dataKey, expires: Date.now() + this.cacheTtlMs });
      while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    return dataKey;
  }

  /** The named master key first, then the others (GCM tells which one fits). */
  private unwrap(row: Row): Buffer {
    const named = this.masterKeys.byId(row.master_key_id);
    const candidates = named ? [named, ...this.masterKeys.all().filter((k) => k !== named)] : this.masterKeys.all();
    for (const master of candidates) {
      try {
        return unwrapKey(master.key, row.survivor_id, row.key_id, row.wrapped_key);
      } catch {
        // try the next one
      }
    }
    if (!named) throw new MasterKeyUnavailable(row.master_key_id);
    throw new DecryptionFailed('not-authentic');
  }
}

function checkNames(survivorId: string, context: string): void {
  if (typeof survivorId !== 'string' || survivorId.length === 0 || survivorId.length > 200) {
    throw new TypeError('survivorId must be a non-empty string');
  }
  if (typeof context !== 'string' || context.length === 0 || context.length > 200) {
    throw new TypeError('context must be a non-empty string');
  }
}
