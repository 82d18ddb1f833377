import { given, type DecisionContext } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import type { Role } from '../taxonomy.js';
import { type StaffCommand, staffDecider, type StaffEvent } from './staff.decider.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');
const [A, B] = ['agency-a', 'agency-b'];
const ctx = (actor: Actor): DecisionContext => ({ now: NOW, actor });
const agencyAdmin: Actor = { userId: 'admin-a', agencyId: A, role: 'agency-admin' };
const networkAdmin: Actor = { userId: 'net-admin', agencyId: B, role: 'network-admin' };
const add = (roles: Role[], managerRoles: string[]): StaffCommand => ({
  type: 'AddStaffMember',
  userId: 'sam',
  agencyId: A,
  displayName: 'Sam',
  email: 'sam@example.org',
  roles,
  agencyStatus: 'active',
  managerRoles,
});
const added = (roles: Role[]): StaffEvent => ({
  type: 'StaffMemberAdded',
  data: { userId: 'sam', agencyId: A, displayName: 'Sam', email: 'sam@example.org', roles },
});

describe('staff: governance never reaches survivor data by itself', () => {
  it('a network admin adds an agency admin (governance roles), never a case role', () => {
    given(staffDecider)
      .when(add(['agency-admin'], ['network-admin']), ctx(networkAdmin))
      .then([added(['agency-admin'])]);
    for (const role of ['caseworker', 'supervisor', 'privacy-officer'] as const) {
      given(staffDecider)
        .when(add(['agency-admin', role], ['network-admin']), ctx(networkAdmin))
        .thenThrows('agency-admin-only', 'forbidden');
    }
  });

  it("the agency's own admin grants case roles; another agency's admin manages nothing", () => {
    given(staffDecider)
      .when(add(['caseworker', 'supervisor'], ['agency-admin']), ctx(agencyAdmin))
      .then([added(['caseworker', 'supervisor'])]);
    given(staffDecider)
      .when(add(['caseworker'], ['agency-admin']), ctx({ ...agencyAdmin, agencyId: B }))
      .thenThrows('not-staff-manager');
  });

  it("a network admin who is also an agency's admin grants case roles there, as its admin, and only there", () => {
    const both = { userId: 'net-admin', agencyId: A, role: 'network-admin' };
    given(staffDecider)
      .when(add(['caseworker'], ['network-admin', 'agency-admin']), ctx(both))
      .then([added(['caseworker'])]);
    given(staffDecider)
      .when(add(['caseworker'], ['network-admin', 'agency-admin']), ctx({ ...both, agencyId: B }))
      .thenThrows('agency-admin-only');
  });

  it('a role change by a network admin may take case roles away but not add one; deactivation and reactivation stay theirs', () => {
    const history = [added(['caseworker'])];
    given(staffDecider, history)
      .when(
        { type: 'ChangeStaffRoles', roles: ['caseworker', 'supervisor'], managerRoles: ['network-admin'] },
        ctx(networkAdmin),
      )
      .thenThrows('agency-admin-only');
    given(staffDecider, history)
      .when({ type: 'ChangeStaffRoles', roles: ['analyst'], managerRoles: ['network-admin'] }, ctx(networkAdmin))
      .then([{ type: 'StaffRolesChanged', data: { roles: ['analyst'] } }]);
    given(staffDecider, history)
      .when(
        { type: 'ChangeStaffRoles', roles: ['caseworker', 'supervisor'], managerRoles: ['agency-admin'] },
        ctx(agencyAdmin),
      )
      .then([{ type: 'StaffRolesChanged', data: { roles: ['caseworker', 'supervisor'] } }]);
    given(staffDecider, history)
      .when({ type: 'DeactivateStaffMember', reason: 'Left', managerRoles: ['network-admin'] }, ctx(networkAdmin))
      .then([{ type: 'StaffMemberDeactivated', data: { reason: 'Left' } }]);
  });

  it("a network admin appoints an agency's admin only while it has none", () => {
    given(staffDecider)
      .when({ ...add(['agency-admin'], ['network-admin']), agencyHasAdmin: true } as StaffCommand, ctx(networkAdmin))
      .thenThrows('agency-has-admin');
    given(staffDecider)
      .when({ ...add(['agency-admin'], ['agency-admin']), agencyHasAdmin: true } as StaffCommand, ctx(agencyAdmin))
      .then([added(['agency-admin'])]);
    given(staffDecider, [added(['caseworker'])])
      .when(
        {
          type: 'ChangeStaffRoles',
          roles: ['caseworker', 'agency-admin'],
          managerRoles: ['network-admin'],
          agencyHasAdmin: true,
        },
        ctx(networkAdmin),
      )
      .thenThrows('agency-has-admin');
  });

  it('only a network admin grants network-wide roles', () => {
    given(staffDecider)
      .when(add(['network-privacy-officer'], ['agency-admin']), ctx(agencyAdmin))
      .thenThrows('network-admin-only');
  });
});
