import type { AgencyStatus, Tier } from '@harbour/network';
import type { ConsentRecord, ConsentState } from './consent.decider.js';
import { exclusionOf } from './exclusions.js';
import { isSection, isWorkerRole, type Section } from './sections.js';
import { type Sector, isPurpose, type Purpose } from '@harbour/vocabulary';

/** Who asks: the signed-in staff member, their agency and the role they act in. */
export interface AccessActor {
  userId: string;
  agencyId: string | null;
  role: string | null;
}

/** The actor's agency as the caller read it just now (from its `agency-<id>` stream). */
export interface AccessAgency {
  status: AgencyStatus;
  tier: Tier | null;
  sector: Sector;
}

/** The survivor's care team: the agencies working the case and, when known, the named workers. */
export interface CareTeam {
  agencyIds: readonly string[];
  /** When given, only these workers of the care-team agencies count as the care team. */
  userIds?: readonly string[];
  /**
   * Referrals of this survivor to other agencies (from the intake's care team, see
   * libs/referrals). An accepted referral's assigned worker reads the sections its bound
   * consent lists while that consent is in force; an agency with a referral in play reads for
   * `referral` only that way (before acceptance it sees the non-identifying notice, nothing more).
   */
  referrals?: readonly CareTeamReferral[];
}

/** One referral as the care team knows it: the receiving agency, its assigned worker, the bound consent. */
export interface CareTeamReferral {
  referralId: string;
  agencyId: string;
  /** The receiving worker assigned on acceptance (null before). */
  userId: string | null;
  consentId: string;
  /** `pending`: requested or acknowledged; `accepted`: the assignee reads; `ended`: declined, expired, withdrawn or closed without engagement. */
  status: 'pending' | 'accepted' | 'ended';
}

export interface AccessRequest {
  actor: AccessActor;
  agency: AccessAgency;
  careTeam: CareTeam;
  /** The survivor's folded `consent-<survivorId>` stream, read just before deciding. */
  consents: ConsentState;
  sections: readonly Section[];
  purpose: Purpose;
  at: Date;
  /** An emergency access the actor opened on this survivor's record and that is open at `at` (see rule 6). */
  breakGlass?: BreakGlassGrant | null;
}

/** Break-glass: a supervisor's time-boxed emergency access to one survivor's record (libs/audit). */
export interface BreakGlassGrant {
  grantId: string;
  userId: string;
  /** Open from this instant (inclusive)… */
  openedAt: string;
  /** …until this one (exclusive), unless closed earlier (then the caller passes no grant). */
  expiresAt: string;
}

export type PermitBasis =
  | { kind: 'care-team' }
  | { kind: 'consent'; consentId: string; version: number }
  | { kind: 'referral'; referralId: string; consentId: string; version: number }
  | { kind: 'break-glass'; grantId: string };

export type DenyReason =
  | 'agency-not-eligible'
  | 'role-not-permitted'
  | 'excluded-staff'
  | 'excluded-agency'
  | 'excluded-sector'
  | 'purpose-not-permitted'
  | 'section-not-consented'
  | 'consent-revoked'
  | 'consent-not-yet-valid'
  | 'consent-expired'
  | 'no-consent'
  | 'referral-not-accepted'
  | 'referral-ended'
  /** Erased at the survivor's request or by retention (set by the access gate, not by consent). */
  | 'record-erased'
  | 'section-erased';

export type SectionDecision =
  | { section: Section; decision: 'permit'; basis: PermitBasis }
  | { section: Section; decision: 'deny'; reason: DenyReason };

export interface AccessDecision {
  /** `permitted`: every section asked for; `partial`: some; `denied`: none (also when none were asked for). */
  outcome: 'permitted' | 'partial' | 'denied';
  sections: SectionDecision[];
}

/** Purposes for which the care team reads every section without a consent naming them. */
export const CARE_TEAM_PURPOSES: readonly Purpose[] = ['referral', 'care-coordination', 'safety-planning'];

/**
 * Why a consent that names the recipient still does not permit, in the order each consent is
 * checked: first whether it covers the purpose and section at all, then whether it is live at
 * `at`. Across several consents naming the recipient, the reason reported is the one that got
 * furthest down this list (the nearest miss), e.g. an expired consent that covered the section
 * explains more than another consent that never named it.
 */
const CONSENT_MISSES = [
  'purpose-not-permitted',
  'section-not-consented',
  'consent-revoked',
  'consent-not-yet-valid',
  'consent-expired',
] as const;
type ConsentMiss = (typeof CONSENT_MISSES)[number];

function miss(consent: ConsentRecord, section: Section, purpose: Purpose, at: number): ConsentMiss | null {
  if (!consent.purposes.includes(purpose)) return 'purpose-not-permitted';
  if (!consent.sections.includes(section)) return 'section-not-consented';
  if (consent.status === 'revoked') return 'consent-revoked';
  if (at < Date.parse(consent.validFrom)) return 'consent-not-yet-valid';
  if (at >= Date.parse(consent.validUntil)) return 'consent-expired';
  return null;
}

const deny = (section: Section, reason: DenyReason): SectionDecision => ({ section, decision: 'deny', reason });
const permit = (section: Section, basis: PermitBasis): SectionDecision => ({ section, decision: 'permit', basis });

/**
 * THE decision point: may this actor read these intake sections of this survivor, for this
 * purpose, at this moment? Pure and total: it never throws, and anything it does not recognise
 * is denied. Every survivor-data read goes through it (the caller records the access event).
 *
 * Deny by default, deny wins. Each section is decided by the first rule that applies:
 *
 * 1. `agency-not-eligible` — the actor has no agency, or it is not an active core member
 *    (associates never get case access; applicant, suspended and removed agencies get none).
 * 2. `role-not-permitted` — only caseworkers and supervisors read intake sections (privacy
 *    officers see access metadata, analysts aggregates, admins neither).
 *    An unknown purpose is `purpose-not-permitted` and an unknown section
 *    `section-not-consented` here, before anything could permit them.
 * 3. Exclusions in force, most specific first: `excluded-staff` (the actor), `excluded-agency`
 *    (the actor's agency), `excluded-sector` (its sector). They override every permit — the
 *    care team's and any consent's: a survivor who said "never this worker" means it even if
 *    that worker's agency is on the care team.
 * 4. Care team: a worker of a care-team agency (and one of `careTeam.userIds`, when given)
 *    reads EVERY section for `referral`, `care-coordination` and `safety-planning` — the
 *    survivor is working with them on exactly that. Basis `care-team`.
 *    Not for `investigation`, which always needs a consent that names `investigation`, nor for
 *    `statistics`, which counts only survivors who said yes to it: for those two the care team
 *    is treated like any other agency and goes on to rule 5.
 * 5. Consents naming the actor's agency, or its sector (every active agency of that sector).
 *    A consent permits when it lists the purpose (no purpose implies another: `investigation`
 *    is never implied), lists the section, is not revoked, and validFrom <= at < validUntil.
 *    Basis `consent` with the consent's id and current version; when several permit, one
 *    naming the agency is preferred to one naming its sector, then the earliest recorded.
 *    When none permits: `no-consent` if no consent names the agency or its sector, otherwise
 *    the nearest miss (see CONSENT_MISSES): `purpose-not-permitted` < `section-not-consented`
 *    < `consent-revoked` < `consent-not-yet-valid` < `consent-expired`.
 *
 * 4b. Referral (only when `careTeam.referrals` is given): the assigned worker of an accepted
 *    referral to their agency reads, for `referral`, `care-coordination` and `safety-planning`,
 *    the sections its bound consent lists while that consent is in force and still lists
 *    `referral` (basis `referral` with the consent's current version). An agency with a
 *    referral in play reads for `referral` ONLY this way: otherwise `referral-not-accepted`
 *    (pending, or not the assignee) or `referral-ended`, or the bound consent's miss — so a
 *    withdrawal, revocation or expiry ends that access on the next read. Other purposes go on
 *    to rule 5 as usual.
 *
 * 6. Break-glass, the last resort: when rules 4 and 5 permit nothing, a `supervisor` reads the
 *    section under an emergency access they opened themselves, while it is open
 *    (openedAt <= at < expiresAt), for `referral`, `care-coordination` or `safety-planning` only.
 *    Basis `break-glass` with the grant id; the denial it replaced is not reported. What it never
 *    overrides: rule 1 (an associate, suspended or removed agency has no case access, emergency
 *    or not), rule 2 (only supervisors open it) and rule 3 — an exclusion is the survivor's
 *    explicit, specific "never": the person or agency they excluded may be the danger itself,
 *    and in an emergency another agency can act. Nor `investigation` or `statistics`: an
 *    emergency is about the survivor's safety, never a police inquiry or a count.
 *
 * A revoked consent is revoked whatever `at` says, and the state is read as it stands now: this
 * answers "may they read now", not "could they have read then".
 */
export function decideAccess(request: AccessRequest): AccessDecision {
  const { actor, agency, careTeam, consents, purpose } = request;
  const at = request.at.getTime();
  const sections = [...request.sections];

  const agencyId = actor.agencyId;
  const eligible = agencyId !== null && agency.status === 'active' && agency.tier === 'core';
  const excluded = exclusionOf(consents.exclusions, { userId: actor.userId, agencyId, sector: agency.sector });
  const onCareTeam =
    agencyId !== null &&
    careTeam.agencyIds.includes(agencyId) &&
    (careTeam.userIds === undefined || careTeam.userIds.includes(actor.userId));
  const inPlay = (careTeam.referrals ?? []).filter((r) => agencyId !== null && r.agencyId === agencyId);
  const naming = [
    ...consents.consents.filter((c) => c.recipient.kind === 'agency' && c.recipient.agencyId === agencyId),
    ...consents.consents.filter((c) => c.recipient.kind === 'sector' && c.recipient.sector === agency.sector),
  ];

  const grant = request.breakGlass;
  const glass =
    grant &&
    actor.role === 'supervisor' &&
    grant.userId === actor.userId &&
    CARE_TEAM_PURPOSES.includes(purpose) &&
    Date.parse(grant.openedAt) <= at &&
    at < Date.parse(grant.expiresAt)
      ? grant.grantId
      : null;
  const lastResort = (denied: SectionDecision): SectionDecision =>
    glass === null ? denied : permit(denied.section, { kind: 'break-glass', grantId: glass });

  const decideSection = (section: Section): SectionDecision => {
    if (!eligible) return deny(section, 'agency-not-eligible');
    if (!isWorkerRole(actor.role)) return deny(section, 'role-not-permitted');
    if (!isPurpose(purpose)) return deny(section, 'purpose-not-permitted');
    if (!isSection(section)) return deny(section, 'section-not-consented');
    if (excluded !== null) return deny(section, `excluded-${excluded}`);
    if (onCareTeam && CARE_TEAM_PURPOSES.includes(purpose)) return permit(section, { kind: 'care-team' });
    let referralMiss: DenyReason | null = null;
    if (inPlay.length > 0 && CARE_TEAM_PURPOSES.includes(purpose)) {
      let nearestGrant = -1;
      for (const r of inPlay.filter((r) => r.status === 'accepted' && r.userId === actor.userId)) {
        const consent = consents.consents.find((c) => c.consentId === r.consentId);
        const m = consent ? miss(consent, section, 'referral', at) : 'consent-revoked';
        if (m === null)
          return permit(section, {
            kind: 'referral',
            referralId: r.referralId,
            consentId: consent!.consentId,
            version: consent!.version,
          });
        nearestGrant = Math.max(nearestGrant, CONSENT_MISSES.indexOf(m));
      }
      referralMiss =
        nearestGrant >= 0
          ? CONSENT_MISSES[nearestGrant]
          : inPlay.some((r) => r.status !== 'ended')
            ? 'referral-not-accepted'
            : 'referral-ended';
      if (purpose === 'referral') return lastResort(deny(section, referralMiss));
    }
    if (naming.length === 0) return lastResort(deny(section, referralMiss ?? 'no-consent'));
    let nearest = referralMiss ? CONSENT_MISSES.indexOf(referralMiss as ConsentMiss) : -1;
    for (const consent of naming) {
      const m = miss(consent, section, purpose, at);
      if (m === null)
        return permit(section, { kind: 'consent', consentId: consent.consentId, version: consent.version });
      nearest = Math.max(nearest, CONSENT_MISSES.indexOf(m));
    }
    return lastResort(deny(section, CONSENT_MISSES[nearest]));
  };

  const decided = sections.map(decideSection);
  const permitted = decided.filter((d) => d.decision === 'permit').length;
  const outcome = permitted === 0 ? 'denied' : permitted === decided.length ? 'permitted' : 'partial';
  return { outcome, sections: decided };
}
