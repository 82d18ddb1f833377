import type { Decider } from '@harbour/event-store';
import { DomainError, type ErrorSpec } from '@harbour/kernel';
import type { AgencyStatus, Role } from '../taxonomy.js';
import { NetworkErrors as E } from '../errors.js';

/** Staff members (stream `staff-<userId>`): who works where, in which roles, and whether they may sign in. */
export type StaffEvent =
  | { type: 'StaffMemberAdded'; data: { userId: string; agencyId: string; displayName: string; email: string; roles: Role[] } }
  | { type: 'StaffRolesChanged'; data: { roles: Role[] } }
  | { type: 'StaffMemberDeactivated'; data: { reason: string } }
  | { type: 'StaffMemberReactivated'; data: Record<string, never> };

export type StaffCommand =
  | { type: 'AddStaffMember'; userId: string; agencyId: string; displayName: string; email: string; roles: Role[]; agencyStatus: AgencyStatus }
  | { type: 'ChangeStaffRoles'; roles: Role[] }
  | { type: 'DeactivateStaffMember'; reason: string }
  | { type: 'ReactivateStaffMember' };

export type StaffState =
  | { status: 'none' }
  | { status: 'active' | 'deactivated'; userId: string; agencyId: string; displayName: string; email: string; roles: Role[] };

const refuse = (spec: ErrorSpec) => DomainError.of(spec);

/** Agency admins manage their own agency's staff; network admins may manage anyone's. Only a network admin grants network-admin. */
function requireManager(actor: { agencyId: string | null; role: string | null }, agencyId: string, roles: Role[]): void {
  const networkAdmin = actor.role === 'network-admin';
  if (!networkAdmin && !(actor.role === 'agency-admin' && actor.agencyId === agencyId)) {
    throw refuse(E.notStaffManager);
  }
  if (roles.some((r) => NETWORK_ROLES.includes(r)) && !networkAdmin) throw refuse(E.networkAdminOnly);
}

/** Roles that reach beyond the holder's own agency: only a network admin grants or removes them. */
const NETWORK_ROLES: readonly Role[] = ['network-admin', 'network-privacy-officer'];
const networkRolesOf = (...lists: Role[][]): Role[] => lists.flat().filter((r) => NETWORK_ROLES.includes(r));

export const staffDecider: Decider<StaffState, StaffCommand, StaffEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, { actor }) {
    if (command.type === 'AddStaffMember') {
      if (state.status !== 'none') throw refuse(E.staffExists);
      requireManager(actor, command.agencyId, command.roles);
      if (command.agencyStatus === 'removed') throw refuse(E.agencyRemoved);
      const { userId, agencyId, displayName, email, roles } = command;
      return [{ type: 'StaffMemberAdded', data: { userId, agencyId, displayName, email, roles } }];
    }
    if (state.status === 'none') throw refuse(E.staffNotFound);
    switch (command.type) {
      case 'ChangeStaffRoles':
        requireManager(actor, state.agencyId, networkRolesOf(command.roles, state.roles));
        return [{ type: 'StaffRolesChanged', data: { roles: command.roles } }];
      case 'DeactivateStaffMember':
        requireManager(actor, state.agencyId, []);
        if (state.status === 'deactivated') throw refuse(E.staffAlreadyDeactivated);
        if (actor.userId === state.userId) throw refuse(E.cannotDeactivateSelf);
        return [{ type: 'StaffMemberDeactivated', data: { reason: command.reason } }];
      case 'ReactivateStaffMember':
        requireManager(actor, state.agencyId, []);
        if (state.status === 'active') throw refuse(E.staffAlreadyActive);
        return [{ type: 'StaffMemberReactivated', data: {} }];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${(unknown as { type: string }).type}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'StaffMemberAdded':
        return { status: 'active', ...event.data };
      case 'StaffRolesChanged':
        return state.status === 'none' ? state : { ...state, roles: event.data.roles };
      case 'StaffMemberDeactivated':
        return state.status === 'none' ? state : { ...state, status: 'deactivated' };
      case 'StaffMemberReactivated':
        return state.status === 'none' ? state : { ...state, status: 'active' };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};

