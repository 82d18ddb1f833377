import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `notifications`: one row per notification per recipient agency — ids, types, dates and codes
 * only (`subject`), with its in-app read mark and its webhook delivery state (the outbox).
 * `notification_consent_windows`: each consent's window, for the reminder job (no terms, no
 * sections: ids, dates, the recipient). `notification_do_not_contact`: survivors whose care team
 * set do-not-contact (the reason code).
 */
export class Notifications1767500000000 implements MigrationInterface {
  name = 'Notifications1767500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        notification_id uuid PRIMARY KEY,
        agency_id text NOT NULL,
        type text NOT NULL,
        audience text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        global_position bigint NOT NULL,
        survivor_id text,
        subject jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        read_at timestamptz,
        read_by text,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        delivered_at timestamptz,
        last_error text
      )`);
    await q.query(
      'CREATE INDEX notifications_agency ON notifications (agency_id, occurred_at DESC, global_position DESC)',
    );
    await q.query(
      "CREATE INDEX notifications_due ON notifications (next_attempt_at, global_position) WHERE status = 'pending'",
    );
    await q.query(`
      CREATE TABLE notification_consent_windows (
        consent_id uuid PRIMARY KEY,
        survivor_id text NOT NULL,
        version integer NOT NULL,
        valid_until timestamptz NOT NULL,
        status text NOT NULL,
        revoked_at timestamptz,
        /** The valid_until a reminder was recorded for (the job skips it until an amendment moves the window). */
        reminded_for timestamptz,
        ended boolean NOT NULL DEFAULT false
      )`);
    await q.query(
      'CREATE INDEX notification_consent_windows_due ON notification_consent_windows (status, valid_until)',
    );
    await q.query(`
      CREATE TABLE notification_do_not_contact (
        survivor_id text PRIMARY KEY,
        reason_code text NOT NULL,
        set_at timestamptz NOT NULL,
        set_by_agency_id text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notification_do_not_contact');
    await q.query('DROP TABLE notification_consent_windows');
    await q.query('DROP TABLE notifications');
  }
}
