import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the audit lib's DomainErrors; clients switch on these, so never rename one. */
export const AuditErrors = {
  // recording access
  accessNotRecorded: {
    code: 'access-not-recorded',
    kind: 'unavailable',
    message: 'The access could not be recorded, so the data is not shown; try again later',
  },
  // the access log
  notAPrivacyOfficer: {
    code: 'not-a-privacy-officer',
    kind: 'forbidden',
    message: 'Only privacy officers read the access log',
  },
  intakeNotFound: { code: 'intake-not-found', kind: 'not-found', message: 'Intake was not found' },
  notOnCareTeam: {
    code: 'not-on-care-team',
    kind: 'forbidden',
    message: "Only the survivor's care team or a privacy officer reads this",
  },
  // break-glass
  notASupervisor: { code: 'not-a-supervisor', kind: 'forbidden', message: 'Only a supervisor opens emergency access' },
  breakGlassExists: { code: 'break-glass-exists', kind: 'conflict', message: 'This emergency access already exists' },
  breakGlassAlreadyOpen: {
    code: 'break-glass-already-open',
    kind: 'conflict',
    message: 'You already have emergency access to this record open',
  },
  breakGlassNotFound: { code: 'break-glass-not-found', kind: 'not-found', message: 'Emergency access was not found' },
  breakGlassEnded: { code: 'break-glass-ended', kind: 'conflict', message: 'This emergency access has already ended' },
  notTheOpener: {
    code: 'not-the-opener',
    kind: 'forbidden',
    message: 'Only the supervisor who opened it closes it early',
  },
  breakGlassNotExpired: {
    code: 'break-glass-not-expired',
    kind: 'conflict',
    message: 'This emergency access has not expired yet',
  },
  ownBreakGlass: { code: 'own-break-glass', kind: 'forbidden', message: 'Nobody reviews their own emergency access' },
  breakGlassStillOpen: { code: 'break-glass-still-open', kind: 'conflict', message: 'Review it once it has ended' },
  breakGlassReviewed: {
    code: 'break-glass-reviewed',
    kind: 'conflict',
    message: 'This emergency access has already been reviewed',
  },
  // flags
  flagNotFound: { code: 'flag-not-found', kind: 'not-found', message: 'Flag was not found' },
  ownFlag: { code: 'own-flag', kind: 'forbidden', message: 'Nobody resolves a flag raised about themselves' },
  flagResolved: { code: 'flag-resolved', kind: 'conflict', message: 'This flag has already been resolved' },
} as const satisfies ErrorCatalogue;
