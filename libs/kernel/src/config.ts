import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const MASTER_KEY_SOURCE = '[A-Za-z0-9+/]{43}=?';
const MASTER_KEY_ID_SOURCE = '[A-Za-z0-9._-]{1,64}';
const MASTER_KEY = new RegExp(`^${MASTER_KEY_SOURCE}$`);
const MASTER_KEY_ID = new RegExp(`^${MASTER_KEY_ID_SOURCE}$`);
const RETIRED_ENTRY = `\\s*(?:${MASTER_KEY_ID_SOURCE}:)?${MASTER_KEY_SOURCE}\\s*`;
const RETIRED_MASTER_KEYS = new RegExp(`^${RETIRED_ENTRY}(?:,${RETIRED_ENTRY})*$`);

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

  /**
   * A standby (or a multi-host URL with `target_session_attrs=standby`) that the analysts'
   * reports and the privacy officers' access-log queries may read from while its replay lag is
   * within HARBOUR_READ_REPLICA_MAX_STALENESS_S; above it, and when it is unreachable, they read
   * the primary. Nothing else ever reads it (consent decisions, intake reads, access events).
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// or postgresql:// URL' })
  HARBOUR_READ_REPLICA_URL?: string;

  /** The staleness bound for reads from HARBOUR_READ_REPLICA_URL, in seconds. */
  @IsInt()
  @Min(0)
  @Max(3600)
  HARBOUR_READ_REPLICA_MAX_STALENESS_S = 5;

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

  /**
   * How several processes on one database share the background jobs: `advisory-lock`, each job
   * (projections included) on exactly one process at a time, taken over when it dies; or
   * `every-process`, each process runs every job (all are safe so, only wasteful).
   */
  @IsIn(['advisory-lock', 'every-process'])
  HARBOUR_JOB_LEADERSHIP: 'advisory-lock' | 'every-process' = 'advisory-lock';

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

  /**
   * The console's OIDC client (authorization code with PKCE) at HARBOUR_OIDC_ISSUER. Unset: the
   * console offers only the development sign-in (with HARBOUR_DEV_KEYS) or none.
   */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: '$property must be a client id without spaces' })
  HARBOUR_CONSOLE_CLIENT_ID?: string;

  /** The console client's secret (client_secret_basic); unset: a public client (PKCE only). */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{8,500}$/, { message: '$property must be at least 8 characters without spaces' })
  HARBOUR_CONSOLE_CLIENT_SECRET?: string;

  /** Where the provider sends the browser back: `<origin>/console/auth/callback`; plain http only on loopback. */
  @IsOptional()
  @Matches(/^(https:\/\/[^\s/?#]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?)\/console\/auth\/callback$/, {
    message: '$property must be an https:// URL ending in /console/auth/callback (http:// only for localhost)',
  })
  HARBOUR_CONSOLE_REDIRECT_URL?: string;

  /** A console session unused this long ends (the user signs in again). */
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  HARBOUR_CONSOLE_IDLE_MINUTES = 15;

  /** Sign and accept tokens with a key pair kept under the data folder (local development only). */
  @IsBoolean()
  HARBOUR_DEV_KEYS = false;

  /**
   * Master key wrapping every survivor's data key (see libs/privacy): 32 random bytes, base64
   * (`openssl rand -base64 32`). Required with DATABASE_URL; in fully local mode one is generated
   * under HARBOUR_DATA_DIR.
   */
  @IsOptional()
  @Matches(MASTER_KEY, {
    message: '$property must be exactly 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
  })
  HARBOUR_MASTER_KEY?: string;

  /** Name recorded with every data key wrapped under HARBOUR_MASTER_KEY (default: first 16 hex of its SHA-256). */
  @IsOptional()
  @Matches(MASTER_KEY_ID, { message: '$property must be 1 to 64 letters, digits, dots, underscores or hyphens' })
  HARBOUR_MASTER_KEY_ID?: string;

  /** Earlier master keys, comma-separated (each base64, optionally `id:` first): used to unwrap only, until rotated away. */
  @IsOptional()
  @Matches(RETIRED_MASTER_KEYS, {
    message: '$property must be a comma-separated list of 32-byte base64 keys, each optionally prefixed by `id:`',
  })
  HARBOUR_MASTER_KEYS_RETIRED?: string;

  /** Audit flags: more distinct survivors read outside the reader's care teams in one day than this raises a flag. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  HARBOUR_AUDIT_OUTSIDE_TEAM_DAILY = 20;

  /** Audit flags: this many refused reads by one staff member in one day raise a flag. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  HARBOUR_AUDIT_DENIALS_DAILY = 5;

  /** Audit flags: reads outside these hours (HH:MM-HH:MM, in HARBOUR_AUDIT_TIMEZONE) raise a flag. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, {
    message: '$property must be HH:MM-HH:MM (24-hour clock), e.g. 07:00-19:00',
  })
  HARBOUR_AUDIT_WORK_HOURS = '07:00-19:00';

  /** Audit flags: the IANA time zone the working hours and audit days are counted in. */
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/, {
    message: '$property must be an IANA time zone, e.g. America/Toronto or UTC',
  })
  HARBOUR_AUDIT_TIMEZONE = 'UTC';

  /**
   * Share codes (libs/sharing): the server-side pepper of their scrypt hash, 32 random bytes in
   * base64 (`openssl rand -base64 32`). Unset: derived from HARBOUR_MASTER_KEY (HKDF), which ties
   * outstanding codes to that key; production sets its own so a master-key rotation keeps them.
   */
  @IsOptional()
  @Matches(MASTER_KEY, {
    message: '$property must be exactly 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
  })
  HARBOUR_SHARE_CODE_PEPPER?: string;

  /**
   * Duplicate hints (libs/sharing, matching): the HMAC key of the identity encodings, 32 random
   * bytes in base64. Unset: derived from HARBOUR_MASTER_KEY (HKDF, label `harbour match-key v1`);
   * a new key (or master key) needs `harbour projections rebuild match-encodings`.
   */
  @IsOptional()
  @Matches(MASTER_KEY, {
    message: '$property must be exactly 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
  })
  HARBOUR_MATCH_KEY?: string;

  /** Share codes: failed redemptions by one worker within the window before their attempts are refused. */
  @IsInt()
  @Min(1)
  @Max(1000)
  HARBOUR_SHARE_CODE_FAILURES_PER_WORKER = 5;

  /** Share codes: failed redemptions across one agency within the window before its attempts are refused. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  HARBOUR_SHARE_CODE_FAILURES_PER_AGENCY = 20;

  /** Share codes: the sliding window (minutes) the failure limits count over. */
  @IsInt()
  @Min(1)
  @Max(1440)
  HARBOUR_SHARE_CODE_WINDOW_MINUTES = 15;

  /** Action plans (libs/action-plans): days after each plan year ends until its progress report is due. */
  @IsInt()
  @Min(1)
  @Max(365)
  HARBOUR_ACTION_PLAN_REPORT_DUE_DAYS = 60;

  /** Action plans: reminders go this many days before a report's deadline (comma-separated, one to five, each 1 to 999). */
  @Matches(/^([1-9]\d{0,2})(,[1-9]\d{0,2}){0,4}$/, {
    message: '$property must be one to five whole numbers of days, comma-separated, e.g. 30,7',
  })
  HARBOUR_ACTION_PLAN_REMINDER_DAYS = '30,7';
  /** Caseload (`GET /v1/caseload`): consents whose window ends within this many days are listed as expiring. */
  @IsInt()
  @Min(1)
  @Max(365)
  HARBOUR_CASELOAD_EXPIRING_DAYS = 14;
  /** Consent reminders: remind the care team this many days before a consent's window ends (docs/notifications.md). */
  @IsInt()
  @Min(1)
  @Max(365)
  HARBOUR_CONSENT_REMINDER_LEAD_DAYS = 14;

  /** Consent reminders: how often (seconds) the `consent-reminders` job looks for consents ending, expired or revoked. */
  @IsInt()
  @Min(1)
  @Max(86_400)
  HARBOUR_CONSENT_REMINDERS_EVERY_SECONDS = 30;

  /** Integrity notary: sign a checkpoint once this many events await one. */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  HARBOUR_NOTARY_EVERY_EVENTS = 1000;

  /** Integrity notary: sign a checkpoint at least this often (seconds) while events await one. */
  @IsInt()
  @Min(1)
  @Max(86_400)
  HARBOUR_NOTARY_EVERY_SECONDS = 60;

  /**
   * Integrity notary signing key: an Ed25519 private key, PKCS#8 DER in base64
   * (`openssl genpkey -algorithm ed25519 -outform DER | base64 -w0`). Required with DATABASE_URL;
   * generated under HARBOUR_DATA_DIR in fully local mode.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{40,200}={0,2}$/, {
    message: '$property must be an Ed25519 private key, PKCS#8 DER in base64',
  })
  HARBOUR_NOTARY_KEY?: string;

  /** HTTP rate limiting (see docs/architecture.md); off only for benchmarks and tests that need it. */
  @IsBoolean()
  HARBOUR_RATE_LIMIT = true;

  /** Rate limiting: the window the limits below count over (seconds). */
  @IsInt()
  @Min(1)
  @Max(3600)
  HARBOUR_RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Rate limiting: requests per window for one signed-in staff member (the verified token's subject). */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  HARBOUR_RATE_LIMIT_PER_SUBJECT = 600;

  /** Rate limiting: requests per window from one IP address without a verified token (stricter). */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  HARBOUR_RATE_LIMIT_PER_IP = 60;

  /** Whether HARBOUR_AUDIT_TIMEZONE names a zone the runtime knows. */
  auditZoneKnown(): boolean {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: this.HARBOUR_AUDIT_TIMEZONE });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Retention: `section=days` pairs, comma-separated (`story=730,health=365`): a section is
   * erased this many days after its record went inactive (docs/privacy.md). Empty: no retention.
   */
  @Matches(/^$|^[a-z]{1,20}=\d{1,5}(,[a-z]{1,20}=\d{1,5})*$/, {
    message: '$property must be section=days pairs, comma-separated, e.g. story=730,health=365',
  })
  HARBOUR_RETENTION = '';

  /** Retention: how often the retention job looks for expired sections. */
  @IsInt()
  @Min(1)
  @Max(86_400)
  HARBOUR_RETENTION_SWEEP_SECONDS = 3600;

  /** Reports: cells below this count are suppressed (never below 3; see docs/reporting.md). */
  @IsInt()
  @Min(3)
  @Max(1000)
  HARBOUR_REPORT_K = 5;

  /** Reports: round every published count to base 5. */
  @IsBoolean()
  HARBOUR_REPORT_ROUNDING = false;

  /** Reports: the one time grain of the network's reports (offering both would let months be subtracted from quarters). */
  @IsIn(['month', 'quarter'])
  HARBOUR_REPORT_PERIOD = 'month';

  /** Reports: JSON object, reporting region → region codes (`{"toronto":["on-toronto","on-peel"]}`); unmapped regions report as `other`. */
  @IsOptional()
  @IsString()
  HARBOUR_REPORT_REGIONS?: string;

  /** Reports: primary language subtags reported as their own group (others report as `other`). */
  @Matches(/^[a-z]{2,3}(,[a-z]{2,3})*$/, {
    message: '$property must be comma-separated primary language subtags, e.g. en,fr,es',
  })
  HARBOUR_REPORT_LANGUAGES = 'en,fr';

  /** Reports: each analyst's lifetime differential-privacy budget (total epsilon). */
  @Matches(/^(\d{1,3})(\.\d{1,6})?$/, { message: '$property must be a positive decimal number, e.g. 1 or 0.5' })
  HARBOUR_REPORT_DP_BUDGET = '1';

  get pgDir(): string {
    return this.HARBOUR_PG_DIR ?? `${this.HARBOUR_DATA_DIR.replace(/\/$/, '')}/pg`;
  }
}

export class ConfigError extends Error {
  constructor(
    readonly variables: string[],
    problems: string[],
  ) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  '1': true,
  yes: true,
  on: true,
  false: false,
  '0': false,
  no: false,
  off: false,
};

/** Settings without a default: read only when set. */
const OPTIONAL = [
  'DATABASE_URL',
  'HARBOUR_READ_REPLICA_URL',
  'HARBOUR_PG_DIR',
  'HARBOUR_OIDC_ISSUER',
  'HARBOUR_OIDC_JWKS_URL',
  'HARBOUR_CONSOLE_CLIENT_ID',
  'HARBOUR_CONSOLE_CLIENT_SECRET',
  'HARBOUR_CONSOLE_REDIRECT_URL',
  'HARBOUR_MASTER_KEY',
  'HARBOUR_MASTER_KEY_ID',
  'HARBOUR_MASTER_KEYS_RETIRED',
  'HARBOUR_NOTARY_KEY',
  'HARBOUR_SHARE_CODE_PEPPER',
  'HARBOUR_MATCH_KEY',
  'HARBOUR_REPORT_REGIONS',
];

/**
 * Settings that are only wrong together. Having no token source at all is not an error here
 * (the CLI's migrate/verify need none); the API's AuthModule refuses to boot without one.
 */
function crossCheck(config: HarbourConfig): ConfigError | null {
  if (config.HARBOUR_DEV_KEYS && (config.HARBOUR_OIDC_JWKS_URL || config.HARBOUR_OIDC_ISSUER)) {
    return new ConfigError(
      ['HARBOUR_DEV_KEYS', 'HARBOUR_OIDC_JWKS_URL', 'HARBOUR_OIDC_ISSUER'],
      [
        'HARBOUR_DEV_KEYS cannot be combined with HARBOUR_OIDC_JWKS_URL/HARBOUR_OIDC_ISSUER: configure exactly one token source',
      ],
    );
  }
  if (config.HARBOUR_MASTER_KEY_ID && !config.HARBOUR_MASTER_KEY) {
    return new ConfigError(
      ['HARBOUR_MASTER_KEY'],
      ['HARBOUR_MASTER_KEY must be set too: HARBOUR_MASTER_KEY_ID names it'],
    );
  }
  if (config.HARBOUR_DEV_KEYS && !['127.0.0.1', 'localhost', '::1'].includes(config.HOST)) {
    return new ConfigError(
      ['HARBOUR_DEV_KEYS', 'HOST'],
      ['HARBOUR_DEV_KEYS only works with HOST on the loopback interface (development keys must never face a network)'],
    );
  }
  if (Boolean(config.HARBOUR_OIDC_JWKS_URL) !== Boolean(config.HARBOUR_OIDC_ISSUER)) {
    const missing = config.HARBOUR_OIDC_JWKS_URL ? 'HARBOUR_OIDC_ISSUER' : 'HARBOUR_OIDC_JWKS_URL';
    return new ConfigError(
      [missing],
      [`${missing} must be set too: HARBOUR_OIDC_JWKS_URL and HARBOUR_OIDC_ISSUER go together`],
    );
  }
  if (config.HARBOUR_CONSOLE_CLIENT_ID && !(config.HARBOUR_CONSOLE_REDIRECT_URL && config.HARBOUR_OIDC_ISSUER)) {
    return new ConfigError(
      ['HARBOUR_CONSOLE_REDIRECT_URL', 'HARBOUR_OIDC_ISSUER'],
      [
        'HARBOUR_CONSOLE_CLIENT_ID needs HARBOUR_CONSOLE_REDIRECT_URL and HARBOUR_OIDC_ISSUER (the provider it signs in at)',
      ],
    );
  }
  if (
    (config.HARBOUR_CONSOLE_CLIENT_SECRET || config.HARBOUR_CONSOLE_REDIRECT_URL) &&
    !config.HARBOUR_CONSOLE_CLIENT_ID
  ) {
    return new ConfigError(
      ['HARBOUR_CONSOLE_CLIENT_ID'],
      ['HARBOUR_CONSOLE_CLIENT_ID must be set too: the console client secret and redirect URL belong to it'],
    );
  }
  if (config.HARBOUR_RATE_LIMIT_PER_IP > config.HARBOUR_RATE_LIMIT_PER_SUBJECT) {
    return new ConfigError(
      ['HARBOUR_RATE_LIMIT_PER_IP', 'HARBOUR_RATE_LIMIT_PER_SUBJECT'],
      [
        'HARBOUR_RATE_LIMIT_PER_IP must not exceed HARBOUR_RATE_LIMIT_PER_SUBJECT: requests without a verified token get the stricter limit',
      ],
    );
  }
  if (!config.auditZoneKnown()) {
    return new ConfigError(
      ['HARBOUR_AUDIT_TIMEZONE'],
      ['HARBOUR_AUDIT_TIMEZONE must be a time zone this Node.js knows (IANA name, e.g. America/Toronto)'],
    );
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
    throw new ConfigError(
      errors.map((e) => e.property),
      problems,
    );
  }
  // Fully local mode (no database, no identity provider configured): development sign-in, so
  // `npm start` works on a fresh machine. Anything pointed at a real database must choose.
  if (
    !config.DATABASE_URL &&
    !config.HARBOUR_OIDC_JWKS_URL &&
    !config.HARBOUR_OIDC_ISSUER &&
    env.HARBOUR_DEV_KEYS === undefined
  )
    config.HARBOUR_DEV_KEYS = true;
  const inconsistent = crossCheck(config);
  if (inconsistent) throw inconsistent;
  return config;
}
