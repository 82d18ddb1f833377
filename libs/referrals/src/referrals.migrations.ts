import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Referrals: the inbox/outbox read model, agencies' webhooks, and the webhook outbox.
 *
 * The outbox is filled by a trigger on `harbour_events`: every referral event inserted by
 * `harbour_append` enqueues one delivery per party agency with a webhook, inside the very
 * transaction that stores the event. An event is never stored without its deliveries, and no
 * delivery exists for an event that was rolled back. The trigger only fires for streams named
 * `referral-…`, so other appends pay one cheap WHEN test per row.
 */
export class Referrals1732700000000 implements MigrationInterface {
  name = 'Referrals1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_list (
        referral_id uuid PRIMARY KEY,
        survivor_id uuid NOT NULL,
        from_agency_id text NOT NULL,
        to_agency_id text NOT NULL,
        to_sector text NOT NULL,
        state text NOT NULL,
        needs text[] NOT NULL,
        urgency text NOT NULL,
        notice jsonb NOT NULL,
        note text NOT NULL,
        consent_id text NOT NULL,
        consent_version integer NOT NULL,
        respond_by timestamptz NOT NULL,
        requested_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        assigned_caseworker_id text,
        decline_reason text,
        outcome text,
        introduction jsonb,
        version integer NOT NULL
      )`);
    await q.query('CREATE INDEX referral_list_inbox ON referral_list (to_agency_id, requested_at DESC)');
    await q.query('CREATE INDEX referral_list_outbox ON referral_list (from_agency_id, requested_at DESC)');
    await q.query('CREATE INDEX referral_list_survivor ON referral_list (survivor_id)');
    await q.query("CREATE INDEX referral_list_due ON referral_list (respond_by) WHERE state = 'requested'");
    await q.query(`
      CREATE TABLE referral_webhooks (
        agency_id text PRIMARY KEY,
        url text NOT NULL,
        secret jsonb NOT NULL,
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE referral_webhook_outbox (
        delivery_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        stream_id text NOT NULL,
        stream_version bigint NOT NULL,
        global_position bigint NOT NULL,
        created_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        delivered_at timestamptz,
        CONSTRAINT referral_webhook_outbox_once UNIQUE (event_id, agency_id)
      )`);
    await q.query(
      "CREATE INDEX referral_webhook_outbox_due ON referral_webhook_outbox (next_attempt_at) WHERE status = 'pending'",
    );
    await q.query(
      'CREATE INDEX referral_webhook_outbox_agency ON referral_webhook_outbox (agency_id, created_at DESC)',
    );
    await q.query(`
      CREATE TABLE referral_webhook_attempts (
        attempt_id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES referral_webhook_outbox (delivery_id),
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        status_code integer,
        error text,
        duration_ms integer NOT NULL
      )`);
    await q.query(
      'CREATE INDEX referral_webhook_attempts_delivery ON referral_webhook_attempts (delivery_id, attempt)',
    );
    await q.query(`
      CREATE FUNCTION referral_webhook_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_from text;
        v_to text;
      BEGIN
        IF NEW.type = 'ReferralRequested' THEN
          v_from := NEW.data->>'fromAgencyId';
          v_to := NEW.data->>'toAgencyId';
        ELSE
          SELECT data->>'fromAgencyId', data->>'toAgencyId' INTO v_from, v_to
            FROM harbour_events WHERE stream_id = NEW.stream_id AND stream_version = 0;
        END IF;
        INSERT INTO referral_webhook_outbox (agency_id, event_id, event_type, stream_id, stream_version, global_position, created_at, next_attempt_at)
          SELECT w.agency_id, NEW.event_id, NEW.type, NEW.stream_id, NEW.stream_version, NEW.global_position, NEW.recorded_at, NEW.recorded_at
          FROM referral_webhooks w WHERE w.agency_id IN (v_from, v_to);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER referral_webhook_outbox AFTER INSERT ON harbour_events
      FOR EACH ROW WHEN (NEW.stream_id LIKE 'referral-%') EXECUTE FUNCTION referral_webhook_enqueue()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER referral_webhook_outbox ON harbour_events');
    await q.query('DROP FUNCTION referral_webhook_enqueue()');
    await q.query('DROP TABLE referral_webhook_attempts, referral_webhook_outbox, referral_webhooks, referral_list');
  }
}
