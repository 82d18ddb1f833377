import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '@harbour/event-store';
import { newId } from '@harbour/kernel';
import { executionOptions, type RequestMeta } from '@harbour/auth';
import { AgencyLookup } from '../agencies/agency-lookup.js';
import { staffStream } from '../streams.js';
import type { Role } from '../taxonomy.js';
import { staffDecider, type StaffCommand } from './staff.decider.js';

export interface StaffResult {
  id: string;
  userId: string;
  version: number;
}

export type StaffChange =
  | { type: 'add'; agencyId: string; userId?: string; displayName: string; email: string; roles: Role[] }
  | { type: 'roles'; userId: string; roles: Role[] }
  | { type: 'deactivate'; userId: string; reason: string }
  | { type: 'reactivate'; userId: string };

export class ChangeStaff extends Command<StaffResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly change: StaffChange,
  ) {
    super();
  }
}

/** The role a manager acts in: network admin outranks agency admin. */
export const managerRole = (roles: string[]) => (roles.includes('network-admin') ? 'network-admin' : roles.includes('agency-admin') ? 'agency-admin' : undefined);

@CommandHandler(ChangeStaff)
export class ChangeStaffHandler implements ICommandHandler<ChangeStaff> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly agencies: AgencyLookup,
  ) {}

  async execute({ meta, change }: ChangeStaff): Promise<StaffResult> {
    let userId: string;
    let command: StaffCommand;
    switch (change.type) {
      case 'add': {
        userId = change.userId ?? newId();
        const agency = await this.agencies.existing(change.agencyId);
        command = { type: 'AddStaffMember', userId, agencyId: change.agencyId, displayName: change.displayName, email: change.email, roles: change.roles, agencyStatus: agency.status };
        break;
      }
      case 'roles':
        userId = change.userId;
        command = { type: 'ChangeStaffRoles', roles: change.roles };
        break;
      case 'deactivate':
        userId = change.userId;
        command = { type: 'DeactivateStaffMember', reason: change.reason };
        break;
      case 'reactivate':
        userId = change.userId;
        command = { type: 'ReactivateStaffMember' };
        break;
    }
    return this.repository.execute({
      streamId: staffStream(userId),
      decider: staffDecider,
      command,
      ...executionOptions(meta, managerRole(meta.principal.roles), change),
      result: ({ version }) => ({ id: userId, userId, version }),
    });
  }
}
