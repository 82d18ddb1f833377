import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { markRecorded, type Principal } from '@harbour/auth';
import { AccessRecorder, officerScope, type ShareCodeUse, ShareCodeUses } from '@harbour/audit';
import { NotFound } from '@harbour/kernel';
import { AccessGate } from '@harbour/intake';
import { SharingErrors as E } from './errors.js';

interface Row {
  code_id: string;
  survivor_id: string;
  status: string;
  sections: string[];
  purposes: string[];
  language: string;
  issued_by_user_id: string;
  issued_by_agency_id: string;
  issued_at: Date;
  expires_at: Date;
  redeemed_by_user_id: string | null;
  redeemed_by_agency_id: string | null;
  redeemed_agency_name?: string | null;
  redeemed_at: Date | null;
  consent_id: string | null;
  revoked_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A code as the care team and privacy officers see it: metadata and status, never the code. */
function view(r: Row, now: Date) {
  const expired = r.status === 'issued' && new Date(r.expires_at).getTime() <= now.getTime();
  return {
    codeId: r.code_id,
    survivorId: r.survivor_id,
    status: expired ? 'expired' : r.status,
    sections: r.sections,
    purposes: r.purposes,
    language: r.language,
    issuedBy: { userId: r.issued_by_user_id, agencyId: r.issued_by_agency_id },
    issuedAt: iso(r.issued_at)!,
    expiresAt: iso(r.expires_at)!,
    redeemed:
      r.redeemed_at && r.redeemed_by_agency_id
        ? {
            at: iso(r.redeemed_at)!,
            agencyId: r.redeemed_by_agency_id,
            agencyName: r.redeemed_agency_name ?? null,
            userId: r.redeemed_by_user_id!,
            consentId: r.consent_id!,
          }
        : null,
    revokedAt: iso(r.revoked_at),
  };
}

const SELECT = `SELECT c.*, n.name AS redeemed_agency_name FROM share_codes c
  LEFT JOIN network_agencies n ON n.agency_id::text = c.redeemed_by_agency_id`;

/** Reads of the `share_codes` read model; each one that names survivors is recorded first. */
@Injectable()
export class ShareCodeQueries extends ShareCodeUses {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly gate: AccessGate,
    private readonly recorder: AccessRecorder,
  ) {
    super();
  }

  /** The survivor's codes, for the care team (an access event, like the referral history). */
  async forCareTeam(principal: Principal, survivorId: string, requestId: string, now: Date) {
    const admission = (
      await this.gate.admit({
        principal,
        survivorIds: [survivorId],
        sections: ['preferences'],
        purpose: 'care-coordination',
        requestId,
        route: 'GET /v1/intakes/:survivorId/share-codes',
        careTeamOnly: true,
      })
    ).get(survivorId)!;
    if (!admission.exists) throw markRecorded(new NotFound('Intake', E.intakeNotFound));
    if (admission.decision.outcome === 'denied') throw this.gate.refusal(admission, E.accessDenied);
    const rows = await this.db.query<Row[]>(`${SELECT} WHERE c.survivor_id = $1 ORDER BY c.issued_at, c.code_id`, [
      survivorId,
    ]);
    return { survivorId, items: rows.map((r) => view(r, now)) };
  }

  /**
   * For privacy officers: the codes their agency issued (a network officer: every code), newest
   * first, with when and where each was used. One AccessLogViewed per survivor shown.
   */
  async forOfficer(principal: Principal, requestId: string | null, now: Date, limit: number) {
    const scope = officerScope(principal);
    const rows =
      scope.kind === 'network'
        ? await this.db.query<Row[]>(`${SELECT} ORDER BY c.issued_at DESC, c.code_id LIMIT $1`, [limit])
        : await this.db.query<Row[]>(
            `${SELECT} WHERE c.issued_by_agency_id = $1 ORDER BY c.issued_at DESC, c.code_id LIMIT $2`,
            [scope.agencyId, limit],
          );
    const viewer = {
      userId: principal.userId,
      agencyId: principal.agencyId,
      role: principal.roles.includes('network-privacy-officer') ? 'network-privacy-officer' : 'privacy-officer',
    };
    const id = requestId ?? randomUUID();
    await this.recorder.recordLogViews(
      [...new Set(rows.map((r) => r.survivor_id))].map((survivorId) => ({
        survivorId,
        viewer,
        view: 'share-code-uses' as const,
        requestId: id,
        route: 'GET /v1/audit/share-codes',
      })),
    );
    return { items: rows.map((r) => view(r, now)) };
  }

  /** For the survivor's disclosure report (which records its own view). */
  async forSurvivor(survivorId: string): Promise<ShareCodeUse[]> {
    const rows = await this.db.query<Row[]>(
      `${SELECT} WHERE c.survivor_id = $1 AND c.redeemed_at IS NOT NULL ORDER BY c.redeemed_at`,
      [survivorId],
    );
    return rows.map((r) => ({
      codeId: r.code_id,
      at: iso(r.redeemed_at)!,
      agencyId: r.redeemed_by_agency_id!,
      agencyName: r.redeemed_agency_name ?? null,
      sections: r.sections,
      purposes: r.purposes,
    }));
  }
}
