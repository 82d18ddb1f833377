import pg from 'pg';

/**
 * Multi-host connection URLs (`postgres://u:p@h1:5441,h2:5442,h3:5443/db?target_session_attrs=read-write`),
 * as libpq reads them. node-postgres takes one host only (brianc/node-postgres#1470), so a URL
 * with several hosts, or with `target_session_attrs`, gets a `pg.Client` subclass that, before
 * each new connection, finds the host whose session has the asked-for attributes and connects
 * there. A single-host URL without `target_session_attrs` never meets this code: it goes to
 * node-postgres unchanged.
 */
export type TargetSessionAttrs = 'any' | 'read-write' | 'read-only' | 'primary' | 'standby' | 'prefer-standby';
const ATTRS: readonly TargetSessionAttrs[] = ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'];

export interface HostPort {
  host: string;
  port: number;
}

export interface ParsedDatabaseUrl {
  hosts: HostPort[];
  targetSessionAttrs: TargetSessionAttrs;
  /** Whether the URL needs the host walk (several hosts, or session attributes to check). */
  multiHost: boolean;
  /** The same URL naming one host, without `target_session_attrs` (what node-postgres reads). */
  urlFor(host: HostPort): string;
}

const URL_SHAPE = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/;

/** Parses a PostgreSQL URL's host list and `target_session_attrs`; errors never echo the URL (it holds a password). */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const m = URL_SHAPE.exec(url);
  if (!m) throw new Error('DATABASE_URL is not a postgres:// URL');
  const [, scheme, auth = '', hostList, path = '', query = ''] = m;
  const params = new URLSearchParams(query.slice(1));
  const attrs = params.get('target_session_attrs') ?? 'any';
  if (!ATTRS.includes(attrs as TargetSessionAttrs))
    throw new Error(`target_session_attrs must be one of ${ATTRS.join(', ')}`);
  const defaultPort = Number(params.get('port') ?? 5432);
  const hosts = hostList.split(',').map((entry): HostPort => {
    const ipv6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const plain = /^([^:]*)(?::(\d+))?$/.exec(entry);
    const [, host, port] = ipv6 ?? plain ?? [];
    if (host === undefined) throw new Error('DATABASE_URL has a malformed host');
    return { host: decodeURIComponent(host) || 'localhost', port: port ? Number(port) : defaultPort };
  });
  if (hosts.some((h) => !Number.isInteger(h.port) || h.port < 1 || h.port > 65_535))
    throw new Error('DATABASE_URL has a port out of range');
  params.delete('target_session_attrs');
  const rest = params.toString();
  return {
    hosts,
    targetSessionAttrs: attrs as TargetSessionAttrs,
    multiHost: hosts.length > 1 || attrs !== 'any',
    urlFor: (h) =>
      `${scheme}${auth}${h.host.includes(':') ? `[${h.host}]` : encodeURIComponent(h.host)}:${h.port}${path}${rest ? `?${rest}` : ''}`,
  };
}

interface SessionState {
  recovery: boolean;
  readOnly: boolean;
}

const SESSION_SQL = `SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') = 'on' AS "readOnly"`;

function fits(attrs: TargetSessionAttrs, s: SessionState): boolean {
  switch (attrs) {
    case 'any':
    case 'prefer-standby':
      return true;
    case 'read-write':
      return !s.readOnly;
    case 'read-only':
      return s.readOnly;
    case 'primary':
      return !s.recovery;
    case 'standby':
      return s.recovery;
    default: {
      const never: never = attrs;
      return never;
    }
  }
}

/** A connection-class failure (SQLSTATE 08001): mapped to 503 like any unreachable database. */
function noHostError(attrs: TargetSessionAttrs, tried: number): Error {
  return Object.assign(new Error(`none of the ${tried} database hosts accepted a ${attrs} session`), {
    code: '08001',
  });
}

const PROBE_TIMEOUT_MS = 3_000;

/**
 * The `pg.Client` class for a URL: node-postgres's own for a plain single-host URL, else a
 * subclass that walks the hosts (see {@link parseDatabaseUrl}). Pass it as `Client` to a pool
 * (TypeORM: `extra.Client`) or construct it yourself.
 *
 * How a connection is made: the host that last fitted is tried first, directly; otherwise every
 * host is probed at once (a short-lived connection each, `pg_is_in_recovery()` and
 * `transaction_read_only`) and the first in the URL's order that fits wins. Every connection is
 * then checked on its own session before it is handed out, so a host demoted between probe and
 * connect is never used for writes: the connect fails (SQLSTATE 08001, a 503 to a request) and
 * the next one probes again. A connection that breaks forgets the remembered host.
 */
export function clientClassFor(url: string): typeof pg.Client {
  const parsed = parseDatabaseUrl(url);
  if (!parsed.multiHost) return pg.Client;
  const { hosts, targetSessionAttrs: attrs } = parsed;
  let remembered: HostPort | null = null;

  const probe = async (host: HostPort, config: pg.ClientConfig): Promise<SessionState | null> => {
    const client = new pg.Client({
      ...config,
      connectionString: parsed.urlFor(host),
      host: host.host,
      port: host.port,
      connectionTimeoutMillis: config.connectionTimeoutMillis || PROBE_TIMEOUT_MS,
      application_name: 'harbour-probe',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query<SessionState>(SESSION_SQL)).rows[0] ?? null;
    } catch {
      return null;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const locate = async (config: pg.ClientConfig): Promise<HostPort> => {
    if (remembered) return remembered;
    const states = await Promise.all(hosts.map((h) => probe(h, config)));
    let index = states.findIndex((s) => s !== null && fits(attrs, s));
    if (index < 0 && attrs === 'prefer-standby') index = states.findIndex((s) => s !== null);
    if (index < 0) throw noHostError(attrs, hosts.length);
    if (attrs === 'prefer-standby' && states.some((s) => s?.recovery))
      index = states.findIndex((s) => s?.recovery === true);
    return hosts[index];
  };

  return class MultiHostClient extends pg.Client {
    private readonly options: pg.ClientConfig;

    constructor(config?: string | pg.ClientConfig) {
      const options = typeof config === 'string' ? { connectionString: config } : { ...config };
      // node-postgres reads everything but the host from a single-host form of the URL.
      super({ ...options, connectionString: parsed.urlFor(hosts[0]), host: undefined, port: undefined });
      this.options = options;
      this.on('error', () => (remembered = null));
    }

    override connect(): Promise<pg.Client>;
    override connect(callback: (err: Error) => void): void;
    override connect(callback?: (err: Error) => void): Promise<pg.Client> | void {
      const connected = this.walk();
      if (!callback) return connected;
      connected.then(() => callback(undefined as unknown as Error), callback);
    }

    private async walk(): Promise<pg.Client> {
      const host = await locate(this.options);
      const self = this as unknown as { host: string; port: number; connectionParameters: HostPort };
      self.host = self.connectionParameters.host = host.host;
      self.port = self.connectionParameters.port = host.port;
      try {
        await super.connect();
      } catch (error) {
        remembered = null;
        throw error;
      }
      if (attrs !== 'any' && attrs !== 'prefer-standby') {
        const state = await this.query<SessionState>(SESSION_SQL).then(
          (r) => r.rows[0],
          () => undefined,
        );
        if (!state || !fits(attrs, state)) {
          remembered = null;
          await this.end().catch(() => undefined);
          throw noHostError(attrs, hosts.length);
        }
      }
      remembered = host;
      return this;
    }
  };
}

/** A client for one connection of its own (job locks, tools), through the host walk when the URL needs it. */
export function newClient(url: string, config: Omit<pg.ClientConfig, 'connectionString'> = {}): pg.Client {
  const Client = clientClassFor(url);
  return new Client({ ...config, connectionString: url });
}
