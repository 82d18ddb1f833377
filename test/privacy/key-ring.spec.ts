import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Pool } from 'pg';
import { DatabaseModule, PG_POOL } from '@harbour/database';
import { type DomainError, KernelModule, loadConfig } from '@harbour/kernel';
import {
  type Cipher,
  DataErased,
  DecryptionFailed,
  deriveMasterKeyId,
  KeyRing,
  MasterKeys,
  PrivacyModule,
} from '@harbour/privacy';
import { migrations } from '@harbour/contexts';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const MARKER = 'MARKER-7f3a-Ada-Lovelace-Safehouse';

/** The error a promise rejects with (a fulfilled promise fails the test). */
const rejection = (promise: Promise<unknown>): Promise<DomainError> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as DomainError,
  );

describe('KeyRing: per-survivor data keys (PostgreSQL)', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let pool: Pool;
  let ring: KeyRing;
  const masterKey = randomBytes(32);

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      HARBOUR_MASTER_KEY: masterKey.toString('base64'),
    });
    const moduleRef = await Test.createTestingModule({
      imports: [KernelModule.forRoot(config), DatabaseModule.forRoot({ migrations }), PrivacyModule],
    }).compile();
    moduleRef.useLogger(false);
    app = await moduleRef.init();
    pool = app.get(PG_POOL);
    ring = app.get(KeyRing);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** A fresh process: same database, same master keys, empty cache. */
  const restart = (keys: MasterKeys = app.get(MasterKeys)) => new KeyRing(pool, keys);
  const rows = async (survivorId?: string) =>
    (
      await pool.query(
        'SELECT survivor_id, key_id, wrapped_key, master_key_id, destroyed_at FROM privacy_data_keys' +
          (survivorId ? ' WHERE survivor_id = $1' : ''),
        survivorId ? [survivorId] : [],
      )
    ).rows;

  it('is wired by PrivacyModule from the configured master key', () => {
    expect(app.get(MasterKeys).current.id).toBe(deriveMasterKeyId(masterKey));
  });

  it('round-trips, and a restarted key ring (empty cache) still decrypts', async () => {
    const value = { name: MARKER, dob: '1990-01-01' };
    const envelope = await ring.encrypt('survivor-a', 'intake:identity', value);
    expect(await ring.decrypt('survivor-a', 'intake:identity', envelope)).toEqual(value);
    const stored = JSON.parse(JSON.stringify(envelope)) as Cipher;
    expect(await restart().decrypt('survivor-a', 'intake:identity', stored)).toEqual(value);
  });

  it("creates a survivor's data key exactly once, however many first encryptions race", async () => {
    // Ten at once in one process, and ten processes at once (each with its own empty cache).
    const sameProcess = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ring.encrypt('survivor-race', 'intake:story', { i })),
    );
    const processes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => restart().encrypt('survivor-race-2', 'intake:story', { i })),
    );
    for (const [survivor, envelopes] of [
      ['survivor-race', sameProcess],
      ['survivor-race-2', processes],
    ] as const) {
      const found = await rows(survivor);
      expect(found).toHaveLength(1);
      expect(new Set(envelopes.map((e) => e.kid))).toEqual(new Set([found[0].key_id]));
      for (const [i, e] of envelopes.entries())
        expect(await restart().decrypt(survivor, 'intake:story', e)).toEqual({ i });
    }
  });

  it('keeps no plaintext and no key material in the clear in privacy_data_keys', async () => {
    await ring.encrypt('survivor-marker', 'intake:identity', { name: MARKER });
    const { rows: dump } = await pool.query('SELECT t::text AS row FROM privacy_data_keys t');
    const text = dump.map((r) => r.row).join('\n');
    expect(dump.length).toBeGreaterThan(0);
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain(Buffer.from(MARKER).toString('hex'));
    expect(text).not.toContain(masterKey.toString('hex'));
    for (const row of await rows()) expect(row.wrapped_key).toHaveLength(60);
  });

  it('refuses a ciphertext moved to another survivor or section, or tampered with', async () => {
    const envelope = await ring.encrypt('survivor-b', 'intake:health', { condition: MARKER });
    await ring.encrypt('survivor-c', 'intake:health', { condition: 'other' });
    await expect(ring.decrypt('survivor-c', 'intake:health', envelope)).rejects.toBeInstanceOf(DecryptionFailed);
    await expect(ring.decrypt('survivor-b', 'intake:identity', envelope)).rejects.toBeInstanceOf(DecryptionFailed);
    const ct = Buffer.from(envelope.ct, 'base64');
    ct[0] ^= 0x80;
    const error = await rejection(
      ring.decrypt('survivor-b', 'intake:health', { ...envelope, ct: ct.toString('base64') }),
    );
    expect(error).toBeInstanceOf(DecryptionFailed);
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toMatch(/survivor-b|MARKER|intake/);
    await expect(ring.decrypt('survivor-never-seen', 'intake:health', envelope)).rejects.toBeInstanceOf(
      DecryptionFailed,
    );
    expect(await rows('survivor-never-seen')).toHaveLength(0); // reading never creates a key
  });

  it('rotation re-wraps every live key under the new master key; old ciphertexts keep decrypting', async () => {
    const old = app.get(MasterKeys);
    const before = await Promise.all(
      ['rot-1', 'rot-2', 'rot-3'].map(async (s) => [s, await ring.encrypt(s, 'intake:needs', { s })] as const),
    );
    const next = randomBytes(32);
    const during = new MasterKeys({ id: deriveMasterKeyId(next), key: next }, old.all());

    // Before rotation, a process on the new key still reads keys wrapped under the retired one.
    const rotating = restart(during);
    for (const [s, e] of before) expect(await rotating.decrypt(s, 'intake:needs', e)).toEqual({ s });
    const live = (await rows()).filter((r) => r.destroyed_at === null).length;
    const report = await rotating.rotateMasterKey();
    expect(report).toEqual({ examined: live, rewrapped: live, unreadableKeyIds: [] });
    const after = await rows();
    for (const row of after.filter((r) => r.destroyed_at === null))
      expect(row.master_key_id).toBe(deriveMasterKeyId(next));
    expect(await rotating.rotateMasterKey()).toEqual({ examined: 0, rewrapped: 0, unreadableKeyIds: [] }); // nothing left

    // With the old master key gone entirely, everything still decrypts: it was all re-wrapped.
    const onlyNew = restart(new MasterKeys({ id: deriveMasterKeyId(next), key: next }));
    for (const [s, e] of before) expect(await onlyNew.decrypt(s, 'intake:needs', e)).toEqual({ s });
    // And a process that only has the old key can no longer unwrap anything.
    await expect(restart(old).decrypt('rot-1', 'intake:needs', before[0][1])).rejects.toMatchObject({
      code: 'master-key-unavailable',
    });
  });

  it('erasure: decrypt throws DataErased, no key material is left, and no new key can be made', async () => {
    const keys = app.get(MasterKeys);
    const envelope = await ring.encrypt('survivor-erase', 'intake:identity', { name: MARKER });
    expect(await ring.decrypt('survivor-erase', 'intake:identity', envelope)).toEqual({ name: MARKER });
    const other = await ring.encrypt('survivor-stays', 'intake:identity', { name: 'kept' });

    await ring.destroy('survivor-erase');
    const error = await rejection(ring.decrypt('survivor-erase', 'intake:identity', envelope));
    expect(error).toBeInstanceOf(DataErased);
    expect(error).toMatchObject({ kind: 'conflict', code: 'data-erased' });
    expect(error.message).not.toContain('survivor-erase');
    await expect(restart(keys).decrypt('survivor-erase', 'intake:identity', envelope)).rejects.toBeInstanceOf(
      DataErased,
    );
    await expect(ring.encrypt('survivor-erase', 'intake:identity', { name: 'again' })).rejects.toBeInstanceOf(
      DataErased,
    );

    const [row] = await rows('survivor-erase');
    expect(row.destroyed_at).toBeInstanceOf(Date);
    expect(row.wrapped_key).toHaveLength(60);
    expect(row.wrapped_key.every((b: number) => b === 0)).toBe(true);
    // Final: the row cannot be "un-erased".
    await expect(
      pool.query("UPDATE privacy_data_keys SET destroyed_at = NULL WHERE survivor_id = 'survivor-erase'"),
    ).rejects.toThrow(/destroyed data key/);

    // Idempotent, and it never touches anyone else.
    await ring.destroy('survivor-erase');
    expect(await ring.decrypt('survivor-stays', 'intake:identity', other)).toEqual({ name: 'kept' });
    // A survivor with no key yet: erased ahead of time, so none is ever made.
    await ring.destroy('survivor-no-key-yet');
    await expect(ring.encrypt('survivor-no-key-yet', 'intake:identity', 1)).rejects.toBeInstanceOf(DataErased);
  });
});
