import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the referrals lib's DomainErrors; clients switch on these, so never rename one. */
export const ReferralErrors = {
  illegalTransition: {
    code: 'illegal-transition',
    kind: 'conflict',
    message: 'The referral cannot make this change from its current state',
  },
  notAWorker: { code: 'not-a-worker', kind: 'forbidden', message: 'Only caseworkers and supervisors act on referrals' },
  notAParty: {
    code: 'not-a-party',
    kind: 'forbidden',
    message: 'Only the referring and the receiving agency act on a referral',
  },
  notTheReceivingAgency: {
    code: 'not-the-receiving-agency',
    kind: 'forbidden',
    message: 'Only the receiving agency can do this',
  },
  notOnCareTeam: {
    code: 'not-on-care-team',
    kind: 'forbidden',
    message: "Only a worker on the survivor's care team makes a referral",
  },
  invalidReferral: { code: 'invalid-referral', kind: 'invalid', message: 'The referral has invalid fields' },
  receivingAgencyNotEligible: {
    code: 'receiving-agency-not-eligible',
    kind: 'invalid',
    message: 'The receiving agency is not an active core member of the network',
  },
  referralExcluded: {
    code: 'referral-excluded',
    kind: 'forbidden',
    message: 'The survivor has excluded this recipient',
  },
  noServiceForNeeds: {
    code: 'no-service-for-needs',
    kind: 'invalid',
    message: 'The receiving agency lists no service for any of these needs',
  },
  noReferralConsent: {
    code: 'no-referral-consent',
    kind: 'forbidden',
    message: "No consent in force covers the receiving agency for the purpose 'referral'",
  },
  staffNotFound: { code: 'staff-not-found', kind: 'not-found', message: 'The assigned caseworker was not found' },
  assigneeNotEligible: {
    code: 'assignee-not-eligible',
    kind: 'invalid',
    message: 'The assigned caseworker must be a caseworker or supervisor of the receiving agency',
  },
  staffDeactivated: { code: 'staff-deactivated', kind: 'conflict', message: 'The assigned caseworker is deactivated' },
  handoffAlreadyConfirmed: {
    code: 'handoff-already-confirmed',
    kind: 'conflict',
    message: 'Your agency already confirmed this handoff',
  },
  notTheSystem: { code: 'not-the-system', kind: 'forbidden', message: 'Referrals expire by themselves' },
  notYetDue: { code: 'not-yet-due', kind: 'conflict', message: 'The response window is still open' },
  referralExists: { code: 'referral-exists', kind: 'conflict', message: 'This referral already exists' },
  referralNotFound: { code: 'referral-not-found', kind: 'not-found', message: 'Referral was not found' },
  intakeNotFound: { code: 'intake-not-found', kind: 'not-found', message: 'Intake was not found' },
  accessDenied: { code: 'access-denied', kind: 'forbidden', message: "This survivor's referrals may not be read" },
  webhookNotFound: { code: 'webhook-not-found', kind: 'not-found', message: 'Webhook was not found' },
} as const satisfies ErrorCatalogue;
