import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigError, KernelModule, loadConfig, systemClock } from '@harbour/kernel';
import { AuthModule } from './auth.module.js';
import { authSource } from './auth-source.js';
import { StaffDirectory } from './principal.js';

/** Any StaffDirectory, so the only thing missing is the token source. */
@Module({
  providers: [{ provide: StaffDirectory, useValue: { standing: async () => null } }],
  exports: [StaffDirectory],
})
class StubStaffModule {}

const refusal = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const JWKS = {
  HARBOUR_OIDC_ISSUER: 'https://id.example.org/realms/harbour',
  HARBOUR_OIDC_JWKS_URL: 'https://id.example.org/realms/harbour/certs',
};

const DB = 'postgres://harbour@db.internal:5432/harbour';

describe('auth configuration', () => {
  it('defaults: audience harbour-api, no provider; dev keys on only in fully local mode', () => {
    expect(loadConfig({ DATABASE_URL: DB })).toMatchObject({
      HARBOUR_OIDC_AUDIENCE: 'harbour-api',
      HARBOUR_DEV_KEYS: false,
    });
    expect(loadConfig({ DATABASE_URL: DB }).HARBOUR_OIDC_JWKS_URL).toBeUndefined();
    expect(loadConfig({}).HARBOUR_DEV_KEYS).toBe(true); // no database, no provider: `npm start` on a fresh machine
    expect(loadConfig({ HARBOUR_DEV_KEYS: 'false' }).HARBOUR_DEV_KEYS).toBe(false);
    expect(loadConfig(JWKS).HARBOUR_DEV_KEYS).toBe(false);
  });

  it('refuses dev keys on a non-loopback HOST', () => {
    expect(refusal(() => loadConfig({ HOST: '0.0.0.0' })).variables).toEqual(['HARBOUR_DEV_KEYS', 'HOST']);
  });

  it.each([
    'https://id.example.org/certs',
    'https://id.example.org:8443/realms/x/protocol/openid-connect/certs',
    'http://localhost:8080/jwks',
    'http://127.0.0.1:4000/jwks',
    'http://[::1]:4000/jwks',
  ])('accepts the JWKS URL %s', (url) => {
    expect(authSource(loadConfig({ ...JWKS, HARBOUR_OIDC_JWKS_URL: url }))).toMatchObject({
      kind: 'jwks',
      issuer: JWKS.HARBOUR_OIDC_ISSUER,
      audience: 'harbour-api',
    });
  });

  it.each([
    'http://id.example.org/certs',
    'http://localhost.evil.example/certs',
    'http://localhost@evil.example/certs',
    'ftp://id.example.org/certs',
    'certs',
  ])('refuses the JWKS URL %s, naming the variable (plain http only on loopback)', (url) => {
    const error = refusal(() => loadConfig({ ...JWKS, HARBOUR_OIDC_JWKS_URL: url }));
    expect(error.variables).toEqual(['HARBOUR_OIDC_JWKS_URL']);
    expect(error.message).not.toContain(url);
  });

  it('a JWKS URL needs its issuer, and the other way round', () => {
    expect(refusal(() => loadConfig({ HARBOUR_OIDC_JWKS_URL: JWKS.HARBOUR_OIDC_JWKS_URL })).variables).toEqual([
      'HARBOUR_OIDC_ISSUER',
    ]);
    expect(refusal(() => loadConfig({ HARBOUR_OIDC_ISSUER: JWKS.HARBOUR_OIDC_ISSUER })).variables).toEqual([
      'HARBOUR_OIDC_JWKS_URL',
    ]);
  });

  it('dev keys and an identity provider together are refused: exactly one source', () => {
    const error = refusal(() => loadConfig({ ...JWKS, HARBOUR_DEV_KEYS: 'true' }));
    expect(error.variables).toEqual(expect.arrayContaining(['HARBOUR_DEV_KEYS', 'HARBOUR_OIDC_JWKS_URL']));
  });

  it('dev keys: issuer harbour-dev, the configured audience', () => {
    expect(authSource(loadConfig({ HARBOUR_DEV_KEYS: 'on', HARBOUR_OIDC_AUDIENCE: 'harbour-local' }))).toEqual({
      kind: 'dev-keys',
      issuer: 'harbour-dev',
      audience: 'harbour-local',
    });
  });

  it('no source at all: loadConfig passes (the CLI needs none) but authSource names every variable', () => {
    const error = refusal(() => authSource(loadConfig({ DATABASE_URL: DB })));
    expect(error.variables).toEqual(['HARBOUR_OIDC_JWKS_URL', 'HARBOUR_OIDC_ISSUER', 'HARBOUR_DEV_KEYS']);
    expect(error.message).toMatch(/HARBOUR_OIDC_JWKS_URL.*HARBOUR_OIDC_ISSUER.*HARBOUR_DEV_KEYS/);
  });

  it('the API fails at boot without a token source (AuthModule throws ConfigError)', async () => {
    const boot = Test.createTestingModule({
      imports: [
        KernelModule.forRoot(loadConfig({ DATABASE_URL: DB }), systemClock),
        AuthModule.forRoot({ imports: [StubStaffModule] }),
      ],
    }).compile();
    await expect(boot).rejects.toBeInstanceOf(ConfigError);
  });

  it('the API fails at boot when no StaffDirectory is provided, naming it', async () => {
    const boot = Test.createTestingModule({
      imports: [KernelModule.forRoot(loadConfig(JWKS), systemClock), AuthModule.forRoot()],
    }).compile();
    await expect(boot).rejects.toThrow(/StaffDirectory/);
  });
});
