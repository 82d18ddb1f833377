import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of the network context; all rebuildable from the log. */
export class Network1732400000000 implements MigrationInterface {
  name = 'Network1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE network_agencies (
        agency_id uuid PRIMARY KEY,
        name text NOT NULL,
        sector text NOT NULL,
        regions text[] NOT NULL,
        requested_tier text NOT NULL,
        tier text,
        status text NOT NULL,
        endorsements integer NOT NULL DEFAULT 0,
        admitted_via text,
        applied_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX network_agencies_status ON network_agencies (status, tier)');
    await q.query(`
      CREATE TABLE network_staff (
        user_id text PRIMARY KEY,
        agency_id uuid NOT NULL,
        display_name text NOT NULL,
        email text NOT NULL,
        roles text[] NOT NULL,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX network_staff_agency ON network_staff (agency_id)');
    await q.query(`
      CREATE TABLE directory_services (
        service_id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        needs text[] NOT NULL,
        languages text[] NOT NULL,
        regions text[] NOT NULL,
        gender text NOT NULL,
        min_age integer,
        max_age integer,
        hours jsonb NOT NULL,
        accepting_referrals boolean NOT NULL,
        response_window_hours integer NOT NULL,
        address jsonb,
        address_confidential boolean NOT NULL,
        withdrawn boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX directory_services_needs ON directory_services USING gin (needs)');
    await q.query('CREATE INDEX directory_services_languages ON directory_services USING gin (languages)');
    await q.query('CREATE INDEX directory_services_regions ON directory_services USING gin (regions)');
    await q.query('CREATE INDEX directory_services_agency ON directory_services (agency_id)');
    await q.query(`
      CREATE TABLE network_notifications (
        notification_id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        kind text NOT NULL,
        subject_agency_id uuid NOT NULL,
        motion_id uuid,
        details jsonb NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX network_notifications_agency ON network_notifications (agency_id, created_at DESC)');
    await q.query(`
      CREATE TABLE network_motions (
        motion_id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        voting_closes_at timestamptz NOT NULL,
        outcome text NOT NULL DEFAULT 'open'
      )`);
    await q.query("CREATE INDEX network_motions_open ON network_motions (voting_closes_at) WHERE outcome = 'open'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP TABLE network_motions, network_notifications, directory_services, network_staff, network_agencies',
    );
  }
}

/** Grants of case roles (caseworker, supervisor, privacy officer), for the agency's privacy officers. */
export class NetworkRoleGrants1733100000000 implements MigrationInterface {
  name = 'NetworkRoleGrants1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE network_role_grants (
        global_position bigint PRIMARY KEY,
        agency_id uuid NOT NULL,
        user_id text NOT NULL,
        roles text[] NOT NULL,
        granted_by jsonb NOT NULL,
        granted_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX network_role_grants_agency ON network_role_grants (agency_id, global_position DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE network_role_grants');
  }
}
