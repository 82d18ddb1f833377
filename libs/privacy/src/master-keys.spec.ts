import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '@harbour/kernel';
import { deriveMasterKeyId, masterKeysFromConfig, resolveMasterKey } from './master-keys.js';

const refusal = async (fn: () => unknown): Promise<ConfigError> => {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const b64 = (n: number) => randomBytes(n).toString('base64');

describe('master key configuration', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harbour-mk-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('takes HARBOUR_MASTER_KEY, deriving its id from its SHA-256 unless HARBOUR_MASTER_KEY_ID names it', () => {
    const key = randomBytes(32);
    const keys = masterKeysFromConfig(loadConfig({ HARBOUR_MASTER_KEY: key.toString('base64') }));
    expect(keys.current.key.equals(key)).toBe(true);
    expect(keys.current.id).toBe(deriveMasterKeyId(key));
    expect(keys.current.id).toMatch(/^[0-9a-f]{16}$/);
    expect(
      masterKeysFromConfig(
        loadConfig({ HARBOUR_MASTER_KEY: key.toString('base64'), HARBOUR_MASTER_KEY_ID: 'kms-2026-01' }),
      ).current.id,
    ).toBe('kms-2026-01');
  });

  it('reads retired keys, with or without an id, for unwrapping only', () => {
    const [current, old1, old2] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const keys = masterKeysFromConfig(
      loadConfig({
        HARBOUR_MASTER_KEY: current.toString('base64'),
        HARBOUR_MASTER_KEYS_RETIRED: ` ${old1.toString('base64')} , kms-2025:${old2.toString('base64')},${current.toString('base64')}`,
      }),
    );
    expect(keys.retired.map((k) => k.id)).toEqual([deriveMasterKeyId(old1), 'kms-2025']);
    expect(keys.byId('kms-2025')?.key.equals(old2)).toBe(true);
  });

  it('never prints key bytes', () => {
    const key = b64(32);
    const keys = masterKeysFromConfig(loadConfig({ HARBOUR_MASTER_KEY: key }));
    expect(JSON.stringify(keys)).not.toContain(key);
    expect(inspect(keys)).not.toContain(key);
    expect(inspect(keys)).not.toContain(keys.current.key.toString('hex'));
  });

  it.each([
    ['HARBOUR_MASTER_KEY', b64(16)],
    ['HARBOUR_MASTER_KEY', b64(33)],
    ['HARBOUR_MASTER_KEY', b64(31)],
    ['HARBOUR_MASTER_KEY', 'this is not base64 at all, not at all!!!!!!!'],
    ['HARBOUR_MASTER_KEY', randomBytes(32).toString('hex')],
    ['HARBOUR_MASTER_KEY_ID', 'has spaces in it'],
    ['HARBOUR_MASTER_KEYS_RETIRED', `${b64(32)},${b64(16)}`],
    ['HARBOUR_MASTER_KEYS_RETIRED', 'nope'],
  ])('refuses a bad %s, naming it without echoing the value', async (variable, value) => {
    const env =
      variable === 'HARBOUR_MASTER_KEY' ? { [variable]: value } : { HARBOUR_MASTER_KEY: b64(32), [variable]: value };
    const error = await refusal(() => loadConfig(env));
    expect(error.variables).toEqual([variable]);
    expect(error.message).toContain(variable);
    expect(error.message).not.toContain(value);
    for (const part of value.split(',')) expect(error.message).not.toContain(part);
  });

  it('HARBOUR_MASTER_KEY_ID alone is refused, naming HARBOUR_MASTER_KEY', async () => {
    expect((await refusal(() => loadConfig({ HARBOUR_MASTER_KEY_ID: 'k1' }))).variables).toEqual([
      'HARBOUR_MASTER_KEY',
    ]);
  });

  it('with DATABASE_URL and no key: ConfigError naming HARBOUR_MASTER_KEY, and nothing is written', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:hunter2@db/harbour', HARBOUR_DATA_DIR: dir });
    const error = await refusal(() => resolveMasterKey(config, dir, () => undefined));
    expect(error.variables).toEqual(['HARBOUR_MASTER_KEY']);
    expect(error.message).not.toContain('hunter2');
    await expect(stat(join(dir, 'master-key.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fully local (no DATABASE_URL, no key): generates a key file, mode 600, with a warning, and keeps using it', async () => {
    const warnings: string[] = [];
    const first = loadConfig({ HARBOUR_DATA_DIR: join(dir, 'data') });
    const keys = await resolveMasterKey(first, join(dir, 'data'), (m) => warnings.push(m));
    const path = join(dir, 'data', 'master-key.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARNING: created a local master key/);
    expect(warnings[0]).not.toContain(keys.current.key.toString('base64'));
    // The config now carries it, so a later resolution (after the embedded database set DATABASE_URL) agrees.
    first.DATABASE_URL = 'postgres://localhost/harbour';
    expect((await resolveMasterKey(first, join(dir, 'data'), (m) => warnings.push(m))).current.id).toBe(
      keys.current.id,
    );
    // A restart reads the same file.
    const again = await resolveMasterKey(loadConfig({}), join(dir, 'data'), (m) => warnings.push(m));
    expect(again.current.key.equals(keys.current.key)).toBe(true);
    expect(warnings[1]).toMatch(/^WARNING: using a local master key/);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ kid: keys.current.id });
  });

  it('refuses a local key file that others can read', async () => {
    await resolveMasterKey(loadConfig({}), dir, () => undefined);
    await chmod(join(dir, 'master-key.json'), 0o644);
    expect((await refusal(() => resolveMasterKey(loadConfig({}), dir, () => undefined))).variables).toEqual([
      'HARBOUR_DATA_DIR',
    ]);
  });

  it('two processes starting at once agree on one local key', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => resolveMasterKey(loadConfig({}), dir, () => undefined)),
    );
    expect(new Set(results.map((k) => k.current.id)).size).toBe(1);
  });
});
