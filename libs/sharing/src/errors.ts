import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the sharing lib's DomainErrors; clients switch on these, so never rename one. */
export const SharingErrors = {
  notAWorker: {
    code: 'not-a-worker',
    kind: 'forbidden',
    message: 'Only caseworkers and supervisors handle share codes',
  },
  notOnCareTeam: {
    code: 'not-on-care-team',
    kind: 'forbidden',
    message: "Only a worker on the survivor's care team issues or revokes their share codes",
  },
  intakeNotFound: { code: 'intake-not-found', kind: 'not-found', message: 'Intake was not found' },
  recordErased: { code: 'record-erased', kind: 'gone', message: 'This record was erased at the survivor’s request' },
  accessDenied: { code: 'access-denied', kind: 'forbidden', message: "This survivor's share codes may not be listed" },
  invalidShareCode: { code: 'invalid-share-code', kind: 'invalid', message: 'The share code has invalid fields' },
  shareCodeExists: { code: 'share-code-exists', kind: 'conflict', message: 'This share code already exists' },
  shareCodeNotFound: { code: 'share-code-not-found', kind: 'not-found', message: 'Share code was not found' },
  shareCodeNotRevocable: {
    code: 'share-code-not-revocable',
    kind: 'conflict',
    message: 'This share code was already used or revoked',
  },
  /** One answer for an unknown, expired, revoked or used code: the answer is no oracle. */
  shareCodeNotValid: {
    code: 'share-code-not-valid',
    kind: 'invalid',
    message: 'This share code cannot be used: check it with the survivor, or ask their care team for a new one',
  },
  shareCodeExcluded: {
    code: 'share-code-excluded',
    kind: 'forbidden',
    message: 'The survivor has excluded you, your agency or its sector: a share code cannot open the record to it',
  },
  alreadyOnCareTeam: {
    code: 'already-on-care-team',
    kind: 'conflict',
    message: 'Your agency already works with this survivor; the share code was not used',
  },
  attemptsLocked: {
    code: 'share-code-attempts-locked',
    kind: 'rate-limited',
    message: 'Too many share codes that could not be used; try again after the seconds in Retry-After',
  },
} as const satisfies ErrorCatalogue;
