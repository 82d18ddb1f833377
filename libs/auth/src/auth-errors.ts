import { DomainError } from '@harbour/kernel';

/**
 * Every refusal the auth layer makes, with a stable code. Messages are fixed texts: they never
 * quote the token, a claim value or which check failed beyond what the code already says.
 */
const UNAUTHENTICATED = {
  'token-missing': 'A bearer token is required (Authorization: Bearer <token>)',
  'token-malformed': 'The bearer token is not a well-formed JWT',
  'token-expired': 'The bearer token has expired',
  // One code for bad signature, disallowed algorithm, unknown key, wrong issuer or audience:
  // telling them apart would help someone forging tokens, not a legitimate client.
  'token-invalid': 'The bearer token was not accepted',
  'claims-missing': 'The bearer token lacks the claims Harbour needs (sub, agency_id; roles must be a list of strings)',
} as const;

const FORBIDDEN = {
  'not-a-staff-member': 'You are not a staff member of any agency in this network',
  'staff-deactivated': 'Your staff account has been deactivated',
  'agency-mismatch': 'The token names a different agency than your staff record',
  'agency-removed': 'Your agency has been removed from the network',
  'missing-role': 'None of your roles allows this action',
  'no-case-access': 'Your agency has no access to survivor records (it must be an active core member)',
  'analyst-reports-only': 'Analysts reach aggregate reports only',
} as const;

const UNAVAILABLE = {
  'access-check-unavailable': 'Your access could not be checked right now; try again shortly',
  'token-keys-unavailable': "The identity provider's signing keys could not be fetched; try again shortly",
} as const;

export type UnauthenticatedCode = keyof typeof UNAUTHENTICATED;
export type ForbiddenCode = keyof typeof FORBIDDEN;
export type UnavailableCode = keyof typeof UNAVAILABLE;

export const unauthenticated = (code: UnauthenticatedCode) => new DomainError('unauthenticated', code, UNAUTHENTICATED[code]);
export const forbidden = (code: ForbiddenCode) => new DomainError('forbidden', code, FORBIDDEN[code]);
export const unavailable = (code: UnavailableCode) => new DomainError('unavailable', code, UNAVAILABLE[code]);
