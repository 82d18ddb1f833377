import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventStore } from '@harbour/event-store';
import { NotFound } from '@harbour/kernel';
import { markRecorded, type Principal } from '@harbour/auth';
import { AccessGate, type Admission } from '@harbour/intake';
import type { ReferralStatus } from './referral.decider.js';
import { type ReferralNotice, referralStream } from './referral.events.js';
import { ReferralRepository } from './referral.repository.js';
import { NOTICE_SECTIONS } from './notice.js';
import { ReferralErrors } from './errors.js';

export interface ReferralFilters {
  state?: ReferralStatus;
  urgency?: string;
  need?: string;
  /** requested at or after (ISO) */
  from?: string;
  /** requested before (ISO) */
  to?: string;
  page: number;
  pageSize: number;
}

/** One referral as a party agency sees it. */
export interface ReferralView {
  referralId: string;
  state: ReferralStatus;
  fromAgencyId: string;
  toAgencyId: string;
  toSector: string;
  notice: ReferralNotice;
  respondBy: string;
  requestedAt: string;
  updatedAt: string;
  version: number;
  /** Only to the referring agency, and to the receiving agency once it accepted. */
  note?: string;
  assignedCaseworkerId?: string | null;
  declineReason?: string | null;
  outcome?: string | null;
  introduction?: { at: string; mode: string; attendees: string[] } | null;
  /** Only when the decision point lets the viewer see this survivor (the exposure is an access event). */
  survivorId?: string;
  consentId?: string;
  consentVersion?: number;
}

interface Row {
  referral_id: string;
  survivor_id: string;
  from_agency_id: string;
  to_agency_id: string;
  to_sector: string;
  state: ReferralStatus;
  needs: string[];
  urgency: string;
  notice: ReferralNotice;
  note: string;
  consent_id: string;
  consent_version: number;
  respond_by: Date;
  requested_at: Date;
  updated_at: Date;
  assigned_caseworker_id: string | null;
  decline_reason: string | null;
  outcome: string | null;
  introduction: ReferralView['introduction'];
  version: number;
}

/**
 * Inbox, outbox, one referral, a survivor's referral history. Before acceptance the receiving
 * agency gets the notice and ids only; a survivor id leaves only through the access gate (one access event per survivor).
 */
@Injectable()
export class ReferralQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly gate: AccessGate,
    private readonly repository: ReferralRepository,
    private readonly store: EventStore,
  ) {}

  async list(principal: Principal, box: 'inbox' | 'outbox', f: ReferralFilters, requestId: string) {
    const where = [box === 'inbox' ? 'to_agency_id = $1' : 'from_agency_id = $1'];
    const params: unknown[] = [principal.agencyId];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (f.state) add((p) => `state = ${p}`, f.state);
    if (f.urgency) add((p) => `urgency = ${p}`, f.urgency);
    if (f.need) add((p) => `needs @> ARRAY[${p}]::text[]`, f.need);
    if (f.from) add((p) => `requested_at >= ${p}`, new Date(f.from));
    if (f.to) add((p) => `requested_at < ${p}`, new Date(f.to));
    const clause = where.join(' AND ');
    const [{ total }] = await this.db.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM referral_list WHERE ${clause}`,
      params,
    );
    const rows: Row[] = await this.db.query(
      `SELECT * FROM referral_list WHERE ${clause} ORDER BY requested_at DESC, referral_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, f.pageSize, (f.page - 1) * f.pageSize],
    );
    const route = `GET /v1/referrals/${box}`;
    const visible = await this.permitted(
      principal,
      rows.filter((r) => mayNameSurvivor(principal, r)).map((r) => r.survivor_id),
      requestId,
      route,
      { careTeamOnly: box === 'outbox' },
    );
    return { items: rows.map((r) => view(principal, r, visible)), page: f.page, pageSize: f.pageSize, total };
  }

  /**
   * The open referrals (not declined, withdrawn, expired or closed) from or to an agency, newest
   * first, at most `limit` each way: ids, states and dates only, for the caseload. The survivor id
   * comes back for the caller to match against survivors it has already admitted through the gate;
   * it must never be shown on its own.
   */
  async openOf(
    agencyId: string,
    limit: number,
  ): Promise<
    Array<{
      referralId: string;
      survivorId: string;
      direction: 'incoming' | 'outgoing';
      state: ReferralStatus;
      respondBy: string;
      assignedCaseworkerId: string | null;
    }>
  > {
    const rows: Array<{
      referral_id: string;
      survivor_id: string;
      direction: 'incoming' | 'outgoing';
      state: ReferralStatus;
      respond_by: Date;
      assigned_caseworker_id: string | null;
    }> = await this.db.query(
      `(SELECT referral_id, survivor_id, 'outgoing' AS direction, state, respond_by, assigned_caseworker_id, requested_at
          FROM referral_list WHERE from_agency_id = $1 AND state <> ALL ($2) ORDER BY requested_at DESC LIMIT $3)
       UNION ALL
       (SELECT referral_id, survivor_id, 'incoming' AS direction, state, respond_by, assigned_caseworker_id, requested_at
          FROM referral_list WHERE to_agency_id = $1 AND state <> ALL ($2) ORDER BY requested_at DESC LIMIT $3)
       ORDER BY requested_at DESC, referral_id`,
      [agencyId, CLOSED_STATES, limit],
    );
    return rows.map((r) => ({
      referralId: r.referral_id,
      survivorId: r.survivor_id,
      direction: r.direction,
      state: r.state,
      respondBy: new Date(r.respond_by).toISOString(),
      assignedCaseworkerId: r.assigned_caseworker_id,
    }));
  }

  /** One referral, current (from its stream, not the read model), to a party agency only. */
  async get(principal: Principal, referralId: string, requestId: string): Promise<ReferralView> {
    const { state, version } = await this.repository.load(referralId);
    if (
      state.status === 'none' ||
      (state.fromAgencyId !== principal.agencyId && state.toAgencyId !== principal.agencyId)
    ) {
      throw new NotFound('Referral', ReferralErrors.referralNotFound);
    }
    const row: Row = {
      referral_id: state.referralId,
      survivor_id: state.survivorId,
      from_agency_id: state.fromAgencyId,
      to_agency_id: state.toAgencyId,
      to_sector: state.toSector,
      state: state.status,
      needs: state.needs,
      urgency: state.urgency,
      notice: state.notice,
      note: state.note,
      consent_id: state.consentId,
      consent_version: state.consentVersion,
      respond_by: new Date(state.respondBy),
      requested_at: new Date(0),
      updated_at: new Date(0),
      assigned_caseworker_id: state.assignedCaseworkerId,
      decline_reason: state.declineReason,
      outcome: state.outcome,
      introduction: state.introduction,
      version,
    };
    // Times from the log itself (a referral has a handful of events), never behind like the read model.
    const events = await this.store.readStream(referralStream(referralId));
    Object.assign(row, { requested_at: events[0].recordedAt, updated_at: events[events.length - 1].recordedAt });
    const visible = mayNameSurvivor(principal, row)
      ? await this.permitted(principal, [row.survivor_id], requestId, 'GET /v1/referrals/:referralId', {
          careTeamOnly: row.from_agency_id === principal.agencyId,
        })
      : new Set<string>();
    return view(principal, row, visible);
  }

  /** Every referral of one survivor, for their care team (decision point + access event first). */
  async history(principal: Principal, survivorId: string, requestId: string) {
    const route = 'GET /v1/intakes/:survivorId/referrals';
    const admissions = await this.gate.admit({
      principal,
      survivorIds: [survivorId],
      sections: NOTICE_SECTIONS,
      purpose: 'referral',
      requestId,
      route,
      careTeamOnly: true,
    });
    const admission = admissions.get(survivorId)!;
    if (!admission.exists) throw markRecorded(new NotFound('Intake', ReferralErrors.intakeNotFound));
    if (admission.decision.outcome === 'denied') throw this.gate.refusal(admission, ReferralErrors.accessDenied);
    return { survivorId, items: await this.ofAdmitted(admission) };
  }

  /**
   * Every referral of a survivor whose care team the gate has just admitted (this route's access
   * event is already recorded): the history above, and the survivor's own copy.
   */
  async ofAdmitted(admission: Admission): Promise<ReferralView[]> {
    const { survivorId } = admission;
    if (!admission.exists || admission.decision.outcome === 'denied')
      throw new NotFound('Intake', ReferralErrors.intakeNotFound);
    const visible = new Set([survivorId]);
    const rows: Row[] = await this.db.query(
      'SELECT * FROM referral_list WHERE survivor_id = $1 ORDER BY requested_at',
      [survivorId],
    );
    // The care team sees every referral in full; each row is shaped as its referring side sees it.
    return rows.map((r) => view({ agencyId: r.from_agency_id }, r, visible));
  }

  /**
   * The survivors among `survivorIds` this principal may see alongside referral details: the
   * gate decides for purpose `referral` over the sections a notice is derived from, and records
   * one access event per survivor, permitted or not, before anything is answered.
   */
  private async permitted(
    principal: Principal,
    survivorIds: readonly string[],
    requestId: string,
    route: string,
    options: { careTeamOnly?: boolean } = {},
  ): Promise<Set<string>> {
    const admissions = await this.gate.admit({
      principal,
      survivorIds,
      sections: NOTICE_SECTIONS,
      purpose: 'referral',
      requestId,
      route,
      careTeamOnly: options.careTeamOnly,
    });
    return new Set(
      [...admissions.values()].filter((a) => a.exists && a.decision.outcome !== 'denied').map((a) => a.survivorId),
    );
  }
}

/** States in which a referral is no longer open. */
const CLOSED_STATES: ReferralStatus[] = ['declined', 'withdrawn', 'expired', 'closed'];

/** The survivor id is a candidate for exposure to the referring side, and to the receiving side after acceptance. */
function mayNameSurvivor(
  principal: Pick<Principal, 'agencyId'>,
  r: Pick<Row, 'from_agency_id' | 'to_agency_id' | 'assigned_caseworker_id'>,
): boolean {
  return (
    r.from_agency_id === principal.agencyId ||
    (r.to_agency_id === principal.agencyId && r.assigned_caseworker_id !== null)
  );
}

function view(principal: Pick<Principal, 'agencyId'>, r: Row, visible: Set<string>): ReferralView {
  const base: ReferralView = {
    referralId: r.referral_id,
    state: r.state,
    fromAgencyId: r.from_agency_id,
    toAgencyId: r.to_agency_id,
    toSector: r.to_sector,
    notice: r.notice,
    respondBy: new Date(r.respond_by).toISOString(),
    requestedAt: new Date(r.requested_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
    assignedCaseworkerId: r.assigned_caseworker_id,
    declineReason: r.decline_reason,
    outcome: r.outcome,
    introduction: r.introduction,
  };
  const referring = r.from_agency_id === principal.agencyId;
  const accepted = r.assigned_caseworker_id !== null;
  if (referring || accepted)
    Object.assign(base, { note: r.note, consentId: r.consent_id, consentVersion: r.consent_version });
  if (visible.has(r.survivor_id) && mayNameSurvivor(principal, r)) base.survivorId = r.survivor_id;
  return base;
}
