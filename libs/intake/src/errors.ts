import { AuditErrors } from '@harbour/audit';
import type { ErrorCatalogue, ErrorSpec } from '@harbour/kernel';
import { PrivacyErrors } from '@harbour/privacy';

/** Stable codes of the intake lib's DomainErrors (the record, the care team, anonymous notices); never rename one. */
export const IntakeErrors = {
  notAWorker: { code: 'not-a-worker', kind: 'forbidden', message: 'Only caseworkers and supervisors work on intakes' },
  intakeExists: { code: 'intake-exists', kind: 'conflict', message: 'This intake already exists' },
  intakeNotFound: { code: 'intake-not-found', kind: 'not-found', message: 'Intake was not found' },
  notOnCareTeam: {
    code: 'not-on-care-team',
    kind: 'forbidden',
    message: "Only the survivor's care team changes the intake",
  },
  nothingChanged: { code: 'nothing-changed', kind: 'conflict', message: 'The section already holds exactly this' },
  notASupervisor: { code: 'not-a-supervisor', kind: 'forbidden', message: 'Only supervisors assign the care team' },
  notOwnStaff: { code: 'not-own-staff', kind: 'forbidden', message: 'Supervisors assign staff of their own agency' },
  staffDeactivated: { code: 'staff-deactivated', kind: 'conflict', message: 'This staff member is deactivated' },
  alreadyOnCareTeam: { code: 'already-on-care-team', kind: 'conflict', message: 'Already on the care team' },
  staffNotFound: { code: 'staff-not-found', kind: 'not-found', message: 'Staff member not found' },
  accessDenied: {
    code: 'access-denied',
    kind: 'forbidden',
    message: 'No section of this record may be read for this purpose',
  },
  intakeLinked: {
    code: 'intake-linked',
    kind: 'conflict',
    message:
      'This intake was closed as a second record of a survivor who brought their existing one: work in that record, or unlink',
  },
  intakeNotLinked: {
    code: 'intake-not-linked',
    kind: 'conflict',
    message: 'This intake is not linked to another record',
  },
  linkToItself: { code: 'link-to-itself', kind: 'invalid', message: 'An intake cannot be linked to itself' },
  linkNeedsShareCode: {
    code: 'link-needs-share-code',
    kind: 'conflict',
    message: 'Only a record the survivor opened to your agency with a share code can be linked',
  },
  linkTargetLinked: {
    code: 'link-target-linked',
    kind: 'conflict',
    message: 'That record is itself closed as a duplicate: link to the record it points to',
  },
  noticeExists: { code: 'notice-exists', kind: 'conflict', message: 'This notice was already recorded' },
  recordErased: {
    code: 'record-erased',
    kind: 'gone',
    message: "This record was erased at the survivor's request or by retention",
  },
  notOfficerOfCareTeam: {
    code: 'not-officer-of-care-team',
    kind: 'forbidden',
    message: "Only a privacy officer of an agency on the care team, or the network's, decides this request",
  },
  erasureRequestExists: {
    code: 'erasure-request-exists',
    kind: 'conflict',
    message: 'This request was already recorded',
  },
  erasureRequestNotFound: {
    code: 'erasure-request-not-found',
    kind: 'not-found',
    message: 'Erasure request not found',
  },
  erasureAlreadyDecided: {
    code: 'erasure-already-decided',
    kind: 'conflict',
    message: 'This erasure request was already decided',
  },
  nothingToErase: { code: 'nothing-to-erase', kind: 'conflict', message: 'None of these sections holds content' },
  invalidCheckIn: { code: 'invalid-check-in', kind: 'invalid', message: 'The check-in or its schedule is not valid' },
  monthInFuture: { code: 'month-in-future', kind: 'invalid', message: 'The month is in the future' },
} as const satisfies ErrorCatalogue;

/** What an audited read of survivor data can refuse with: no record, nothing consented, or the access event / keys failed (fail closed). */
export const RECORD_READ_PROBLEMS: ErrorSpec[] = [
  IntakeErrors.intakeNotFound,
  IntakeErrors.accessDenied,
  IntakeErrors.recordErased,
  AuditErrors.accessNotRecorded,
  PrivacyErrors.dataErased,
  PrivacyErrors.decryptionFailed,
  PrivacyErrors.masterKeyUnavailable,
];
