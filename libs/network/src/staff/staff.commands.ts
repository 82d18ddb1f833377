import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '@harbour/event-store';
import { newId } from '@harbour/kernel';
import { executionOptions, type RequestMeta, StaffDirectory } from '@harbour/auth';
import { AgencyLookup } from '../agencies/agency-lookup.js';
import { staffStream } from '../streams.js';
import type { Role } from '../taxonomy.js';
import { staffDecider, type StaffCommand } from './staff.decider.js';
import { StaffQueries } from './staff.queries.js';

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

/**
 * The role a manager is recorded as acting in: their agency's admin when adding to their own
 * agency (that is the act that may grant case roles), otherwise network admin before agency admin.
 */
export const managerRole = (roles: string[], ownAgency?: boolean) =>
  ownAgency && roles.includes('agency-admin')
    ? 'agency-admin'
    : roles.includes('network-admin')
      ? 'network-admin'
      : roles.includes('agency-admin')
        ? 'agency-admin'
        : undefined;

@CommandHandler(ChangeStaff)
export class ChangeStaffHandler implements ICommandHandler<ChangeStaff> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly agencies: AgencyLookup,
    private readonly staff: StaffDirectory,
    private readonly queries: StaffQueries,
  ) {}

  /** Does the agency have an active admin other than this person? (The staff list: it may trail the log by a moment.) */
  private async hasAdmin(agencyId: string, userId: string): Promise<boolean> {
    return (await this.queries.ofAgency(agencyId)).some(
      (s) => s.active && s.userId !== userId && s.roles.includes('agency-admin'),
    );
  }

  async execute({ meta, change }: ChangeStaff): Promise<StaffResult> {
    let userId: string;
    let command: StaffCommand;
    // The decider weighs every manager role the caller holds (a network admin may also be their own agency's admin).
    const managerRoles = meta.principal.roles.filter((r) => r === 'network-admin' || r === 'agency-admin');
    switch (change.type) {
      case 'add': {
        userId = change.userId ?? newId();
        const agency = await this.agencies.existing(change.agencyId);
        const agencyHasAdmin = change.roles.includes('agency-admin')
          ? await this.hasAdmin(change.agencyId, userId)
          : false;
        command = {
          type: 'AddStaffMember',
          userId,
          agencyId: change.agencyId,
          displayName: change.displayName,
          email: change.email,
          roles: change.roles,
          agencyStatus: agency.status,
          managerRoles,
          agencyHasAdmin,
        };
        break;
      }
      case 'roles': {
        userId = change.userId;
        const standing = change.roles.includes('agency-admin') ? await this.staff.standing(userId) : null;
        const agencyHasAdmin = standing ? await this.hasAdmin(standing.agencyId, userId) : false;
        command = { type: 'ChangeStaffRoles', roles: change.roles, managerRoles, agencyHasAdmin };
        break;
      }
      case 'deactivate':
        userId = change.userId;
        command = { type: 'DeactivateStaffMember', reason: change.reason, managerRoles };
        break;
      case 'reactivate':
        userId = change.userId;
        command = { type: 'ReactivateStaffMember', managerRoles };
        break;
    }
    return this.repository.execute({
      streamId: staffStream(userId),
      decider: staffDecider,
      command,
      ...executionOptions(
        meta,
        managerRole(
          meta.principal.roles,
          change.type === 'add' ? change.agencyId === meta.principal.agencyId : undefined,
        ),
        change,
      ),
      result: ({ version }) => ({ id: userId, userId, version }),
    });
  }
}
