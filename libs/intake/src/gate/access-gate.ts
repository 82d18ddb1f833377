import { Inject, Injectable } from '@nestjs/common';
import { CurrentState } from '@harbour/event-store';
import { type Actor, CLOCK, type Clock, DomainError, type ErrorSpec } from '@harbour/kernel';
import { hiddenSubject, markRecorded, type Principal } from '@harbour/auth';
import { AccessRecorder, accessFromDecision, breakGlassDecider, breakGlassStream, openGrant } from '@harbour/audit';
import {
  type AccessDecision,
  type ConsentState,
  consentDecider,
  consentStream,
  decideAccess,
  type DenyReason,
  type Section,
  type SectionDecision,
  SECTIONS,
} from '@harbour/consent';
import { AgencyLookup, type AgencyState, agencyStream } from '@harbour/network';
import { workerRole } from '../record/intake.commands.js';
import { intakeDecider, type IntakeState, intakeStream } from '../record/intake.decider.js';
import { type Purpose } from '@harbour/vocabulary';
import { erasureOf } from '../erasure/erasure-status.js';
import { IntakeErrors } from '../errors.js';

export interface GateRequest {
  principal: Principal;
  survivorIds: readonly string[];
  sections: readonly Section[];
  purpose: Purpose;
  requestId: string;
  /** The route template, recorded with every access event. */
  route: string;
  /** Care-team views (outbox, referral history): only the care team counts; exclusions still bite. */
  careTeamOnly?: boolean;
}

/** The gate's answer about one survivor. */
export interface Admission {
  survivorId: string;
  /** False: no intake has this id; nothing was decided or recorded. */
  exists: boolean;
  /**
   * The caller's agency works the case (care team) or received an accepted referral of it: it
   * already knows the record exists, so a refusal may say why. Anyone else is answered "not found".
   */
  related: boolean;
  decision: AccessDecision;
  /** The intake as it stands now (the decision's care team). */
  intake: IntakeState;
  /** The version of the consent stream the decision read (-1: no consent recorded yet). */
  consentStreamVersion: number;
}

/** A refusal made before or beside a decision (guard, decider, missing referral), to be recorded. */
export interface Refusal {
  actor: Actor;
  survivorId: string;
  reason: string;
  requestId: string;
  /** The caller's `X-Request-Id` (a plain token), for their correlation only. */
  clientRequestId?: string | null;
  route: string;
  purpose?: string;
}

const REMOVED: { status: 'removed'; tier: null; sector: 'other' } = { status: 'removed', tier: null, sector: 'other' };
const agencyInput = (agency: AgencyState) =>
  agency.status === 'none' ? REMOVED : { status: agency.status, tier: agency.tier, sector: agency.sector };

/** Does this agency already know the record exists (care team, an accepted referral to it, or a share code redeemed there)? */
export function relatedTo(intake: IntakeState, agencyId: string | null): boolean {
  if (intake.status !== 'open' || agencyId === null) return false;
  return (
    intake.careTeamAgencyIds.includes(agencyId) ||
    (intake.referrals ?? []).some((r) => r.agencyId === agencyId && r.userId !== null) ||
    (intake.shareMembers ?? []).some((m) => m.agencyId === agencyId)
  );
}

/**
 * THE access gate: every route that exposes or refuses survivor data passes here. For a batch of
 * survivors it gathers the decision inputs once (one round trip for every stream version: the
 * intakes, consents and emergency accesses, and the caller's agency), asks the pure decision point
 * (`decideAccess`) per survivor, lets the caller reveal what was permitted, and records one access
 * event per survivor per decision — permits and refusals alike — before anything is answered. If
 * consent cannot be checked or an event cannot be recorded, the whole answer fails (fail closed).
 * Refusals made elsewhere (the guard, a decider, a missing referral) are recorded through `refuse`.
 */
@Injectable()
export class AccessGate {
  constructor(
    private readonly current: CurrentState,
    private readonly agencies: AgencyLookup,
    private readonly access: AccessRecorder,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Decides for every survivor in `request.survivorIds`, then calls `reveal` for each existing one
   * (decrypt only what the decision permits), then records the events, then answers.
   */
  async admit(request: GateRequest, reveal?: (admission: Admission) => Promise<void>): Promise<Map<string, Admission>> {
    const { principal } = request;
    const ids = [...new Set(request.survivorIds)];
    const answers = new Map<string, Admission>();
    if (ids.length === 0) return answers;
    const versions = await this.current.versions([
      ...ids.flatMap((id) => [intakeStream(id), consentStream(id), breakGlassStream(id)]),
      agencyStream(principal.agencyId),
    ]);
    const agency = await this.agencies.of(principal.agencyId, versions);
    const actor = this.actorOf(principal);
    const at = this.clock.now();
    await Promise.all(
      ids.map(async (survivorId) => {
        const [{ state: intake }, { state: consents, version: consentStreamVersion }, { state: emergencies }] =
          await Promise.all([
            this.current.load(intakeStream(survivorId), intakeDecider, versions),
            this.current.load(consentStream(survivorId), consentDecider, versions),
            this.current.load(breakGlassStream(survivorId), breakGlassDecider, versions),
          ]);
        const open = intake.status === 'open' ? intake : null;
        const supervisor = actor.role === 'supervisor' && open?.careTeamAgencyIds.includes(principal.agencyId);
        const careTeamOnly = request.careTeamOnly === true;
        const consented = decideAccess({
          actor,
          agency: agencyInput(agency),
          careTeam: {
            agencyIds: open?.careTeamAgencyIds ?? [],
            // Named workers, plus the reading supervisor when their agency is on the team.
            userIds: open ? (supervisor ? [...open.careTeamUserIds, actor.userId] : open.careTeamUserIds) : [],
            referrals: careTeamOnly ? [] : (open?.referrals ?? []),
          },
          // Care-team views weigh exclusions only: no consent or referral can stand in for the care team.
          consents: careTeamOnly ? { consents: [], exclusions: consents.exclusions } : consents,
          sections: request.sections,
          purpose: request.purpose,
          at,
          // Emergency access the reader opened and that is still open (the decision point's rule 6).
          breakGlass: openGrant(emergencies, principal.userId, at),
        });
        const decision = withErasures(consented, intake);
        answers.set(survivorId, {
          survivorId,
          exists: open !== null,
          related: relatedTo(intake, principal.agencyId),
          decision,
          intake,
          consentStreamVersion,
        });
      }),
    );
    const existing = ids.map((id) => answers.get(id)!).filter((a) => a.exists);
    if (reveal) for (const admission of existing) await reveal(admission);
    await Promise.all(
      existing.map((a) =>
        this.access.record({
          survivorId: a.survivorId,
          actor,
          ...accessFromDecision(a.decision),
          purpose: request.purpose,
          requestId: request.requestId,
          route: request.route,
          // What the decision saw, already in memory: when it was made and which consents it read.
          decidedAt: at,
          consentStreamVersion: a.consentStreamVersion,
          clientRequestId: principal.clientRequestId,
        }),
      ),
    );
    return answers;
  }

  /**
   * The refusal a single-record route answers after a denied admission (already recorded): a
   * caller with no relation to the record gets the same 404 as for an id that names nothing.
   */
  refusal(admission: Admission, spec: ErrorSpec, details: Record<string, unknown> = {}): DomainError {
    if (!admission.exists || !admission.related)
      return markRecorded(hiddenSubject({ kind: 'survivor', survivorId: admission.survivorId }));
    if (erasedOnly(admission.decision)) return markRecorded(DomainError.of(IntakeErrors.recordErased));
    return markRecorded(DomainError.of(spec, { details }));
  }

  /**
   * Records a refusal made outside the decision point as an access event of that survivor
   * (outcome denied; every section withheld with the refusal's code as the reason). An id that
   * names no intake records nothing. Rejects (AccessNotRecorded) when the event cannot be recorded.
   */
  async refuse(refusal: Refusal): Promise<{ exists: boolean; related: boolean }> {
    const { state: intake } = await this.current.load(intakeStream(refusal.survivorId), intakeDecider);
    if (intake.status !== 'open') return { exists: false, related: false };
    await this.access.record({
      survivorId: refusal.survivorId,
      actor: refusal.actor,
      sectionsReturned: [],
      sectionsWithheld: SECTIONS.map((section) => ({ section, reason: refusal.reason })),
      purpose: refusal.purpose ?? 'unspecified',
      basis: [],
      outcome: 'denied',
      requestId: refusal.requestId,
      route: refusal.route,
      clientRequestId: refusal.clientRequestId,
    });
    return { exists: true, related: relatedTo(intake, refusal.actor.agencyId) };
  }

  /** The actor as recorded: the worker role first (supervisor outranks caseworker). */
  actorOf(principal: Principal): Actor {
    return {
      userId: principal.userId,
      agencyId: principal.agencyId,
      role: workerRole(principal.roles) ?? principal.roles[0] ?? null,
    };
  }
}

const ERASED = new Set<string>(['record-erased', 'section-erased']);

/** Every section asked for was refused because it is erased: the answer is 410 record-erased. */
export function erasedOnly(decision: AccessDecision): boolean {
  return decision.sections.length > 0 && decision.sections.every((d) => d.decision === 'deny' && ERASED.has(d.reason));
}

/**
 * Erasure overrides every permit: a whole erased record denies every section (`record-erased`),
 * an erased section denies that section (`section-erased`), whatever consent or role says.
 */
export function withErasures(decision: AccessDecision, intake: IntakeState): AccessDecision {
  const status = erasureOf(intake);
  if (!status.erased && status.erasedSections.length === 0) return decision;
  const sections = decision.sections.map((d): SectionDecision =>
    status.erased
      ? { section: d.section, decision: 'deny', reason: 'record-erased' }
      : status.erasedSections.includes(d.section)
        ? { section: d.section, decision: 'deny', reason: 'section-erased' }
        : d,
  );
  const permits = sections.filter((d) => d.decision === 'permit').length;
  const outcome = permits === 0 ? 'denied' : permits === sections.length ? 'permitted' : 'partial';
  return { outcome, sections };
}

export interface ReferralConsentCheck {
  /** The consent a referral to this agency would rest on (one naming the agency is preferred to its sector's). */
  consent: { consentId: string; version: number } | null;
  /** An exclusion in force that shuts the agency out. */
  exclusion: 'agency' | 'sector' | null;
  /** Why no consent covers it (the decision point's nearest miss), when none does. */
  reason: DenyReason | null;
}

/**
 * Would the survivor's consent let this agency receive a referral? Not a read (nothing is shown
 * or recorded): the decision point asked on behalf of a worker of the receiving agency, for
 * purpose `referral`, as if it were off the care team, so exclusions win and revocation,
 * validity and purpose are judged exactly as for any read.
 */
export function referralConsentFor(
  consents: ConsentState,
  agencyId: string,
  agency: AgencyState,
  at: Date,
): ReferralConsentCheck {
  if (agency.status === 'none') return { consent: null, exclusion: null, reason: 'agency-not-eligible' };
  const decision = decideAccess({
    actor: { userId: 'referral-check', agencyId, role: 'caseworker' },
    agency: agencyInput(agency),
    careTeam: { agencyIds: [] },
    consents,
    sections: SECTIONS,
    purpose: 'referral',
    at,
  });
  const reasons = decision.sections.flatMap((d) => (d.decision === 'deny' ? [d.reason] : []));
  const exclusion = reasons.includes('excluded-agency')
    ? 'agency'
    : reasons.includes('excluded-sector')
      ? 'sector'
      : null;
  const permit = decision.sections.find((d) => d.decision === 'permit' && d.basis.kind === 'consent');
  const consent =
    permit?.decision === 'permit' && permit.basis.kind === 'consent'
      ? { consentId: permit.basis.consentId, version: permit.basis.version }
      : null;
  const reason = consent ? null : (reasons.find((r) => r !== 'section-not-consented') ?? reasons[0] ?? 'no-consent');
  return { consent, exclusion, reason };
}
