import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { decodeJwt } from 'jose';
import { authSource, DevKeys, TokenVerifier } from '@harbour/auth';
import { FixedClock, HarbourConfig, KernelModule, loadConfig } from '@harbour/kernel';
import { tokenCommand } from '../../apps/cli/src/commands/token.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TestStaffDirectory, TestStaffModule } from './auth-fixtures.js';
import { CLI, harbour } from '../support/cli.js';

/** Run a CLI command in this process, capturing what it prints. */
async function capture(run: () => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  const write = process.stdout.write.bind(process.stdout);
  const error = console.error;
  let stdout = '';
  let stderr = '';
  process.stdout.write = (chunk: string) => ((stdout += chunk), true);
  console.error = (...args: unknown[]) => (stderr += `${args.join(' ')}\n`);
  try {
    return { code: await run(), stdout, stderr };
  } finally {
    process.stdout.write = write;
    console.error = error;
  }
}

describe('harbour token', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harbour-token-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  describe('the command against the StaffDirectory port (in process)', () => {
    let app: INestApplicationContext;
    const directory = new TestStaffDirectory();
    const clock = new FixedClock(new Date('2026-11-02T09:00:00Z'));

    beforeEach(async () => {
      const config = loadConfig({ HARBOUR_DATA_DIR: dir, HARBOUR_DEV_KEYS: 'true' });
      app = await NestFactory.createApplicationContext(
        {
          module: class TokenTestModule {},
          imports: [KernelModule.forRoot(config, clock), TestStaffModule.with(directory)],
        },
        { logger: false },
      );
      directory.put({ userId: 'worker-1', agencyId: 'agency-1', roles: ['caseworker', 'supervisor'] });
      directory.put({ userId: 'leaver-1', active: false });
    });
    afterEach(() => app?.close());

    it('mints a token carrying the staff record’s agency and roles, which the API verifier accepts', async () => {
      const result = await capture(() => tokenCommand('worker-1', 600)(app));
      expect(result.code).toBe(0);
      const out = JSON.parse(result.stdout);
      expect(out).toMatchObject({
        token_type: 'Bearer',
        expires_in: 600,
        user_id: 'worker-1',
        agency_id: 'agency-1',
        roles: ['caseworker', 'supervisor'],
      });
      const claims = decodeJwt(out.access_token);
      expect(claims).toMatchObject({
        iss: 'harbour-dev',
        sub: 'worker-1',
        agency_id: 'agency-1',
        roles: ['caseworker', 'supervisor'],
      });
      expect(claims.exp! - claims.iat!).toBe(600);
      expect(result.stderr).toMatch(/WARNING: created development signing keys/);
      const config = app.get(HarbourConfig);
      const verifier = new TokenVerifier(authSource(config), clock, new DevKeys(config, clock, () => undefined));
      await expect(verifier.verify(out.access_token)).resolves.toMatchObject({
        userId: 'worker-1',
        agencyId: 'agency-1',
      });
    });

    it('unknown user → exit 1, nothing on stdout', async () => {
      const result = await capture(() => tokenCommand('nobody', 900)(app));
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(/no staff member has user id "nobody"/);
    });

    it('deactivated staff → exit 1', async () => {
      const result = await capture(() => tokenCommand('leaver-1', 900)(app));
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(/deactivated/);
    });
  });

  describe('the built CLI', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm test does)`);
      database = await createTestDatabase();
    });
    afterAll(() => database?.drop());

    it('refuses with HARBOUR_DEV_KEYS off: exit 1, a clear message, nothing started or written', async () => {
      const result = await harbour(['token', '--user', 'worker-1'], {
        HARBOUR_DATA_DIR: dir,
        HARBOUR_DEV_KEYS: 'false',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/refused: HARBOUR_DEV_KEYS is off/);
      expect(result.stdout).toBe('');
      expect(await readdir(dir)).toEqual([]);
    });

    it.each(['0', '3601', 'abc'])('refuses --ttl %s (1..3600 seconds)', async (ttl) => {
      const result = await harbour(['token', '--user', 'worker-1', '--ttl', ttl], {
        HARBOUR_DATA_DIR: dir,
        HARBOUR_DEV_KEYS: 'true',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/--ttl must be a whole number of seconds from 1 to 3600/);
    });

    it('requires --user', async () => {
      const result = await harbour(['token'], { HARBOUR_DATA_DIR: dir, HARBOUR_DEV_KEYS: 'true' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/--user/);
    });

    it('an unknown user → exit 1 naming the user id', async () => {
      const result = await harbour(['token', '--user', 'nobody'], {
        HARBOUR_DATA_DIR: dir,
        HARBOUR_DEV_KEYS: 'true',
        DATABASE_URL: database.url,
        HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no staff member has user id "nobody"/);
      expect(result.stdout).toBe('');
    });
  });
});
