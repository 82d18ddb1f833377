import { Inject, Injectable } from '@nestjs/common';
import { CurrentState, StreamHistory } from '@harbour/event-store';
import { CLOCK, type Clock, DomainError, NotFound } from '@harbour/kernel';
import type { Principal } from '@harbour/auth';
import { AccessRecorder, accessFromDecision, breakGlassDecider, breakGlassStream, openGrant } from '@harbour/audit';
import { type AccessDecision, consentDecider, consentStream, decideAccess, type Purpose, type Section } from '@harbour/consent';
import { AgencyLookup, agencyStream } from '@harbour/network';
import { KeyRing } from '@harbour/privacy';
import { workerRole } from './intake.commands.js';
import { intakeDecider, type IntakeState, intakeStream } from './intake.decider.js';
import { INTAKE_SNAPSHOT_KIND } from './intake-snapshots.js';
import { IntakeErrors } from '../errors.js';

export interface ReadRequest {
  principal: Principal;
  survivorId: string;
  purpose: Purpose;
  sections: readonly Section[];
  /** Read the intake as it stood at this instant (default: now). */
  asOf?: Date;
  requestId: string;
  route: string;
}

export interface SurvivorRecord {
  survivorId: string;
  asOf: string | null;
  /** Stream version the answer reflects. */
  version: number;
  purpose: Purpose;
  sections: Partial<Record<Section, unknown>>;
  /** Sections not returned, with why; never their content. */
  withheld: Array<{ section: Section; reason: string }>;
  /** Which permit each returned section rests on. */
  basis: AccessDecision['sections'];
}

/**
 * The one read path for survivor data: decide per section (consent decision point), decrypt
 * what is permitted, record the access event — and only then answer. If the access event
 * cannot be recorded the read fails (fail closed); a denied read is recorded too.
 */
@Injectable()
export class SurvivorRecordReader {
  constructor(
    private readonly history: StreamHistory,
    private readonly current: CurrentState,
    private readonly agencies: AgencyLookup,
    private readonly keys: KeyRing,
    private readonly access: AccessRecorder,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async read(request: ReadRequest): Promise<SurvivorRecord> {
    const { principal, survivorId } = request;
    // One round trip for the versions of everything the decision depends on.
    const versions = await this.current.versions([intakeStream(survivorId), consentStream(survivorId), agencyStream(principal.agencyId), breakGlassStream(survivorId)]);
    const { state: now } = await this.current.load(intakeStream(survivorId), intakeDecider, versions);
    if (now.status === 'none') throw new NotFound('Intake', IntakeErrors.intakeNotFound);
    const intake = request.asOf ? await this.asOf(survivorId, request.asOf) : now;

    const role = workerRole(principal.roles) ?? principal.roles[0] ?? null;
    const actor = { userId: principal.userId, agencyId: principal.agencyId, role };
    const [agency, { state: consents }, { state: emergencies }] = await Promise.all([
      this.agencies.of(principal.agencyId, versions),
      this.current.load(consentStream(survivorId), consentDecider, versions),
      this.current.load(breakGlassStream(survivorId), breakGlassDecider, versions),
    ]);
    const at = this.clock.now();
    // Care team and consents are judged as they are now, whatever instant the data is read at.
    const decision = decideAccess({
      actor,
      agency: agency.status === 'none' ? { status: 'removed', tier: null, sector: 'other' } : { status: agency.status, tier: agency.tier, sector: agency.sector },
      careTeam: { agencyIds: now.careTeamAgencyIds, userIds: careTeamUsers(now, actor), referrals: now.referrals ?? [] },
      consents,
      sections: request.sections,
      purpose: request.purpose,
      at,
      // Emergency access the reader opened and that is still open (the decision point's rule 6).
      breakGlass: openGrant(emergencies, principal.userId, at),
    });

    const sections: Partial<Record<Section, unknown>> = {};
    for (const d of decision.sections) {
      const entry = d.decision === 'permit' && intake.status === 'open' ? intake.sections[d.section] : undefined;
      if (entry) sections[d.section] = await this.keys.decrypt(survivorId, `intake:${d.section}`, entry.content);
    }

    await this.access.record({
      survivorId,
      actor,
      ...accessFromDecision(decision),
      purpose: request.purpose,
      requestId: request.requestId,
      route: request.route,
    });

    const withheld = decision.sections.flatMap((d) => (d.decision === 'deny' ? [{ section: d.section, reason: d.reason }] : []));
    if (decision.outcome === 'denied') {
      throw DomainError.of(IntakeErrors.accessDenied, { details: { withheld } });
    }
    return {
      survivorId,
      asOf: request.asOf?.toISOString() ?? null,
      version: intake.status === 'open' ? intake.version : -1,
      purpose: request.purpose,
      sections,
      withheld,
      basis: decision.sections.filter((d) => d.decision === 'permit'),
    };
  }

  /** The intake as it stood at an instant (history is kept forever; snapshots keep this fast). */
  private async asOf(survivorId: string, at: Date): Promise<IntakeState> {
    return (await this.history.asOf(INTAKE_SNAPSHOT_KIND, intakeStream(survivorId), intakeDecider, at)).state;
  }
}

/** Named workers, plus the reading supervisor when their agency is on the team. */
function careTeamUsers(state: IntakeState, actor: { userId: string; agencyId: string | null; role: string | null }): string[] {
  if (state.status !== 'open') return [];
  const supervisor = actor.role === 'supervisor' && actor.agencyId !== null && state.careTeamAgencyIds.includes(actor.agencyId);
  return supervisor ? [...state.careTeamUserIds, actor.userId] : state.careTeamUserIds;
}
