/** Stable codes of the consent aggregate's DomainErrors; clients switch on these, so never rename one. */
export const ConsentErrors = {
  // who acts
  notAWorker: 'not-a-worker', // forbidden: only caseworkers and supervisors record a survivor's decisions
  notOnCareTeam: 'not-on-care-team', // forbidden: the actor's agency is not on the survivor's care team
  // consents
  invalidConsent: 'invalid-consent', // invalid (fields name the problems)
  consentExists: 'consent-exists', // conflict: the consent id is taken
  consentNotFound: 'consent-not-found', // not-found
  consentRevoked: 'consent-revoked', // conflict: a revoked consent cannot be amended (record a new one)
  consentAlreadyRevoked: 'consent-already-revoked', // conflict
  consentVersionMismatch: 'consent-version-mismatch', // conflict: expectedVersion is not the current version
  nothingToAmend: 'nothing-to-amend', // invalid: the amendment restates the current terms
  // exclusions
  invalidExclusion: 'invalid-exclusion', // invalid
  exclusionExists: 'exclusion-exists', // conflict: the exclusion id is taken
  exclusionNotFound: 'exclusion-not-found', // not-found
  exclusionAlreadyLifted: 'exclusion-already-lifted', // conflict
} as const;

export type ConsentErrorCode = (typeof ConsentErrors)[keyof typeof ConsentErrors];
