/** Stable codes of the agency aggregate's DomainErrors; clients switch on these, so never rename one. */
export const AgencyErrors = {
  // any command
  agencyNotFound: 'agency-not-found', // not-found
  agencyRemoved: 'agency-removed', // conflict: a removed agency accepts nothing further
  // application
  agencyExists: 'agency-exists', // conflict
  invalidApplication: 'invalid-application', // invalid (fields name the problems)
  // who acts
  notAgencyAdmin: 'not-agency-admin', // forbidden: actor lacks the agency-admin role
  notActingForAgency: 'not-acting-for-agency', // forbidden: actor's agency is not the endorser/tabler/voter
  notNetworkAdmin: 'not-network-admin', // forbidden
  notAllowedToClose: 'not-allowed-to-close', // forbidden: neither network admin nor admin of an active core agency
  // admission
  selfEndorsement: 'self-endorsement', // forbidden
  endorserNotActiveCore: 'endorser-not-active-core', // forbidden
  notAnApplicant: 'not-an-applicant', // conflict
  alreadyEndorsed: 'already-endorsed', // conflict
  bootstrapClosed: 'bootstrap-closed', // conflict: 2+ active core agencies, endorsement required
  invalidActiveCoreCount: 'invalid-active-core-count', // invalid
  // suspension
  reasonRequired: 'reason-required', // invalid
  agencyNotActive: 'agency-not-active', // conflict
  agencyNotSuspended: 'agency-not-suspended', // conflict
  // removal motions
  selfRemovalMotion: 'self-removal-motion', // forbidden
  tablerNotActiveCore: 'tabler-not-active-core', // forbidden
  agencyNotMember: 'agency-not-member', // conflict: only active or suspended agencies face removal
  motionAlreadyOpen: 'motion-already-open', // conflict
  motionIdTaken: 'motion-id-taken', // conflict
  invalidMotion: 'invalid-motion', // invalid: reasons or periods
  noEligibleVoters: 'no-eligible-voters', // conflict
  invalidVote: 'invalid-vote', // invalid: neither for nor against
  motionNotFound: 'motion-not-found', // not-found
  votingNotOpen: 'voting-not-open', // conflict: before votingOpensAt
  votingClosed: 'voting-closed', // conflict: at/after votingClosesAt or already decided (late vote)
  voterNotEligible: 'voter-not-eligible', // forbidden: not in the snapshot (includes the agency in question)
  voterNotActiveCore: 'voter-not-active-core', // forbidden: in the snapshot but no longer active core
  alreadyVoted: 'already-voted', // conflict
  votingStillOpen: 'voting-still-open', // conflict: close before votingClosesAt
  motionAlreadyDecided: 'motion-already-decided', // conflict
} as const;

export type AgencyErrorCode = (typeof AgencyErrors)[keyof typeof AgencyErrors];
