import type { StoredEvent } from '@harbour/event-store';
import type { ConsentEvent, ConsentTerms, Section } from '@harbour/consent';
import type { DisclosureReport } from '@harbour/audit';
import type { ReferralView } from '@harbour/referrals';

/** An agency as the survivor reads it: its id and name (null: no longer in the network). */
export interface AgencyName {
  agencyId: string;
  name: string | null;
}

export interface ConsentVersionCopy extends ConsentTerms {
  version: number;
  recordedAt: string;
  /** The agency of the worker through whom the survivor gave it (workers are named by agency, as in the disclosure report). */
  recordedThrough: AgencyName;
}

export type RecipientCopy = { kind: 'agency'; agency: AgencyName } | { kind: 'sector'; sector: string };

export interface ConsentCopy {
  consentId: string;
  recipient: RecipientCopy;
  /** As of the moment the copy was made. */
  state: 'in-force' | 'revoked' | 'ended' | 'not-started';
  /** Every version, oldest first: an amendment restates all the terms. */
  versions: ConsentVersionCopy[];
  revoked: { at: string; method: string; agency: AgencyName } | null;
}

export type ExclusionTargetCopy =
  | { kind: 'sector'; sector: string }
  | { kind: 'agency'; agency: AgencyName }
  | { kind: 'staff'; userId: string; name: string | null };

export interface ExclusionCopy {
  exclusionId: string;
  target: ExclusionTargetCopy;
  method: string;
  language: string;
  recordedAt: string;
  agency: AgencyName;
  lifted: { at: string; method: string; agency: AgencyName } | null;
}

export interface ReferralCopy {
  referralId: string;
  state: string;
  from: AgencyName;
  to: AgencyName;
  needs: string[];
  urgency: string;
  requestedAt: string;
  updatedAt: string;
  note: string | null;
  declineReason: string | null;
  outcome: string | null;
  introduction: { at: string; mode: string } | null;
}

export interface DisclosureCopy {
  agency: AgencyName;
  reads: number;
  firstSeen: string;
  lastSeen: string;
  entries: Array<{ at: string; role: string | null; sections: string[]; purpose: string; basis: string[] }>;
}

/** The survivor's own copy: what the record says now, their consent decisions, referrals, and who has seen it. */
export interface SurvivorCopy {
  survivorId: string;
  generatedAt: string;
  /** The language of the printable copy's words (its labels; the record's own text stays as written). */
  language: string;
  record: {
    /** The intake stream version this copy shows. */
    version: number;
    sections: Partial<Record<Section, unknown>>;
    /** Sections not shown, with why (e.g. `section-erased`); never their content. */
    withheld: Array<{ section: Section; reason: string }>;
  };
  consents: ConsentCopy[];
  exclusions: ExclusionCopy[];
  referrals: ReferralCopy[];
  disclosures: DisclosureCopy[];
}

type Names = { agencies: ReadonlyMap<string, string>; staff: ReadonlyMap<string, string> };
const agency = (names: Names, agencyId: string): AgencyName => ({
  agencyId,
  name: names.agencies.get(agencyId) ?? null,
});

/** The agency and staff ids the copy names, to look their names up in one go. */
export function idsToName(events: readonly StoredEvent[], referrals: readonly ReferralView[]) {
  const agencies = new Set<string>();
  const staff = new Set<string>();
  for (const event of events.map(consentEventOf)) {
    switch (event.type) {
      case 'ConsentRecorded':
        agencies.add(event.data.recordedBy.agencyId);
        if (event.data.recipient.kind === 'agency') agencies.add(event.data.recipient.agencyId);
        break;
      case 'ConsentAmended':
        agencies.add(event.data.recordedBy.agencyId);
        break;
      case 'ConsentRevoked':
        agencies.add(event.data.revokedBy.agencyId);
        break;
      case 'ExclusionRecorded':
        agencies.add(event.data.recordedBy.agencyId);
        if (event.data.target.kind === 'agency') agencies.add(event.data.target.agencyId);
        if (event.data.target.kind === 'staff') staff.add(event.data.target.userId);
        break;
      case 'ExclusionLifted':
        agencies.add(event.data.liftedBy.agencyId);
        break;
    }
  }
  for (const r of referrals) agencies.add(r.fromAgencyId).add(r.toAgencyId);
  return { agencyIds: [...agencies], userIds: [...staff] };
}

/** A stored event of `consent-<survivorId>` as the consent context's union (schema version 1). */
const consentEventOf = (stored: StoredEvent) => ({ type: stored.type, data: stored.data }) as ConsentEvent;

/** The consent stream, event by event, as the survivor's decisions: every version, revocation and exclusion. */
export function consentHistory(
  events: readonly StoredEvent[],
  names: Names,
  now: Date,
): { consents: ConsentCopy[]; exclusions: ExclusionCopy[] } {
  const consents = new Map<string, ConsentCopy>();
  const exclusions = new Map<string, ExclusionCopy>();
  for (const event of events.map(consentEventOf)) {
    switch (event.type) {
      case 'ConsentRecorded':
      case 'ConsentAmended': {
        const {
          consentId,
          version,
          recordedBy,
          recordedAt,
          sections,
          purposes,
          validFrom,
          validUntil,
          method,
          language,
        } = event.data;
        const recipient: RecipientCopy | undefined =
          event.type === 'ConsentRecorded'
            ? event.data.recipient.kind === 'agency'
              ? { kind: 'agency', agency: agency(names, event.data.recipient.agencyId) }
              : { kind: 'sector', sector: event.data.recipient.sector }
            : undefined;
        const entry = consents.get(consentId) ?? {
          consentId,
          recipient: recipient!,
          state: 'in-force' as const,
          versions: [],
          revoked: null,
        };
        entry.versions.push({
          version,
          sections,
          purposes,
          validFrom,
          validUntil,
          method,
          language,
          recordedAt,
          recordedThrough: agency(names, recordedBy.agencyId),
        });
        consents.set(consentId, entry);
        break;
      }
      case 'ConsentRevoked': {
        const entry = consents.get(event.data.consentId);
        if (entry)
          entry.revoked = {
            at: event.data.revokedAt,
            method: event.data.method,
            agency: agency(names, event.data.revokedBy.agencyId),
          };
        break;
      }
      case 'ExclusionRecorded': {
        const { exclusionId, target, method, language, recordedBy, recordedAt } = event.data;
        exclusions.set(exclusionId, {
          exclusionId,
          target:
            target.kind === 'agency'
              ? { kind: 'agency', agency: agency(names, target.agencyId) }
              : target.kind === 'staff'
                ? { kind: 'staff', userId: target.userId, name: names.staff.get(target.userId) ?? null }
                : { kind: 'sector', sector: target.sector },
          method,
          language,
          recordedAt,
          agency: agency(names, recordedBy.agencyId),
          lifted: null,
        });
        break;
      }
      case 'ExclusionLifted': {
        const entry = exclusions.get(event.data.exclusionId);
        if (entry)
          entry.lifted = {
            at: event.data.liftedAt,
            method: event.data.method,
            agency: agency(names, event.data.liftedBy.agencyId),
          };
        break;
      }
      default:
        // A consent event this copy does not know yet: left out rather than guessed at.
        break;
    }
  }
  const at = now.getTime();
  for (const c of consents.values()) {
    const latest = c.versions.at(-1)!;
    c.state = c.revoked
      ? 'revoked'
      : at >= Date.parse(latest.validUntil)
        ? 'ended'
        : at < Date.parse(latest.validFrom)
          ? 'not-started'
          : 'in-force';
  }
  return { consents: [...consents.values()], exclusions: [...exclusions.values()] };
}

/** A referral as its survivor reads it: where to, for what, and where it stands. */
export function referralCopy(r: ReferralView, names: Names): ReferralCopy {
  return {
    referralId: r.referralId,
    state: r.state,
    from: agency(names, r.fromAgencyId),
    to: agency(names, r.toAgencyId),
    needs: r.notice.needs,
    urgency: r.notice.urgency,
    requestedAt: r.requestedAt,
    updatedAt: r.updatedAt,
    note: r.note ?? null,
    declineReason: r.declineReason ?? null,
    outcome: r.outcome ?? null,
    introduction: r.introduction ? { at: r.introduction.at, mode: r.introduction.mode } : null,
  };
}

/**
 * The disclosure report's groups, without its English sentences (the printable copy words them in
 * the survivor's language); `names` are the agency names the report's query found (null: gone).
 */
export function disclosureCopy(report: DisclosureReport, names: ReadonlyMap<string, string | null>): DisclosureCopy[] {
  return report.agencies.map((g) => ({
    agency: { agencyId: g.agencyId ?? '', name: g.agencyId === null ? null : (names.get(g.agencyId) ?? null) },
    reads: g.reads,
    firstSeen: g.firstSeen,
    lastSeen: g.lastSeen,
    entries: g.entries.map((e) => ({
      at: e.at,
      role: e.role,
      sections: e.sections,
      purpose: e.purpose,
      basis: e.basis,
    })),
  }));
}
