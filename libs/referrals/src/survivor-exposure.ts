import { Inject, Injectable } from '@nestjs/common';
import { CurrentState } from '@harbour/event-store';
import { CLOCK, type Clock } from '@harbour/kernel';
import type { Principal } from '@harbour/auth';
import { AccessRecorder, accessFromDecision } from '@harbour/audit';
import { type AccessDecision, consentDecider, consentStream, decideAccess, type Section } from '@harbour/consent';
import { intakeDecider, intakeStream, workerRole } from '@harbour/intake';
import { AgencyLookup, agencyStream } from '@harbour/network';

/** The intake sections a referral's notice is derived from: exposing a survivor with it reads these. */
export const NOTICE_SECTIONS: readonly Section[] = ['needs', 'identity', 'preferences'];

/**
 * Decides, for each survivor a list is about to expose (their id alongside referral details),
 * whether this principal may see them — through the decision point, for purpose `referral` —
 * and records one access event per survivor, permitted or not, before anything is answered.
 * If consent cannot be checked or an event cannot be recorded, the whole answer fails (fail closed).
 */
@Injectable()
export class SurvivorExposure {
  constructor(
    private readonly current: CurrentState,
    private readonly agencies: AgencyLookup,
    private readonly access: AccessRecorder,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The survivors among `survivorIds` this principal may see; every one of them is recorded. */
  async permitted(principal: Principal, survivorIds: readonly string[], requestId: string, route: string, options: { careTeamOnly?: boolean } = {}): Promise<Set<string>> {
    const ids = [...new Set(survivorIds)];
    if (ids.length === 0) return new Set();
    const streams = ids.flatMap((id) => [intakeStream(id), consentStream(id)]);
    const versions = await this.current.versions([...streams, agencyStream(principal.agencyId)]);
    const agency = await this.agencies.of(principal.agencyId, versions);
    const role = workerRole(principal.roles) ?? principal.roles[0] ?? null;
    const actor = { userId: principal.userId, agencyId: principal.agencyId, role };
    const at = this.clock.now();
    const decisions = await Promise.all(
      ids.map(async (survivorId): Promise<[string, AccessDecision]> => {
        const [{ state: intake }, { state: consents }] = await Promise.all([
          this.current.load(intakeStream(survivorId), intakeDecider, versions),
          this.current.load(consentStream(survivorId), consentDecider, versions),
        ]);
        const open = intake.status === 'open' ? intake : null;
        const supervisor = actor.role === 'supervisor' && open?.careTeamAgencyIds.includes(principal.agencyId);
        return [
          survivorId,
          decideAccess({
            actor,
            agency: agency.status === 'none' ? { status: 'removed', tier: null, sector: 'other' } : { status: agency.status, tier: agency.tier, sector: agency.sector },
            careTeam: {
              agencyIds: open?.careTeamAgencyIds ?? [],
              userIds: open ? (supervisor ? [...open.careTeamUserIds, actor.userId] : open.careTeamUserIds) : [],
              referrals: options.careTeamOnly ? [] : (open?.referrals ?? []),
            },
            // Care-team views weigh exclusions only: no consent or referral can stand in for the care team.
            consents: options.careTeamOnly ? { consents: [], exclusions: consents.exclusions } : consents,
            sections: NOTICE_SECTIONS,
            purpose: 'referral',
            at,
          }),
        ];
      }),
    );
    await Promise.all(decisions.map(([survivorId, decision]) => this.access.record({ survivorId, actor, ...accessFromDecision(decision), purpose: 'referral', requestId, route })));
    return new Set(decisions.filter(([, d]) => d.outcome !== 'denied').map(([id]) => id));
  }
}
