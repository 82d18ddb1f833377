import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { type CookieSession, SessionResolver } from '@harbour/auth';
import { CLOCK, type Clock, HarbourConfig, PeriodicJobs } from '@harbour/kernel';
import { gcmDecrypt, gcmEncrypt, MasterKeys } from '@harbour/privacy';

/** What a session holds besides its id: the tokens the console signed in with. */
export interface SessionTokens {
  accessToken: string;
  /** With OIDC, when the provider gave one: renews the access token when it expires. */
  refreshToken?: string;
}

export interface NewSession extends SessionTokens {
  userId: string;
  agencyId: string;
  /** The access token's expiry: the session's absolute lifetime (unless refreshed). */
  expiresAt: Date;
}

export interface LiveSession extends CookieSession {
  userId: string;
  agencyId: string;
  refreshToken?: string;
  expiresAt: Date;
  idHash: Buffer;
}

interface SealedTokens {
  v: 1;
  iv: string;
  ct: string;
  tag: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** How stale last_seen_at may get before a request writes it again (spares a write per request). */
const TOUCH_AFTER_MS = 10_000;

const hashOf = (id: string): Buffer => createHash('sha256').update(id).digest();
const keyFor = (master: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'harbour console-session v1', 32));

/**
 * Console sessions in PostgreSQL (so any API process serves any session). The cookie holds a
 * random 256-bit id; the table is keyed by its SHA-256. Idle timeout and absolute expiry are
 * checked on every use; an ended session is deleted when met.
 */
@Injectable()
export class ConsoleSessions extends SessionResolver {
  readonly cookieName: string;
  readonly secure: boolean;
  readonly idleMs: number;
  /** Renews an expired session's tokens with its refresh token (OIDC), or null: the session ends. */
  refresher: ((refreshToken: string) => Promise<(SessionTokens & { expiresAt: Date }) | null>) | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keys: MasterKeys,
    config: HarbourConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    jobs: PeriodicJobs,
  ) {
    super();
    // Ended sessions are deleted when met; this sweep removes the ones nobody comes back to.
    jobs.define({
      name: 'console-session-sweep',
      firstRunAfterMs: 60_000,
      everyMs: 10 * 60_000,
      run: () => this.sweep(),
    });
    this.secure = !LOOPBACK.has(config.HOST);
    // __Host-: the browser only keeps it if Secure, Path=/ and no Domain (no subdomain can plant one).
    this.cookieName = this.secure ? '__Host-harbour_session' : 'harbour_session';
    this.idleMs = config.HARBOUR_CONSOLE_IDLE_MINUTES * 60_000;
  }

  cookieOf(request: FastifyRequest): string | null {
    return cookieValue(request.headers.cookie, this.cookieName);
  }

  /** A Set-Cookie value for a new session id (or, with null, one that deletes the cookie). */
  setCookie(id: string | null): string {
    const flags = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(this.secure ? ['Secure'] : [])];
    if (id === null) return [`${this.cookieName}=`, 'Max-Age=0', ...flags].join('; ');
    return [`${this.cookieName}=${id}`, ...flags].join('; ');
  }

  async create(session: NewSession): Promise<{ id: string; csrfToken: string }> {
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const idHash = hashOf(id);
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO console_sessions (id_hash, user_id, agency_id, master_key_id, sealed_tokens, csrf_token, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
      [
        idHash,
        session.userId,
        session.agencyId,
        this.keys.current.id,
        JSON.stringify(this.seal(idHash, session)),
        csrfToken,
        now,
        session.expiresAt,
      ],
    );
    return { id, csrfToken };
  }

  async resolve(cookie: string): Promise<LiveSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(cookie)) return null;
    const idHash = hashOf(cookie);
    const rows = await this.db.query<
      Array<{
        user_id: string;
        agency_id: string;
        master_key_id: string;
        sealed_tokens: SealedTokens;
        csrf_token: string;
        last_seen_at: Date;
        expires_at: Date;
      }>
    >(
      'SELECT user_id, agency_id, master_key_id, sealed_tokens, csrf_token, last_seen_at, expires_at FROM console_sessions WHERE id_hash = $1',
      [idHash],
    );
    const row = rows[0];
    if (!row) return null;
    const now = this.clock.now().getTime();
    const master = this.keys.byId(row.master_key_id);
    if (now - row.last_seen_at.getTime() >= this.idleMs || !master) {
      await this.end(idHash);
      return null;
    }
    let tokens = this.open(master.key, idHash, row.sealed_tokens);
    let expiresAt = row.expires_at;
    if (now >= expiresAt.getTime()) {
      const renewed = tokens.refreshToken && this.refresher ? await this.refresher(tokens.refreshToken) : null;
      if (!renewed || renewed.expiresAt.getTime() <= now) {
        await this.end(idHash);
        return null;
      }
      await this.renew(idHash, renewed, renewed.expiresAt);
      tokens = renewed;
      expiresAt = renewed.expiresAt;
    }
    if (now - row.last_seen_at.getTime() >= TOUCH_AFTER_MS)
      await this.db.query('UPDATE console_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2', [
        idHash,
        new Date(now),
      ]);
    return {
      idHash,
      userId: row.user_id,
      agencyId: row.agency_id,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      csrfToken: row.csrf_token,
      expiresAt,
    };
  }

  /** After a refresh: the new tokens and expiry, same id and CSRF token. */
  async renew(idHash: Buffer, tokens: SessionTokens, expiresAt: Date): Promise<void> {
    await this.db.query(
      'UPDATE console_sessions SET sealed_tokens = $2, master_key_id = $3, expires_at = $4 WHERE id_hash = $1',
      [idHash, JSON.stringify(this.seal(idHash, tokens)), this.keys.current.id, expiresAt],
    );
  }

  async endCookie(cookie: string): Promise<void> {
    await this.end(hashOf(cookie));
  }

  async end(idHash: Buffer): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
  }

  /** Deletes sessions past their idle timeout or expiry (the periodic sweep); returns how many. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const result = await this.db.query<[unknown[], number]>(
      'DELETE FROM console_sessions WHERE expires_at <= $1 OR last_seen_at <= $2',
      [now, new Date(now.getTime() - this.idleMs)],
    );
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }

  private seal(idHash: Buffer, tokens: SessionTokens): SealedTokens {
    const plain = JSON.stringify({ a: tokens.accessToken, r: tokens.refreshToken });
    const { iv, ct, tag } = gcmEncrypt(keyFor(this.keys.current.key), Buffer.from(plain, 'utf8'), aad(idHash));
    return { v: 1, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: tag.toString('base64') };
  }

  private open(master: Buffer, idHash: Buffer, sealed: SealedTokens): SessionTokens {
    const b64 = (s: string) => Buffer.from(s, 'base64');
    const plain = gcmDecrypt(keyFor(master), b64(sealed.iv), b64(sealed.ct), b64(sealed.tag), aad(idHash));
    const { a, r } = JSON.parse(plain.toString('utf8')) as { a: string; r?: string };
    return { accessToken: a, refreshToken: r };
  }
}

/** Bound to the session's row: a sealed token copied to another row does not open. */
const aad = (idHash: Buffer) => Buffer.concat([Buffer.from('harbour/console-session/1/'), idHash]);

/** One cookie's value from a Cookie header (first occurrence), or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
