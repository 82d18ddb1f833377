import type { ErrorCatalogue } from '@harbour/kernel';

/**
 * Every refusal the auth layer makes, with a stable code. Messages are fixed texts: they never
 * quote the token, a claim value or which check failed beyond what the code already says.
 */
export const AuthErrors = {
  // unauthenticated
  tokenMissing: {
    code: 'token-missing',
    kind: 'unauthenticated',
    message: 'A bearer token is required (Authorization: Bearer <token>)',
  },
  tokenMalformed: {
    code: 'token-malformed',
    kind: 'unauthenticated',
    message: 'The bearer token is not a well-formed JWT',
  },
  tokenExpired: { code: 'token-expired', kind: 'unauthenticated', message: 'The bearer token has expired' },
  // One code for bad signature, disallowed algorithm, unknown key, wrong issuer or audience:
  // telling them apart would help someone forging tokens, not a legitimate client.
  tokenInvalid: { code: 'token-invalid', kind: 'unauthenticated', message: 'The bearer token was not accepted' },
  claimsMissing: {
    code: 'claims-missing',
    kind: 'unauthenticated',
    message: 'The bearer token lacks the claims Harbour needs (sub, agency_id; roles must be a list of strings)',
  },
  sessionEnded: {
    code: 'session-ended',
    kind: 'unauthenticated',
    message: 'Your console session has ended (signed out, idle too long or expired): sign in again',
  },
  // forbidden
  csrfTokenInvalid: {
    code: 'csrf-token-invalid',
    kind: 'forbidden',
    message: 'A change made with the console session needs its X-CSRF-Token and a same-origin request',
  },
  notAStaffMember: {
    code: 'not-a-staff-member',
    kind: 'forbidden',
    message: 'You are not a staff member of any agency in this network',
  },
  staffDeactivated: {
    code: 'staff-deactivated',
    kind: 'forbidden',
    message: 'Your staff account has been deactivated',
  },
  agencyMismatch: {
    code: 'agency-mismatch',
    kind: 'forbidden',
    message: 'The token names a different agency than your staff record',
  },
  agencyRemoved: {
    code: 'agency-removed',
    kind: 'forbidden',
    message: 'Your agency has been removed from the network',
  },
  missingRole: { code: 'missing-role', kind: 'forbidden', message: 'None of your roles allows this action' },
  noCaseAccess: {
    code: 'no-case-access',
    kind: 'forbidden',
    message: 'Your agency has no access to survivor records (it must be an active core member)',
  },
  analystReportsOnly: {
    code: 'analyst-reports-only',
    kind: 'forbidden',
    message: 'Analysts reach aggregate reports only',
  },
  // not found: the one answer to a caller with no relation to a record, whether or not it exists
  intakeNotFound: { code: 'intake-not-found', kind: 'not-found', message: 'Intake was not found' },
  referralNotFound: { code: 'referral-not-found', kind: 'not-found', message: 'Referral was not found' },
  // unavailable
  accessCheckUnavailable: {
    code: 'access-check-unavailable',
    kind: 'unavailable',
    message: 'Your access could not be checked right now; try again shortly',
  },
  tokenKeysUnavailable: {
    code: 'token-keys-unavailable',
    kind: 'unavailable',
    message: "The identity provider's signing keys could not be fetched; try again shortly",
  },
} as const satisfies ErrorCatalogue;
