import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '@harbour/auth';
import { consentDecider, consentStream, SECTIONS } from '@harbour/consent';
import { CurrentState } from '@harbour/event-store';
import { AccessGate, checkInDue, type CheckInDue, workerRole } from '@harbour/intake';
import { CLOCK, type Clock, HarbourConfig } from '@harbour/kernel';
import { ReferralQueries } from '@harbour/referrals';

/** How many open referrals each way the caseload lists (newest first). */
export const CASELOAD_REFERRALS = 100;
const DAY = 86_400_000;

export interface CaseloadSurvivor {
  survivorId: string;
  /** What the caller may see of this record, for care coordination (section names only). */
  access: { purpose: 'care-coordination'; sections: string[] };
  checkIn: CheckInDue | null;
  /** The latest check-in said the consents on record no longer reflect the survivor's wishes. */
  consentReviewAsked: boolean;
  consentsExpiring: Array<{ consentId: string; version: number; validUntil: string; purposes: string[] }>;
  openReferralIds: string[];
}

export interface CaseloadPage {
  survivors: CaseloadSurvivor[];
  page: number;
  pageSize: number;
  /** Survivors on the caller's care teams (every page). */
  total: number;
  expiringWithinDays: number;
  referrals: {
    incoming: Array<{ referralId: string; state: string; respondBy: string; assignedToMe: boolean }>;
    outgoing: Array<{ referralId: string; state: string; respondBy: string }>;
  };
}

/**
 * A caseworker's caseload: the survivors whose care team names them (a supervisor: every survivor
 * their agency works), as opaque ids with what they may see — never content. The page's
 * survivors pass through the AccessGate (purpose `care-coordination`, care team only), which
 * records one access event per survivor before anything is answered; a survivor the gate refuses
 * (an exclusion naming the caller, an erased record) is left off the page.
 */
@Injectable()
export class CaseloadQueries {
  private readonly expiringDays: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly gate: AccessGate,
    private readonly current: CurrentState,
    private readonly referrals: ReferralQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HarbourConfig) config: HarbourConfig,
  ) {
    this.expiringDays = config.HARBOUR_CASELOAD_EXPIRING_DAYS;
  }

  async list(principal: Principal, page: number, pageSize: number, requestId: string): Promise<CaseloadPage> {
    const supervisor = workerRole(principal.roles) === 'supervisor';
    const [table, where, params] = supervisor
      ? ['caseload_agencies', 'agency_id = $1', [principal.agencyId]]
      : ['caseload_members', 'user_id = $1 AND agency_id = $2', [principal.userId, principal.agencyId]];
    const [{ total }] = await this.db.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM ${table} WHERE ${where}`,
      params,
    );
    const rows: Array<{ survivor_id: string }> = await this.db.query(
      `SELECT survivor_id FROM ${table} WHERE ${where} ORDER BY joined_at DESC, survivor_id
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    const ids = rows.map((r) => r.survivor_id);
    const admissions = await this.gate.admit({
      principal,
      survivorIds: ids,
      sections: SECTIONS,
      purpose: 'care-coordination',
      requestId,
      route: 'GET /v1/caseload',
      careTeamOnly: true,
    });
    const now = this.clock.now();
    const horizon = now.getTime() + this.expiringDays * DAY;
    const open = await this.referrals.openOf(principal.agencyId, CASELOAD_REFERRALS);
    const survivors: CaseloadSurvivor[] = [];
    for (const id of ids) {
      const admission = admissions.get(id);
      if (!admission?.exists || admission.decision.outcome === 'denied' || admission.intake.status !== 'open') continue;
      const { state: consents } = await this.current.load(consentStream(id), consentDecider);
      survivors.push({
        survivorId: id,
        access: {
          purpose: 'care-coordination',
          sections: admission.decision.sections.filter((d) => d.decision === 'permit').map((d) => d.section),
        },
        checkIn: checkInDue(admission.intake.checkIns, now),
        consentReviewAsked: admission.intake.checkIns?.consentReflectsWishes === false,
        consentsExpiring: consents.consents
          .filter((c) => {
            const until = Date.parse(c.validUntil);
            return c.status === 'in-force' && until > now.getTime() && until <= horizon;
          })
          .map((c) => ({
            consentId: c.consentId,
            version: c.version,
            validUntil: c.validUntil,
            purposes: [...c.purposes],
          })),
        openReferralIds: open.filter((r) => r.survivorId === id).map((r) => r.referralId),
      });
    }
    return {
      survivors,
      page,
      pageSize,
      total,
      expiringWithinDays: this.expiringDays,
      referrals: {
        incoming: open
          .filter((r) => r.direction === 'incoming')
          .map((r) => ({
            referralId: r.referralId,
            state: r.state,
            respondBy: r.respondBy,
            assignedToMe: r.assignedCaseworkerId === principal.userId,
          })),
        outgoing: open
          .filter((r) => r.direction === 'outgoing')
          .map((r) => ({ referralId: r.referralId, state: r.state, respondBy: r.respondBy })),
      },
    };
  }
}
