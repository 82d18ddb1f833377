import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '@harbour/event-store';
import { HarbourConfig, newId } from '@harbour/kernel';
import { executionOptions, type Principal, type RequestMeta } from '@harbour/auth';
import { agencyStream } from '../streams.js';
import type { Tier } from '../taxonomy.js';
import { AgencyLookup } from './agency-lookup.js';
import type { AgencyCommand, PeerStanding } from './agency.commands.js';
import { agencyDecider } from './agency.decider.js';
import type { AgencyContact } from './agency.events.js';
import { AgencyQueries } from './agency.queries.js';
import { type Sector } from '@harbour/vocabulary';

export type AgencyChange =
  | { type: 'apply'; name: string; sector: Sector; regions: string[]; contact: AgencyContact; requestedTier: Tier }
  | { type: 'admit'; agencyId: string }
  | { type: 'endorse'; agencyId: string }
  | { type: 'suspend' | 'reinstate'; agencyId: string; reason: string }
  | { type: 'table-motion'; agencyId: string; reasons: string[] }
  | { type: 'vote'; agencyId: string; motionId: string; vote: 'for' | 'against' }
  | { type: 'close-motion'; agencyId: string; motionId: string };

export interface AgencyResult {
  /** The motion for motion steps, else the agency. */
  id: string;
  agencyId: string;
  version: number;
  motionId?: string;
}

export class ChangeAgency extends Command<AgencyResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly change: AgencyChange,
  ) {
    super();
  }
}

/** The role the caller acts in for a governance step. */
function roleFor(principal: Principal, change: AgencyChange): string | undefined {
  const networkSteps = ['admit', 'suspend', 'reinstate'];
  if (networkSteps.includes(change.type))
    return principal.roles.includes('network-admin') ? 'network-admin' : undefined;
  if (change.type === 'close-motion' && principal.roles.includes('network-admin')) return 'network-admin';
  if (change.type === 'apply') return principal.roles.includes('network-admin') ? 'network-admin' : 'agency-admin';
  return principal.roles.includes('agency-admin') ? 'agency-admin' : undefined;
}

/**
 * Governance commands: looks up the facts the pure decider needs (other agencies' standing,
 * the electorate) and runs the decision through the repository.
 */
@CommandHandler(ChangeAgency)
export class ChangeAgencyHandler implements ICommandHandler<ChangeAgency> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly lookup: AgencyLookup,
    private readonly queries: AgencyQueries,
    @Inject(HarbourConfig) private readonly config: HarbourConfig,
  ) {}

  async execute({ meta, change }: ChangeAgency): Promise<AgencyResult> {
    const agencyId = change.type === 'apply' ? newId() : change.agencyId;
    const role = roleFor(meta.principal, change);
    const own = () => this.standing(meta.principal.agencyId);
    let motionId: string | undefined;
    let command: AgencyCommand;
    switch (change.type) {
      case 'apply': {
        const { type: _, ...application } = change;
        command = { type: 'ApplyForMembership', agencyId, ...application };
        break;
      }
      case 'admit':
        command = { type: 'AdmitByNetworkAdmin', activeCoreAgencies: (await this.queries.activeCoreIds()).length };
        break;
      case 'endorse':
        command = { type: 'EndorseApplication', endorser: await own() };
        break;
      case 'suspend':
        command = { type: 'SuspendAgency', reason: change.reason };
        break;
      case 'reinstate':
        command = { type: 'ReinstateAgency', reason: change.reason };
        break;
      case 'table-motion':
        motionId = newId();
        command = {
          type: 'TableRemovalMotion',
          motionId,
          tabler: await own(),
          reasons: change.reasons,
          eligibleVoters: await this.queries.activeCoreIds(),
          noticePeriodHours: this.config.HARBOUR_MOTION_NOTICE_HOURS,
          votingPeriodHours: this.config.HARBOUR_MOTION_VOTING_HOURS,
        };
        break;
      case 'vote':
        motionId = change.motionId;
        command = { type: 'CastRemovalVote', motionId, voter: await own(), vote: change.vote };
        break;
      case 'close-motion':
        motionId = change.motionId;
        command = { type: 'CloseRemovalMotion', motionId, closer: role === 'network-admin' ? undefined : await own() };
        break;
    }
    return this.repository.execute({
      streamId: agencyStream(agencyId),
      decider: agencyDecider,
      command,
      ...executionOptions(meta, role, change),
      result: ({ version }) => ({ id: motionId ?? agencyId, agencyId, version, ...(motionId ? { motionId } : {}) }),
    });
  }

  private async standing(agencyId: string): Promise<PeerStanding> {
    const state = await this.lookup.existing(agencyId);
    return { agencyId, status: state.status, tier: state.tier ?? state.requestedTier };
  }
}
