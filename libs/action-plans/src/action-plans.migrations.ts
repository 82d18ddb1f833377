import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of action plans. `action_plans.doc` is the plan's folded state (the decider's own
 * evolve, as JSON); `action_plan_periods` is one row per plan year (deadline and report status), for
 * the reminder job and the network view; `action_plan_reminders` lists the reminders each agency
 * was sent (ids and dates only). Nothing here is about any survivor.
 */
export class ActionPlans1767612000000 implements MigrationInterface {
  name = 'ActionPlans1767612000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE action_plans (
        plan_id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        status text NOT NULL,
        title text NOT NULL,
        plan_year_start date NOT NULL,
        ends_at timestamptz NOT NULL,
        plan_version integer NOT NULL,
        doc jsonb NOT NULL,
        filed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL
      )`);
    await q.query('CREATE INDEX action_plans_agency ON action_plans (agency_id, filed_at DESC)');
    await q.query(`
      CREATE TABLE action_plan_periods (
        plan_id uuid NOT NULL,
        period integer NOT NULL,
        agency_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        report_status text NOT NULL,
        PRIMARY KEY (plan_id, period)
      )`);
    await q.query('CREATE INDEX action_plan_periods_due ON action_plan_periods (due_at)');
    await q.query(`
      CREATE TABLE action_plan_reminders (
        reminder_id uuid PRIMARY KEY,
        agency_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        period integer NOT NULL,
        kind text NOT NULL,
        lead_days integer NOT NULL,
        due_at timestamptz NOT NULL,
        sent_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX action_plan_reminders_agency ON action_plan_reminders (agency_id, sent_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE action_plan_reminders, action_plan_periods, action_plans');
  }
}
