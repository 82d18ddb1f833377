import { Injectable } from '@nestjs/common';
import { CurrentState } from '@harbour/event-store';
import { NotFound } from '@harbour/kernel';
import { agencyStream } from '../streams.js';
import { agencyDecider, type AgencyState } from './agency.decider.js';
import { NetworkErrors } from '../errors.js';

/** Current (never stale) facts about agencies that commands of other aggregates depend on. */
@Injectable()
export class AgencyLookup {
  constructor(private readonly current: CurrentState) {}

  async of(agencyId: string, known?: Map<string, number>): Promise<AgencyState> {
    return (await this.current.load(agencyStream(agencyId), agencyDecider, known)).state;
  }

  async existing(agencyId: string): Promise<AgencyState & { status: Exclude<AgencyState['status'], 'none'> }> {
    const state = await this.of(agencyId);
    if (state.status === 'none') throw new NotFound('Agency', NetworkErrors.agencyNotFound);
    return state;
  }
}
