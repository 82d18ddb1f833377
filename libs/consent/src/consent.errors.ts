import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the consent aggregate's DomainErrors; clients switch on these, so never rename one. */
export const ConsentErrors = {
  // who acts
  notAWorker: {
    code: 'not-a-worker',
    kind: 'forbidden',
    message: "Only a caseworker or supervisor can record a survivor's decision",
  }, // only caseworkers and supervisors record a survivor's decisions
  notOnCareTeam: {
    code: 'not-on-care-team',
    kind: 'forbidden',
    message: "Only a worker on the survivor's care team can do this",
  }, // the actor's agency is not on the survivor's care team
  shareCodeExcluded: {
    code: 'share-code-excluded',
    kind: 'forbidden',
    message: 'The survivor has excluded you, your agency or its sector: a share code cannot open the record to it',
  }, // exclusions win over a share code too
  // consents
  invalidConsent: { code: 'invalid-consent', kind: 'invalid', message: 'The consent has invalid fields' }, // (fields name the problems)
  consentExists: { code: 'consent-exists', kind: 'conflict', message: 'This consent id is already in use' }, // the consent id is taken
  consentNotFound: { code: 'consent-not-found', kind: 'not-found', message: 'Consent not found' },
  consentRevoked: {
    code: 'consent-revoked',
    kind: 'conflict',
    message: 'A revoked consent cannot be amended; record a new consent',
  }, // a revoked consent cannot be amended (record a new one)
  consentAlreadyRevoked: {
    code: 'consent-already-revoked',
    kind: 'conflict',
    message: 'This consent has already been revoked',
  },
  consentVersionMismatch: {
    code: 'consent-version-mismatch',
    kind: 'conflict',
    message: 'The consent has changed since it was read',
  }, // expectedVersion is not the current version
  nothingToAmend: { code: 'nothing-to-amend', kind: 'invalid', message: 'The amendment does not change the consent' }, // the amendment restates the current terms
  // exclusions
  invalidExclusion: { code: 'invalid-exclusion', kind: 'invalid', message: 'The exclusion has invalid fields' },
  exclusionExists: { code: 'exclusion-exists', kind: 'conflict', message: 'This exclusion id is already in use' }, // the exclusion id is taken
  exclusionNotFound: { code: 'exclusion-not-found', kind: 'not-found', message: 'Exclusion not found' },
  exclusionAlreadyLifted: {
    code: 'exclusion-already-lifted',
    kind: 'conflict',
    message: 'This exclusion has already been lifted',
  },
} as const satisfies ErrorCatalogue;

export type ConsentErrorCode = (typeof ConsentErrors)[keyof typeof ConsentErrors]['code'];
