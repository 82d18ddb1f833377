import type { ErrorCatalogue } from '@harbour/kernel';

/**
 * Stable codes of the console's own routes (sign-in, session). Refusals of the API itself when
 * called with the session (session-ended, csrf-token-invalid) are the auth layer's (AuthErrors).
 */
export const ConsoleErrors = {
  devSignInOff: {
    code: 'dev-sign-in-off',
    kind: 'not-found',
    message: 'The development sign-in is only available with HARBOUR_DEV_KEYS (local development)',
  },
  oidcSignInOff: {
    code: 'oidc-sign-in-off',
    kind: 'not-found',
    message: 'No identity provider is configured for the console (HARBOUR_CONSOLE_CLIENT_ID)',
  },
  notAStaffMember: {
    code: 'not-a-staff-member',
    kind: 'forbidden',
    message: 'Only active staff of an agency in this network can sign in',
  },
  signInFailed: {
    code: 'sign-in-failed',
    kind: 'unauthenticated',
    message: 'The sign-in with the identity provider did not complete: start again from the console',
  },
  providerUnavailable: {
    code: 'identity-provider-unavailable',
    kind: 'unavailable',
    message: 'The identity provider could not be reached; try again shortly',
  },
} as const satisfies ErrorCatalogue;
