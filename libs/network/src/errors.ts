import type { ErrorCatalogue } from '@harbour/kernel';
import { AgencyErrors } from './agencies/agency.errors.js';

/** Stable codes of the network lib's DomainErrors (agencies, staff, directory); clients switch on these, so never rename one. */
export const NetworkErrors = {
  ...AgencyErrors,
  // bootstrap
  alreadyBootstrapped: {
    code: 'already-bootstrapped',
    kind: 'conflict',
    message: 'This network was already bootstrapped; add agencies and staff through the API',
  },
  // staff
  notStaffManager: {
    code: 'not-staff-manager',
    kind: 'forbidden',
    message: "Only the agency's own admins (or a network admin) manage its staff",
  },
  networkAdminOnly: {
    code: 'network-admin-only',
    kind: 'forbidden',
    message: 'Only a network admin can grant network-wide roles',
  },
  agencyAdminOnly: {
    code: 'agency-admin-only',
    kind: 'forbidden',
    message: "Only the agency's own admins grant case roles (caseworker, supervisor, privacy officer)",
  },
  notYourAgency: {
    code: 'not-your-agency',
    kind: 'forbidden',
    message: "An agency's privacy officer sees their own agency's grants only",
  },
  agencyHasAdmin: {
    code: 'agency-has-admin',
    kind: 'forbidden',
    message: 'This agency already has an admin: its own admins appoint further admins',
  },
  staffExists: { code: 'staff-exists', kind: 'conflict', message: 'This staff member already exists' },
  staffNotFound: { code: 'staff-not-found', kind: 'not-found', message: 'Staff member not found' },
  staffAlreadyDeactivated: {
    code: 'staff-already-deactivated',
    kind: 'conflict',
    message: 'This staff member is already deactivated',
  },
  cannotDeactivateSelf: { code: 'cannot-deactivate-self', kind: 'conflict', message: 'You cannot deactivate yourself' },
  staffAlreadyActive: {
    code: 'staff-already-active',
    kind: 'conflict',
    message: 'This staff member is already active',
  },
  // service directory
  notServiceOwner: {
    code: 'not-service-owner',
    kind: 'forbidden',
    message: "Only the agency's own admins list and change its services",
  },
  ageRangeInverted: {
    code: 'age-range-inverted',
    kind: 'invalid',
    message: 'The minimum age is above the maximum age',
  },
  hoursInverted: { code: 'hours-inverted', kind: 'invalid', message: 'Opening hours close before they open' },
  serviceExists: { code: 'service-exists', kind: 'conflict', message: 'This service already exists' },
  serviceNotFound: { code: 'service-not-found', kind: 'not-found', message: 'Service not found' },
  serviceWithdrawn: { code: 'service-withdrawn', kind: 'conflict', message: 'This service was withdrawn' },
  hsdsInvalid: { code: 'hsds-invalid', kind: 'invalid', message: 'The document is not valid HSDS 3.0' },
} as const satisfies ErrorCatalogue;
