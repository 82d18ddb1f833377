import { Injectable } from '@nestjs/common';
import { AggregateRepository, type AppendContext, EventStore, isDuplicate } from '@harbour/event-store';
import { DomainError, newId } from '@harbour/kernel';
import { agencyDecider } from '../agencies/agency.decider.js';
import { staffDecider } from '../staff/staff.decider.js';
import { NETWORK_STREAM, agencyStream, staffStream } from '../streams.js';
import { NetworkErrors } from '../errors.js';
import { type Sector } from '@harbour/vocabulary';

export interface BootstrapInput {
  agency: { name: string; sector: Sector; regions: string[]; contact: { name: string; email: string } };
  admin: { userId?: string; displayName: string; email: string };
}

export interface BootstrapResult {
  agencyId: string;
  adminUserId: string;
}

/**
 * Creates a new network's first agency (admitted by bootstrap, core) and its first network
 * admin. The `network` stream's first event claims the bootstrap exactly once; re-running
 * finishes a bootstrap that was interrupted, and refuses once it is complete.
 */
@Injectable()
export class NetworkBootstrap {
  constructor(
    private readonly store: EventStore,
    private readonly repository: AggregateRepository,
  ) {}

  async run(input: BootstrapInput): Promise<BootstrapResult> {
    const planned = { agencyId: newId(), adminUserId: input.admin.userId ?? newId() };
    const context: AppendContext = { actor: { userId: 'system:bootstrap', agencyId: null, role: 'network-admin' } };
    const existing = await this.store.readStream(NETWORK_STREAM);
    let ids: BootstrapResult;
    if (existing.length === 0) {
      const claimed = await this.store.append(
        NETWORK_STREAM,
        'no-stream',
        [{ type: 'NetworkBootstrapped', data: planned }],
        context,
      );
      if (isDuplicate(claimed)) throw new Error('unexpected duplicate');
      ids = planned;
    } else {
      ids = existing[0].data as BootstrapResult;
    }

    const agency = await this.repository.load(agencyStream(ids.agencyId), agencyDecider);
    const staff = await this.repository.load(staffStream(ids.adminUserId), staffDecider);
    if (agency.state.status === 'active' && staff.state.status !== 'none') {
      throw DomainError.of(NetworkErrors.alreadyBootstrapped);
    }
    if (agency.state.status === 'none') {
      await this.repository.execute({
        streamId: agencyStream(ids.agencyId),
        decider: agencyDecider,
        command: { type: 'ApplyForMembership', agencyId: ids.agencyId, ...input.agency, requestedTier: 'core' },
        context,
      });
    }
    if ((await this.repository.load(agencyStream(ids.agencyId), agencyDecider)).state.status === 'applicant') {
      await this.repository.execute({
        streamId: agencyStream(ids.agencyId),
        decider: agencyDecider,
        command: { type: 'AdmitByNetworkAdmin', activeCoreAgencies: 0 },
        context,
      });
    }
    if (staff.state.status === 'none') {
      await this.repository.execute({
        streamId: staffStream(ids.adminUserId),
        decider: staffDecider,
        command: {
          type: 'AddStaffMember',
          userId: ids.adminUserId,
          agencyId: ids.agencyId,
          displayName: input.admin.displayName,
          email: input.admin.email,
          roles: ['network-admin', 'agency-admin'],
          agencyStatus: 'active',
          managerRoles: ['network-admin'],
        },
        context,
      });
    }
    return ids;
  }
}
