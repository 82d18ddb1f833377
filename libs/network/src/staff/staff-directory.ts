import { Injectable } from '@nestjs/common';
import { CurrentState } from '@harbour/event-store';
import { StaffDirectory, type StaffStanding } from '@harbour/auth';
import { agencyDecider } from '../agencies/agency.decider.js';
import { agencyStream, staffStream } from '../streams.js';
import { staffDecider } from './staff.decider.js';

/**
 * The sign-in check behind every request, read from the streams themselves (not a read model),
 * so deactivating a person or suspending an agency bites on the very next request.
 */
@Injectable()
export class NetworkStaffDirectory extends StaffDirectory {
  constructor(private readonly current: CurrentState) {
    super();
  }

  /** Staff never change agency, so after the first request both versions come in one query. */
  private readonly agencyOf = new Map<string, string>();

  async standing(userId: string): Promise<StaffStanding | null> {
    const knownAgency = this.agencyOf.get(userId);
    const versions = knownAgency
      ? await this.current.versions([staffStream(userId), agencyStream(knownAgency)])
      : undefined;
    const { state: staff } = await this.current.load(staffStream(userId), staffDecider, versions);
    if (staff.status === 'none') return null;
    if (this.agencyOf.size > 50_000) this.agencyOf.clear();
    this.agencyOf.set(userId, staff.agencyId);
    const { state: agency } = await this.current.load(
      agencyStream(staff.agencyId),
      agencyDecider,
      staff.agencyId === knownAgency ? versions : undefined,
    );
    if (agency.status === 'none') return null;
    return {
      userId,
      agencyId: staff.agencyId,
      roles: staff.roles,
      active: staff.status === 'active',
      agencyStatus: agency.status,
      agencyTier: agency.tier ?? agency.requestedTier,
    };
  }
}
