import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

/**
 * Every setting Harbour reads from the environment, validated once at boot.
 * A bad value stops start-up with a message naming the variable (values are not echoed:
 * some, like DATABASE_URL, carry secrets).
 */
export class HarbourConfig {
  /** External PostgreSQL; when absent an embedded server is started under the data folder. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Local state: embedded PostgreSQL data, development keys. */
  @IsString()
  HARBOUR_DATA_DIR = './.harbour';

  /** Embedded PostgreSQL data folder (default: <HARBOUR_DATA_DIR>/pg). */
  @IsOptional()
  @IsString()
  HARBOUR_PG_DIR?: string;

  @IsInt()
  @Min(1024)
  @Max(65535)
  HARBOUR_PG_PORT = 54329;

  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsInt()
  @Min(2)
  @Max(200)
  HARBOUR_DB_POOL_SIZE = 20;

  /** Run projections in this process (turn off on extra API replicas if wanted). */
  @IsBoolean()
  HARBOUR_PROJECTIONS = true;

  /** How often subscribers poll for events appended by other processes. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  HARBOUR_POLL_INTERVAL_MS = 250;

  /** Removal motions: the agency in question is notified this long before voting opens. */
  @IsInt()
  @Min(0)
  @Max(24 * 90)
  HARBOUR_MOTION_NOTICE_HOURS = 72;

  /** Removal motions: how long voting stays open. */
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  HARBOUR_MOTION_VOTING_HOURS = 168;

  /** OIDC issuer (`iss`) of the tokens the API accepts; required with HARBOUR_OIDC_JWKS_URL. */
  @IsOptional()
  @Matches(/^\S+$/, { message: '$property must be a non-empty string without spaces' })
  HARBOUR_OIDC_ISSUER?: string;

  /** Audience (`aud`) every accepted token must name. */
  @Matches(/^\S+$/, { message: '$property must be a non-empty string without spaces' })
  HARBOUR_OIDC_AUDIENCE = 'harbour-api';

  /** The identity provider's JWKS; plain http only on the loopback interface. */
  @IsOptional()
  @Matches(/^(https:\/\/[^\s/?#]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?)([/?#]\S*)?$/, {
    message: '$property must be an https:// URL (http:// only for localhost)',
  })
  HARBOUR_OIDC_JWKS_URL?: string;

  /** Sign and accept tokens with a key pair kept under the data folder (local development only). */
  @IsBoolean()
  HARBOUR_DEV_KEYS = false;

  get pgDir(): string {
    return this.HARBOUR_PG_DIR ?? `${this.HARBOUR_DATA_DIR.replace(/\/$/, '')}/pg`;
  }
}

export class ConfigError extends Error {
  constructor(readonly variables: string[], problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false };

/** Settings without a default: read only when set. */
const OPTIONAL = ['DATABASE_URL', 'HARBOUR_PG_DIR', 'HARBOUR_OIDC_ISSUER', 'HARBOUR_OIDC_JWKS_URL'];

/**
 * Settings that are only wrong together. Having no token source at all is not an error here
 * (the CLI's migrate/verify need none); the API's AuthModule refuses to boot without one.
 */
function crossCheck(config: HarbourConfig): ConfigError | null {
  if (config.HARBOUR_DEV_KEYS && (config.HARBOUR_OIDC_JWKS_URL || config.HARBOUR_OIDC_ISSUER)) {
    return new ConfigError(['HARBOUR_DEV_KEYS', 'HARBOUR_OIDC_JWKS_URL', 'HARBOUR_OIDC_ISSUER'], [
      'HARBOUR_DEV_KEYS cannot be combined with HARBOUR_OIDC_JWKS_URL/HARBOUR_OIDC_ISSUER: configure exactly one token source',
    ]);
  }
  if (Boolean(config.HARBOUR_OIDC_JWKS_URL) !== Boolean(config.HARBOUR_OIDC_ISSUER)) {
    const missing = config.HARBOUR_OIDC_JWKS_URL ? 'HARBOUR_OIDC_ISSUER' : 'HARBOUR_OIDC_JWKS_URL';
    return new ConfigError([missing], [`${missing} must be set too: HARBOUR_OIDC_JWKS_URL and HARBOUR_OIDC_ISSUER go together`]);
  }
  return null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HarbourConfig {
  const defaults = new HarbourConfig();
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults).concat(OPTIONAL)) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    const current = (defaults as unknown as Record<string, unknown>)[key];
    if (typeof current === 'number') raw[key] = /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    else if (typeof current === 'boolean') raw[key] = BOOLEANS[value.trim().toLowerCase()] ?? value;
    else raw[key] = value;
  }
  const config = plainToInstance(HarbourConfig, raw);
  const errors = validateSync(config, { validationError: { target: false, value: false } });
  if (errors.length > 0) {
    const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new ConfigError(errors.map((e) => e.property), problems);
  }
  const inconsistent = crossCheck(config);
  if (inconsistent) throw inconsistent;
  return config;
}
