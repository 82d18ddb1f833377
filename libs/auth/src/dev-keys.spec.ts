import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ConfigError, FixedClock, loadConfig } from '@harbour/kernel';
import { authSource } from './auth-source.js';
import { DevKeys } from './dev-keys.js';
import { TokenVerifier } from './token-verifier.js';

describe('development keys', () => {
  let dir: string;
  const clock = new FixedClock(new Date('2026-11-02T09:00:00Z'));
  const config = () => loadConfig({ HARBOUR_DATA_DIR: join(dir, 'data'), HARBOUR_DEV_KEYS: 'true' });
  const warnings: string[] = [];
  const devKeys = () => new DevKeys(config(), clock, (w) => warnings.push(w));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harbour-devkeys-'));
    warnings.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('are created on first use as an Ed25519 private JWK, mode 600, with a warning', async () => {
    const keys = devKeys();
    await keys.publicKey();
    const file = join(dir, 'data', 'dev-keys.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      kid: expect.any(String),
      d: expect.any(String),
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^WARNING: created development signing keys .*local development only/),
    ]);
  });

  it('are reused by the next process (same kid), which warns again', async () => {
    const first = await devKeys().mintDevToken({ userId: 'u', agencyId: 'a', roles: [] });
    const second = await devKeys().mintDevToken({ userId: 'u', agencyId: 'a', roles: [] });
    expect(decodeProtectedHeader(second).kid).toBe(decodeProtectedHeader(first).kid);
    expect(warnings[1]).toMatch(/^WARNING: using development signing keys/);
  });

  it('two processes starting at once end up with one key pair', async () => {
    const tokens = await Promise.all(
      [1, 2, 3].map(() => devKeys().mintDevToken({ userId: 'u', agencyId: 'a', roles: [] })),
    );
    expect(new Set(tokens.map((t) => decodeProtectedHeader(t).kid)).size).toBe(1);
  });

  it('refuse a key file others can read', async () => {
    await devKeys().publicKey();
    await chmod(join(dir, 'data', 'dev-keys.json'), 0o644);
    await expect(devKeys().publicKey()).rejects.toBeInstanceOf(ConfigError);
  });

  it('mint tokens the verifier accepts: issuer harbour-dev, the audience, sub, agency_id, roles, ttl', async () => {
    const keys = devKeys();
    const token = await keys.mintDevToken({
      userId: 'worker-1',
      agencyId: 'agency-1',
      roles: ['caseworker'],
      ttlSeconds: 600,
    });
    expect(decodeJwt(token)).toMatchObject({
      iss: 'harbour-dev',
      aud: 'harbour-api',
      sub: 'worker-1',
      agency_id: 'agency-1',
      roles: ['caseworker'],
    });
    const { iat, exp } = decodeJwt(token);
    expect(exp! - iat!).toBe(600);
    const verifier = new TokenVerifier(authSource(config()), clock, keys);
    await expect(verifier.verify(token)).resolves.toEqual({
      userId: 'worker-1',
      agencyId: 'agency-1',
      roles: ['caseworker'],
    });
  });

  it('a verified token is remembered until it expires, then refused as expired; a changed byte is never remembered', async () => {
    const keys = devKeys();
    const clockNow = new FixedClock(clock.now());
    const verifier = new TokenVerifier(authSource(config()), clockNow, keys);
    const token = await keys.mintDevToken({
      userId: 'worker-1',
      agencyId: 'agency-1',
      roles: ['caseworker'],
      ttlSeconds: 60,
    });
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'worker-1' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'worker-1' });
    const [header, , signature] = token.split('.');
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: 'someone-else' })).toString('base64url'),
      signature,
    ].join('.');
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'token-invalid' });
    clockNow.advance(91_000); // past exp plus the 30 s tolerance
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'token-expired' });
  });

  it.each([0, 3601, 1.5])('refuse a ttl of %s seconds (1..3600)', async (ttlSeconds) => {
    await expect(devKeys().mintDevToken({ userId: 'u', agencyId: 'a', roles: [], ttlSeconds })).rejects.toThrow(
      RangeError,
    );
  });

  it('default to a 15-minute token', async () => {
    const { iat, exp } = decodeJwt(await devKeys().mintDevToken({ userId: 'u', agencyId: 'a', roles: [] }));
    expect(exp! - iat!).toBe(900);
  });
});
