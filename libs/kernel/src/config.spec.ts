import { ConfigError, loadConfig } from './config.js';

describe('configuration at boot', () => {
  it('has working defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HARBOUR_PG_PORT: 54329, HARBOUR_PROJECTIONS: true, LOG_LEVEL: 'info' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.pgDir).toBe('./.harbour/pg');
  });

  it('reads numbers, booleans and paths from the environment', () => {
    const config = loadConfig({
      PORT: '8080',
      HARBOUR_PROJECTIONS: 'off',
      HARBOUR_DATA_DIR: '/var/lib/harbour/',
      DATABASE_URL: 'postgres://u:p@db:5432/harbour',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      HARBOUR_PROJECTIONS: false,
      DATABASE_URL: 'postgres://u:p@db:5432/harbour',
    });
    expect(config.pgDir).toBe('/var/lib/harbour/pg');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['HARBOUR_PG_PORT', '80'],
    ['DATABASE_URL', 'mysql://root@db/harbour'],
    ['LOG_LEVEL', 'loud'],
    ['HARBOUR_PROJECTIONS', 'maybe'],
    ['HARBOUR_POLL_INTERVAL_MS', '1.5'],
    ['HARBOUR_AUDIT_WORK_HOURS', '7-19'],
    ['HARBOUR_AUDIT_WORK_HOURS', '07:00-24:00'],
    ['HARBOUR_AUDIT_OUTSIDE_TEAM_DAILY', '0'],
    ['HARBOUR_AUDIT_DENIALS_DAILY', 'many'],
    ['HARBOUR_AUDIT_TIMEZONE', 'Mars/Olympus_Mons'],
    ['HARBOUR_NOTARY_EVERY_EVENTS', '0'],
    ['HARBOUR_NOTARY_EVERY_SECONDS', '86401'],
    ['HARBOUR_NOTARY_KEY', 'not a key!'],
    ['HARBOUR_RATE_LIMIT', 'sometimes'],
    ['HARBOUR_RATE_LIMIT_WINDOW_SECONDS', '0'],
    ['HARBOUR_RATE_LIMIT_PER_SUBJECT', 'lots'],
    ['HARBOUR_RATE_LIMIT_PER_IP', '-1'],
    ['HARBOUR_EVENT_STORE', 'mongodb'],
    ['HARBOUR_KURRENTDB_URL', 'http://kurrent:2113'],
  ])('refuses a bad %s and names it, without echoing the value', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables).toEqual([variable]);
    expect((error as ConfigError).message).toContain(variable);
    expect((error as ConfigError).message).not.toContain(value);
  });

  it('limits requests by default, stricter without a verified token, and refuses a per-IP limit above the per-subject one', () => {
    expect(loadConfig({})).toMatchObject({
      HARBOUR_RATE_LIMIT: true,
      HARBOUR_RATE_LIMIT_WINDOW_SECONDS: 60,
      HARBOUR_RATE_LIMIT_PER_SUBJECT: 600,
      HARBOUR_RATE_LIMIT_PER_IP: 60,
    });
    expect(loadConfig({ HARBOUR_RATE_LIMIT: 'off' }).HARBOUR_RATE_LIMIT).toBe(false);
    expect(() => loadConfig({ HARBOUR_RATE_LIMIT_PER_IP: '700' })).toThrow(
      /HARBOUR_RATE_LIMIT_PER_IP must not exceed HARBOUR_RATE_LIMIT_PER_SUBJECT/,
    );
  });

  it('keeps the log on PostgreSQL by default and refuses kurrentdb without a URL', () => {
    expect(loadConfig({}).HARBOUR_EVENT_STORE).toBe('postgres');
    expect(() => loadConfig({ HARBOUR_EVENT_STORE: 'kurrentdb' })).toThrow(/HARBOUR_KURRENTDB_URL must be set/);
    expect(
      loadConfig({ HARBOUR_EVENT_STORE: 'kurrentdb', HARBOUR_KURRENTDB_URL: 'kurrentdb://localhost:2113?tls=false' }),
    ).toMatchObject({
      HARBOUR_EVENT_STORE: 'kurrentdb',
      HARBOUR_KURRENTDB_URL: 'kurrentdb://localhost:2113?tls=false',
    });
  });

  it('configures the console: idle minutes, and an OIDC client only complete and with a safe redirect URL', () => {
    expect(loadConfig({}).HARBOUR_CONSOLE_IDLE_MINUTES).toBe(15);
    expect(() => loadConfig({ HARBOUR_CONSOLE_IDLE_MINUTES: '0' })).toThrow(/HARBOUR_CONSOLE_IDLE_MINUTES/);
    const oidc = {
      HARBOUR_OIDC_ISSUER: 'https://id.example.org',
      HARBOUR_OIDC_JWKS_URL: 'https://id.example.org/jwks',
      HARBOUR_CONSOLE_CLIENT_ID: 'harbour-console',
    };
    expect(
      loadConfig({ ...oidc, HARBOUR_CONSOLE_REDIRECT_URL: 'https://harbour.example.org/console/auth/callback' }),
    ).toMatchObject({ HARBOUR_CONSOLE_CLIENT_ID: 'harbour-console' });
    expect(() => loadConfig(oidc)).toThrow(/HARBOUR_CONSOLE_CLIENT_ID needs HARBOUR_CONSOLE_REDIRECT_URL/);
    expect(() =>
      loadConfig({ ...oidc, HARBOUR_CONSOLE_REDIRECT_URL: 'http://harbour.example.org/console/auth/callback' }),
    ).toThrow(/HARBOUR_CONSOLE_REDIRECT_URL must be an https:\/\/ URL/);
    expect(() => loadConfig({ HARBOUR_CONSOLE_CLIENT_SECRET: 'secret-0123456789' })).toThrow(
      /HARBOUR_CONSOLE_CLIENT_ID must be set too/,
    );
  });
});
