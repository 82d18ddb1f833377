import pg from 'pg';
import { clientClassFor, parseDatabaseUrl } from './multi-host.js';

describe('multi-host DATABASE_URL parsing', () => {
  it('reads every host, its port (default 5432 or ?port=) and target_session_attrs', () => {
    const p = parseDatabaseUrl(
      'postgres://u:p%40ss@127.0.0.1:5441,db2,[::1]:5443/harbour?target_session_attrs=read-write&sslmode=disable',
    );
    expect(p.hosts).toEqual([
      { host: '127.0.0.1', port: 5441 },
      { host: 'db2', port: 5432 },
      { host: '::1', port: 5443 },
    ]);
    expect(p.targetSessionAttrs).toBe('read-write');
    expect(p.multiHost).toBe(true);
    // What node-postgres reads: one host, the credentials and other parameters kept, the attrs dropped.
    expect(p.urlFor(p.hosts[2])).toBe('postgres://u:p%40ss@[::1]:5443/harbour?sslmode=disable');
    expect(p.urlFor(p.hosts[0])).toBe('postgres://u:p%40ss@127.0.0.1:5441/harbour?sslmode=disable');
    expect(parseDatabaseUrl('postgresql://h1,h2/db?port=6000').hosts).toEqual([
      { host: 'h1', port: 6000 },
      { host: 'h2', port: 6000 },
    ]);
  });

  it('leaves a plain single-host URL to node-postgres untouched', () => {
    const url = 'postgres://u:p@localhost:5432/harbour?host=%2Ftmp%2Fpg';
    expect(parseDatabaseUrl(url).multiHost).toBe(false);
    expect(clientClassFor(url)).toBe(pg.Client);
    // One host that asks for a session kind is checked too.
    expect(parseDatabaseUrl('postgres://u:p@h:1/db?target_session_attrs=standby').multiHost).toBe(true);
  });

  it('refuses a malformed URL without echoing it (it carries a password)', () => {
    const bad = [
      'mysql://u:secret@h/db',
      'postgres://u:secret@h:99999/db',
      'postgres://u:secret@h1,h2/db?target_session_attrs=sometimes',
    ];
    for (const url of bad) {
      expect(() => parseDatabaseUrl(url)).toThrow();
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        expect((error as Error).message).not.toContain('secret');
      }
    }
  });
});
