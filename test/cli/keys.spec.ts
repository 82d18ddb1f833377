import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { type CheckpointV1, Notary } from '@harbour/audit';
import { PG_POOL } from '@harbour/database';
import { EventStore } from '@harbour/event-store';
import { CLOCK, systemActor } from '@harbour/kernel';
import { deriveMasterKeyId, KeyRing, MasterKeys } from '@harbour/privacy';
import { WebhookRegistry } from '@harbour/referrals';
import { harbour } from '../support/cli.js';
import { startTestApp, type TestApp } from '../support/context.js';
import { createTestDatabase } from '../support/database.js';

const newNotaryKey = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    der: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

describe('harbour keys rotate-master: data keys re-wrapped, webhook secrets re-sealed, a fact in the log', () => {
  let t: TestApp;
  let pool: pg.Pool;
  const oldKey = () => t.config.HARBOUR_MASTER_KEY!;
  const next = randomBytes(32);
  const nextOnly = new MasterKeys({ id: deriveMasterKeyId(next), key: next });
  const env = (extra: Record<string, string>) => ({
    DATABASE_URL: t.database.url,
    HARBOUR_NOTARY_KEY: t.config.HARBOUR_NOTARY_KEY!,
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestApp();
    pool = t.app.get<pg.Pool>(PG_POOL);
  });
  afterAll(() => t.close());

  it('re-wraps and re-seals everything under the new key; only the new key is needed afterwards', async () => {
    const ring = t.app.get(KeyRing);
    const sealed = await Promise.all(
      ['rot-a', 'rot-b', 'rot-c'].map(async (s) => [s, await ring.encrypt(s, 'intake:needs', { s })] as const),
    );
    await ring.destroy('rot-c'); // an erased survivor: nothing to re-wrap, stays erased
    await t.app.get(WebhookRegistry).register('agency-rot-1', 'https://hooks.example.org/a', 'whsec-synthetic-1', 'u1');

    const run = await harbour(
      ['keys', 'rotate-master'],
      env({ HARBOUR_MASTER_KEY: next.toString('base64'), HARBOUR_MASTER_KEYS_RETIRED: oldKey() }),
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('data keys: 2 examined, 2 re-wrapped, 0 could not be opened');
    expect(JSON.parse(run.stdout)).toMatchObject({
      masterKeyId: nextOnly.current.id,
      dataKeysRewrapped: 2,
      dataKeysUnreadable: 0,
      webhookSecretsResealed: 1,
      complete: true,
      unreadableDataKeyIds: [],
    });
    const { rows } = await pool.query(
      'SELECT DISTINCT master_key_id FROM privacy_data_keys WHERE destroyed_at IS NULL',
    );
    expect(rows).toEqual([{ master_key_id: nextOnly.current.id }]);
    // A process given only the new master key opens both.
    const fresh = new KeyRing(pool, nextOnly);
    for (const [s, envelope] of sealed.slice(0, 2))
      expect(await fresh.decrypt(s, 'intake:needs', envelope)).toEqual({ s });
    await expect(fresh.decrypt('rot-c', 'intake:needs', sealed[2][1])).rejects.toMatchObject({ code: 'data-erased' });
    const hooks = new WebhookRegistry(t.app.get(DataSource), nextOnly, t.app.get(CLOCK));
    expect(await hooks.target('agency-rot-1')).toEqual({
      url: 'https://hooks.example.org/a',
      secret: 'whsec-synthetic-1',
    });
    const [fact] = await t.app.get(EventStore).readStream('privacy-master-keys');
    expect(fact).toMatchObject({
      type: 'MasterKeyRotated',
      data: { masterKeyId: nextOnly.current.id, dataKeysRewrapped: 2, webhookSecretsResealed: 1, complete: true },
    });
    expect(JSON.stringify(fact.data)).not.toContain(next.toString('base64'));
  });

  it('names what no configured key opens, leaves it as it was, and exits 3', async () => {
    const stranger = randomBytes(32).toString('base64');
    const run = await harbour(['keys', 'rotate-master'], env({ HARBOUR_MASTER_KEY: stranger }));
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ dataKeysRewrapped: 0, dataKeysUnreadable: 2, complete: false });
    expect(report.unreadableDataKeyIds).toHaveLength(2);
    expect(report.unreadableWebhookAgencyIds).toEqual(['agency-rot-1']);
    expect(run.stderr).toContain('keep the retired keys configured');
    const { rows } = await pool.query(
      'SELECT DISTINCT master_key_id FROM privacy_data_keys WHERE destroyed_at IS NULL',
    );
    expect(rows).toEqual([{ master_key_id: nextOnly.current.id }]);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('harbour keys rotate-notary: a hand-over checkpoint signed by both keys', () => {
  let t: TestApp;
  let dir: string;
  const fresh = newNotaryKey();
  const env = (notaryKey: string) => ({
    DATABASE_URL: t.database.url,
    HARBOUR_MASTER_KEY: t.config.HARBOUR_MASTER_KEY!,
    HARBOUR_NOTARY_KEY: notaryKey,
  });
  const append = (n: number) =>
    t.app.get(EventStore).append(`test-notary-${n}`, 'any', [{ type: 'SyntheticThingHappened', data: { n } }], {
      actor: systemActor('test'),
    });

  beforeAll(async () => {
    t = await startTestApp();
    dir = await mkdtemp(join(tmpdir(), 'harbour-notary-'));
    await writeFile(join(dir, 'new.key'), fresh.der, { mode: 0o600 });
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('old checkpoints keep verifying under the old key, new ones under the new key, and verify passes across', async () => {
    const old = (await t.app.get(Notary).keyPair()).exportPublic();
    await writeFile(join(dir, 'old.pem'), old.publicKeyPem);
    await append(1);
    // Until a transaction that began before the append (a projection batch) ends, the event is not
    // yet below the log's visible bound and there is nothing to seal: ask again.
    let first = await t.app.get(Notary).seal();
    for (let i = 0; !first && i < 50; i++) first = await sleep(100).then(() => t.app.get(Notary).seal());
    expect(first).toMatchObject({ keyId: old.keyId });

    const noKey = await harbour(['keys', 'rotate-notary'], env(t.config.HARBOUR_NOTARY_KEY!));
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('--new-key <file> is required');

    await append(2);
    const rotate = await harbour(
      ['keys', 'rotate-notary', '--new-key', join(dir, 'new.key')],
      env(t.config.HARBOUR_NOTARY_KEY!),
    );
    expect({ code: rotate.code, err: rotate.stderr }).toMatchObject({ code: 0 });
    const handedOver = JSON.parse(rotate.stdout) as { from: string; to: { keyId: string }; checkpoint: CheckpointV1 };
    expect(handedOver.from).toBe(old.keyId);
    expect(handedOver.checkpoint).toMatchObject({ keyId: old.keyId, handOver: { nextKeyId: handedOver.to.keyId } });
    expect(handedOver.checkpoint.eventCount).toBeGreaterThan(0); // it also covers what waited
    expect(rotate.stdout).not.toContain(fresh.der);

    // A process still holding the old key signs nothing more.
    await append(3);
    expect(await t.app.get(Notary).seal()).toBeNull();
    // The new key signs from here on.
    const sealed = await harbour(['notary', 'seal'], env(fresh.der));
    expect(JSON.parse(sealed.stdout).checkpoint).toMatchObject({ keyId: handedOver.to.keyId });

    const verifyNew = await harbour(['verify'], env(fresh.der));
    expect({ code: verifyNew.code, err: verifyNew.stderr }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(verifyNew.stdout).checkpoints).toMatchObject({
      ok: true,
      checkpointsChecked: 3,
      keyIds: [old.keyId, handedOver.to.keyId],
    });
    // An auditor who only ever had the old public key follows the hand-over forwards.
    const verifyOld = await harbour(['verify', '--public-key', join(dir, 'old.pem')], env(fresh.der));
    expect({ code: verifyOld.code, err: verifyOld.stderr }).toEqual({ code: 0, err: '' });
    // A key that is neither is refused.
    await writeFile(join(dir, 'other.pem'), newNotaryKey().pem);
    const other = await harbour(['verify', '--public-key', join(dir, 'other.pem')], env(fresh.der));
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('unknown-key');
    // A second hand-over from the retired key is refused.
    const again = await harbour(
      ['keys', 'rotate-notary', '--new-key', join(dir, 'new.key')],
      env(t.config.HARBOUR_NOTARY_KEY!),
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`already handed over to key ${handedOver.to.keyId}`);
  }, 240_000);

  it('the archive names both keys, and a restore verifies across the hand-over', async () => {
    const file = join(dir, 'log.ndjson');
    const exported = await harbour(['log', 'export', file], env(fresh.der));
    expect(exported.code).toBe(0);
    const header = JSON.parse((await readFile(file, 'utf8')).split('\n')[0]);
    expect(header.notaryKeys).toHaveLength(2);
    expect(header.notaryKeys.every((k: { publicKeyPem: string }) => k.publicKeyPem.includes('PUBLIC KEY'))).toBe(true);
    const target = await createTestDatabase();
    try {
      const restore = { ...env(fresh.der), DATABASE_URL: target.url };
      const imported = await harbour(['log', 'import', file], restore);
      expect({ code: imported.code, err: imported.stderr }).toEqual({ code: 0, err: '' });
      const verify = await harbour(['verify', '--public-key', join(dir, 'old.pem')], restore);
      expect(JSON.parse(verify.stdout)).toMatchObject({
        ok: true,
        checkpoints: { keyIds: header.notaryKeys.map((k: { keyId: string }) => k.keyId) },
      });
    } finally {
      await target.drop();
    }
  });
});
