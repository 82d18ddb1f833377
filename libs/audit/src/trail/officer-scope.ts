import { CurrentState } from '@harbour/event-store';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@harbour/auth';
import { DomainError } from '@harbour/kernel';
import { AuditErrors } from '../errors.js';

/**
 * What a privacy officer may see: a network privacy officer everything; an agency privacy
 * officer the access events of their own agency's staff and of survivors their agency works
 * with (on the care team). Anyone else nothing.
 */
export type OfficerScope = { kind: 'network' } | { kind: 'agency'; agencyId: string };

export const PRIVACY_ROLES = ['privacy-officer', 'network-privacy-officer'];

export function officerScope(principal: Principal): OfficerScope {
  if (principal.roles.includes('network-privacy-officer')) return { kind: 'network' };
  if (principal.roles.includes('privacy-officer')) return { kind: 'agency', agencyId: principal.agencyId };
  throw DomainError.of(AuditErrors.notAPrivacyOfficer);
}

/** The care team as the intake stream says now (folded by event name: intake depends on audit, not the reverse). */
interface CareTeamState {
  exists: boolean;
  agencyIds: string[];
  userIds: string[];
  /** Workers who joined through an accepted referral, until it ends (for the consented sections only). */
  referralMembers: Record<string, { agencyId: string; userId: string }>;
}
type IntakeFact = {
  type: string;
  data: { agencyId?: string; userId?: string; openedBy?: string; referralId?: string; codeId?: string };
};
const careTeamFold = {
  initialState: (): CareTeamState => ({ exists: false, agencyIds: [], userIds: [], referralMembers: {} }),
  evolve: (s: CareTeamState, e: IntakeFact): CareTeamState => {
    if (e.type === 'IntakeOpened')
      return { exists: true, agencyIds: [e.data.agencyId!], userIds: [e.data.openedBy!], referralMembers: {} };
    if (e.type === 'CareTeamMemberAssigned') {
      return {
        ...s,
        agencyIds: s.agencyIds.includes(e.data.agencyId!) ? s.agencyIds : [...s.agencyIds, e.data.agencyId!],
        userIds: [...s.userIds, e.data.userId!],
      };
    }
    if (e.type === 'ReferralMemberJoined')
      return {
        ...s,
        referralMembers: {
          ...s.referralMembers,
          [e.data.referralId!]: { agencyId: e.data.agencyId!, userId: e.data.userId! },
        },
      };
    // A worker who joined through a share code: seen like a referral's assignee (their own reads, their officer's review).
    if (e.type === 'ShareCodeMemberJoined')
      return {
        ...s,
        referralMembers: {
          ...s.referralMembers,
          [`share-code:${e.data.codeId!}`]: { agencyId: e.data.agencyId!, userId: e.data.userId! },
        },
      };
    if (e.type === 'ReferralUnlinked') {
      const { [e.data.referralId!]: _ended, ...rest } = s.referralMembers;
      return { ...s, referralMembers: rest };
    }
    return s;
  },
};

/** Current (never stale) care-team facts for authorising audit reads about one survivor. */
@Injectable()
export class CareTeams {
  constructor(private readonly current: CurrentState) {}

  async of(survivorId: string): Promise<CareTeamState> {
    return (await this.current.load(`intake-${survivorId}`, careTeamFold)).state;
  }

  /**
   * May this person see this survivor's access trail? A network privacy officer: yes; an agency
   * privacy officer: when their agency is on the care team; a caseworker or supervisor: when
   * they are on the care team (named, or a supervisor of a care-team agency). Not found otherwise,
   * so the answer never reveals whether the survivor exists.
   */
  async requireTrailAccess(principal: Principal, survivorId: string): Promise<'officer' | 'care-team'> {
    const team = await this.of(survivorId);
    const hidden = () => DomainError.of(AuditErrors.intakeNotFound);
    if (!team.exists) throw hidden();
    if (principal.roles.includes('network-privacy-officer')) return 'officer';
    const onTeamAgency = team.agencyIds.includes(principal.agencyId);
    const referred = Object.values(team.referralMembers);
    // An agency working the case through an accepted referral: its privacy officer reviews, its assigned worker reads.
    if (
      principal.roles.includes('privacy-officer') &&
      (onTeamAgency || referred.some((m) => m.agencyId === principal.agencyId))
    )
      return 'officer';
    const active = principal.agencyStatus === 'active' && principal.agencyTier === 'core';
    if (active && onTeamAgency && (team.userIds.includes(principal.userId) || principal.roles.includes('supervisor')))
      return 'care-team';
    if (active && referred.some((m) => m.agencyId === principal.agencyId && m.userId === principal.userId))
      return 'care-team';
    if (active && onTeamAgency && principal.roles.includes('caseworker')) {
      throw DomainError.of(AuditErrors.notOnCareTeam);
    }
    throw hidden();
  }
}
