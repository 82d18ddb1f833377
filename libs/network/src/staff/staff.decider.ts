import type { Decider } from '@harbour/event-store';
import { DomainError, type ErrorSpec } from '@harbour/kernel';
import type { AgencyStatus, Role } from '../taxonomy.js';
import { NetworkErrors as E } from '../errors.js';

/** Staff members (stream `staff-<userId>`): who works where, in which roles, and whether they may sign in. */
export type StaffEvent =
  | {
      type: 'StaffMemberAdded';
      data: { userId: string; agencyId: string; displayName: string; email: string; roles: Role[] };
    }
  | { type: 'StaffRolesChanged'; data: { roles: Role[] } }
  | { type: 'StaffMemberDeactivated'; data: { reason: string } }
  | { type: 'StaffMemberReactivated'; data: Record<string, never> };

export type StaffCommand =
  /**
   * `managerRoles`: every manager role the caller holds now. `agencyHasAdmin`: whether the
   * agency has an active agency admin other than this staff member, as the caller read it now.
   */
  | {
      type: 'AddStaffMember';
      userId: string;
      agencyId: string;
      displayName: string;
      email: string;
      roles: Role[];
      agencyStatus: AgencyStatus;
      managerRoles: readonly string[];
      agencyHasAdmin?: boolean;
    }
  | { type: 'ChangeStaffRoles'; roles: Role[]; managerRoles: readonly string[]; agencyHasAdmin?: boolean }
  | { type: 'DeactivateStaffMember'; reason: string; managerRoles: readonly string[] }
  | { type: 'ReactivateStaffMember'; managerRoles: readonly string[] };

export type StaffState =
  | { status: 'none' }
  | {
      status: 'active' | 'deactivated';
      userId: string;
      agencyId: string;
      displayName: string;
      email: string;
      roles: Role[];
    };

const refuse = (spec: ErrorSpec) => DomainError.of(spec);

/**
 * Agency admins manage their own agency's staff; network admins may add, deactivate and reactivate
 * anyone's, grant `analyst`, and appoint an agency's admin while it has none (its first, or after
 * the last one left). Only a network admin grants network-wide roles. Case
 * roles (CASE_ROLES) reach survivor data, so only the agency's OWN admin grants them: a governance
 * role never reaches survivor data by itself. Taking a role away is never a grant.
 */
function requireManager(
  actor: { agencyId: string | null; role: string | null },
  managerRoles: readonly string[],
  agencyId: string,
  granted: Role[],
  agencyHasAdmin = false,
): void {
  const networkAdmin = managerRoles.includes('network-admin');
  const ownAdmin = managerRoles.includes('agency-admin') && actor.agencyId === agencyId;
  if (!networkAdmin && !ownAdmin) {
    throw refuse(E.notStaffManager);
  }
  if (granted.some((r) => NETWORK_ROLES.includes(r)) && !networkAdmin) throw refuse(E.networkAdminOnly);
  if (granted.some((r) => CASE_ROLES.includes(r)) && !ownAdmin) throw refuse(E.agencyAdminOnly);
  // A network admin appoints an agency's admin only while it has none: else that agency's own admins do.
  if (granted.includes('agency-admin') && !ownAdmin && agencyHasAdmin) {
    throw refuse(E.agencyHasAdmin);
  }
}

/** Roles that reach beyond the holder's own agency: only a network admin grants or removes them. */
const NETWORK_ROLES: readonly Role[] = ['network-admin', 'network-privacy-officer'];
const networkRolesOf = (...lists: Role[][]): Role[] => lists.flat().filter((r) => NETWORK_ROLES.includes(r));
/** Roles that reach survivor data or its access log within the agency: granted by the agency's own admin only. */
export const CASE_ROLES: readonly Role[] = ['caseworker', 'supervisor', 'privacy-officer'];
/** The case roles in `after` that `before` did not hold: what a change grants. */
export const caseRolesGranted = (before: readonly Role[], after: readonly Role[]): Role[] =>
  after.filter((r) => CASE_ROLES.includes(r) && !before.includes(r));
/** Every role in `after` that `before` did not hold. */
const rolesGranted = (before: readonly Role[], after: readonly Role[]): Role[] =>
  after.filter((r) => !before.includes(r));

export const staffDecider: Decider<StaffState, StaffCommand, StaffEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, { actor }) {
    if (command.type === 'AddStaffMember') {
      if (state.status !== 'none') throw refuse(E.staffExists);
      requireManager(actor, command.managerRoles, command.agencyId, command.roles, command.agencyHasAdmin);
      if (command.agencyStatus === 'removed') throw refuse(E.agencyRemoved);
      const { userId, agencyId, displayName, email, roles } = command;
      return [{ type: 'StaffMemberAdded', data: { userId, agencyId, displayName, email, roles } }];
    }
    if (state.status === 'none') throw refuse(E.staffNotFound);
    switch (command.type) {
      case 'ChangeStaffRoles':
        requireManager(
          actor,
          command.managerRoles,
          state.agencyId,
          [...networkRolesOf(command.roles, state.roles), ...rolesGranted(state.roles, command.roles)],
          command.agencyHasAdmin,
        );
        return [{ type: 'StaffRolesChanged', data: { roles: command.roles } }];
      case 'DeactivateStaffMember':
        requireManager(actor, command.managerRoles, state.agencyId, []);
        if (state.status === 'deactivated') throw refuse(E.staffAlreadyDeactivated);
        if (actor.userId === state.userId) throw refuse(E.cannotDeactivateSelf);
        return [{ type: 'StaffMemberDeactivated', data: { reason: command.reason } }];
      case 'ReactivateStaffMember':
        requireManager(actor, command.managerRoles, state.agencyId, []);
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
