import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '@harbour/event-store';
import { newId } from '@harbour/kernel';
import { executionOptions, type RequestMeta } from '@harbour/auth';
import { AgencyLookup } from '../agencies/agency-lookup.js';
import { serviceStream } from '../streams.js';
import type { ServiceDetails } from './service-details.js';
import { serviceDecider, type ServiceCommand } from './service.decider.js';

export interface ServiceResult {
  id: string;
  serviceId: string;
  version: number;
}

/** List, update or withdraw a service of the caller's agency. */
export class ChangeService extends Command<ServiceResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly change:
      | { type: 'list'; details: ServiceDetails; agencyId?: string }
      | { type: 'update'; serviceId: string; details: ServiceDetails }
      | { type: 'withdraw'; serviceId: string },
  ) {
    super();
  }
}

@CommandHandler(ChangeService)
export class ChangeServiceHandler implements ICommandHandler<ChangeService> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly agencies: AgencyLookup,
  ) {}

  async execute({ meta, change }: ChangeService): Promise<ServiceResult> {
    const role = meta.principal.roles.includes('agency-admin')
      ? 'agency-admin'
      : meta.principal.roles.includes('network-admin')
        ? 'network-admin'
        : undefined;
    let serviceId: string;
    let command: ServiceCommand;
    if (change.type === 'list') {
      serviceId = newId();
      const agencyId = change.agencyId ?? meta.principal.agencyId;
      const agency = await this.agencies.existing(agencyId);
      command = { type: 'ListService', serviceId, agencyId, agencyStatus: agency.status, details: change.details };
    } else {
      serviceId = change.serviceId;
      command =
        change.type === 'update' ? { type: 'UpdateService', details: change.details } : { type: 'WithdrawService' };
    }
    return this.repository.execute({
      streamId: serviceStream(serviceId),
      decider: serviceDecider,
      command,
      ...executionOptions(meta, role, change),
      result: ({ version }) => ({ id: serviceId, serviceId, version }),
    });
  }
}
