import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the notifications lib's DomainErrors; clients switch on these, so never rename one. */
export const NotificationErrors = {
  notAWorker: {
    code: 'not-a-worker',
    kind: 'forbidden',
    message: 'Only caseworkers and supervisors set or clear do-not-contact',
  },
  notOnCareTeam: {
    code: 'not-on-care-team',
    kind: 'forbidden',
    message: "Only a worker on the survivor's care team sets, clears or reads do-not-contact",
  },
  intakeNotFound: { code: 'intake-not-found', kind: 'not-found', message: 'Intake was not found' },
  notificationNotFound: {
    code: 'notification-not-found',
    kind: 'not-found',
    message: 'Notification was not found',
  },
  invalidDoNotContact: {
    code: 'invalid-do-not-contact',
    kind: 'invalid',
    message: 'The do-not-contact request has invalid fields',
  },
  doNotContactAlreadySet: {
    code: 'do-not-contact-already-set',
    kind: 'conflict',
    message: 'Do-not-contact is already set for this survivor',
  },
  doNotContactNotSet: {
    code: 'do-not-contact-not-set',
    kind: 'conflict',
    message: 'Do-not-contact is not set for this survivor',
  },
} as const satisfies ErrorCatalogue;
