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

  async standing(userId: string): Promise<StaffStanding | null> {
    const { state: staff } = await this.current.load(staffStream(userId), staffDecider);
    if (staff.status === 'none') return null;
    const { state: agency } = await this.current.load(agencyStream(staff.agencyId), agencyDecider);
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
