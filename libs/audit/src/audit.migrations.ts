import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of the audit context; all rebuildable from the log (`projections rebuild <name>`). */
export class Audit1732600000000 implements MigrationInterface {
  name = 'Audit1732600000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per access event (reads and refused reads) and per view of the access log. Metadata only.
    await q.query(`
      CREATE TABLE audit_access (
        position bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        kind text NOT NULL,
        survivor_id text NOT NULL,
        user_id text NOT NULL,
        agency_id text,
        role text,
        purpose text,
        outcome text NOT NULL,
        bases text[] NOT NULL,
        basis jsonb NOT NULL,
        sections_returned text[] NOT NULL,
        sections_withheld jsonb NOT NULL,
        grant_id text,
        view text,
        request_id text NOT NULL,
        route text NOT NULL,
        at timestamptz NOT NULL
      )`);
    // Newest first by log position within each way of asking.
    await q.query('CREATE INDEX audit_access_survivor ON audit_access (survivor_id, position DESC)');
    await q.query('CREATE INDEX audit_access_user ON audit_access (user_id, position DESC)');
    await q.query('CREATE INDEX audit_access_agency ON audit_access (agency_id, position DESC)');
    await q.query('CREATE INDEX audit_access_grant ON audit_access (grant_id) WHERE grant_id IS NOT NULL');
    // Which agencies work each survivor's case (scoping for agency privacy officers).
    await q.query(
      'CREATE TABLE audit_care_teams (survivor_id text NOT NULL, agency_id text NOT NULL, PRIMARY KEY (survivor_id, agency_id))',
    );
    await q.query('CREATE INDEX audit_care_teams_agency ON audit_care_teams (agency_id, survivor_id)');
    await q.query(`
      CREATE TABLE audit_break_glass (
        grant_id text PRIMARY KEY,
        survivor_id text NOT NULL,
        user_id text NOT NULL,
        agency_id text NOT NULL,
        opened_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text,
        finding text,
        reviewer_id text,
        reviewed_at timestamptz,
        position bigint NOT NULL
      )`);
    await q.query('CREATE INDEX audit_break_glass_pending ON audit_break_glass (position DESC) WHERE finding IS NULL');
    await q.query('CREATE INDEX audit_break_glass_open ON audit_break_glass (expires_at) WHERE ended_at IS NULL');
    await q.query(`
      CREATE TABLE audit_flags (
        flag_id uuid PRIMARY KEY,
        rule text NOT NULL,
        user_id text NOT NULL,
        agency_id text,
        survivor_id text,
        day date NOT NULL,
        details jsonb NOT NULL,
        raised_at timestamptz NOT NULL,
        position bigint NOT NULL,
        status text NOT NULL DEFAULT 'open',
        resolution text,
        note text,
        resolved_by text,
        resolved_at timestamptz
      )`);
    await q.query('CREATE INDEX audit_flags_agency ON audit_flags (agency_id, position DESC)');
    await q.query('CREATE INDEX audit_flags_status ON audit_flags (status, position DESC)');
    // Counters behind the daily flag rules.
    await q.query(
      'CREATE TABLE audit_daily_outside (user_id text NOT NULL, day date NOT NULL, survivor_id text NOT NULL, PRIMARY KEY (user_id, day, survivor_id))',
    );
    await q.query(
      'CREATE TABLE audit_daily_denials (user_id text NOT NULL, day date NOT NULL, denials integer NOT NULL, PRIMARY KEY (user_id, day))',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'audit_daily_denials',
      'audit_daily_outside',
      'audit_flags',
      'audit_break_glass',
      'audit_care_teams',
      'audit_access',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}

/**
 * What a read's decision saw (SurvivorDataAccessed's later optional fields): when it was made,
 * the consent stream version it read, and the caller's own X-Request-Id. Null for older events
 * and for views of the log. Rebuild `audit-access` to fill them for events already projected.
 */
export class AuditDecision1767225600000 implements MigrationInterface {
  name = 'AuditDecision1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE audit_access ADD COLUMN decided_at timestamptz, ADD COLUMN consent_stream_version integer, ADD COLUMN client_request_id text',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE audit_access DROP COLUMN decided_at, DROP COLUMN consent_stream_version, DROP COLUMN client_request_id',
    );
  }
}

export const auditMigrations = [Audit1732600000000, AuditDecision1767225600000];
