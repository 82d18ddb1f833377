import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the agency aggregate's DomainErrors; clients switch on these, so never rename one. */
export const AgencyErrors = {
  // any command
  agencyNotFound: { code: 'agency-not-found', kind: 'not-found', message: 'Agency not found' },
  agencyRemoved: { code: 'agency-removed', kind: 'conflict', message: 'The agency has been removed from the network' }, // a removed agency accepts nothing further
  // application
  agencyExists: { code: 'agency-exists', kind: 'conflict', message: 'This agency already exists' },
  invalidApplication: { code: 'invalid-application', kind: 'invalid', message: 'The application has invalid fields' }, // (fields name the problems)
  // who acts
  notAgencyAdmin: { code: 'not-agency-admin', kind: 'forbidden', message: 'Only an agency admin can do this' }, // actor lacks the agency-admin role
  notActingForAgency: {
    code: 'not-acting-for-agency',
    kind: 'forbidden',
    message: 'You can only act for your own agency',
  }, // actor's agency is not the endorser/tabler/voter
  notNetworkAdmin: { code: 'not-network-admin', kind: 'forbidden', message: 'Only a network admin can do this' },
  notAllowedToClose: {
    code: 'not-allowed-to-close',
    kind: 'forbidden',
    message: 'Only a network admin or an admin of an active core agency can close a motion',
  }, // neither network admin nor admin of an active core agency
  // admission
  selfEndorsement: { code: 'self-endorsement', kind: 'forbidden', message: 'An agency cannot endorse itself' },
  endorserNotActiveCore: {
    code: 'endorser-not-active-core',
    kind: 'forbidden',
    message: 'Only active core agencies can endorse',
  },
  notAnApplicant: { code: 'not-an-applicant', kind: 'conflict', message: 'Only applicants can be endorsed' },
  alreadyEndorsed: {
    code: 'already-endorsed',
    kind: 'conflict',
    message: 'This agency has already endorsed the application',
  },
  bootstrapClosed: {
    code: 'bootstrap-closed',
    kind: 'conflict',
    message: 'The network has enough core agencies: admission needs two endorsements',
  }, // 2+ active core agencies, endorsement required
  invalidActiveCoreCount: {
    code: 'invalid-active-core-count',
    kind: 'invalid',
    message: 'The count of active core agencies is invalid',
  },
  // suspension
  reasonRequired: { code: 'reason-required', kind: 'invalid', message: 'A reason is required' },
  agencyNotActive: { code: 'agency-not-active', kind: 'conflict', message: 'Only an active agency can be suspended' },
  agencyNotSuspended: {
    code: 'agency-not-suspended',
    kind: 'conflict',
    message: 'Only a suspended agency can be reinstated',
  },
  // removal motions
  selfRemovalMotion: {
    code: 'self-removal-motion',
    kind: 'forbidden',
    message: 'An agency cannot table a motion to remove itself',
  },
  tablerNotActiveCore: {
    code: 'tabler-not-active-core',
    kind: 'forbidden',
    message: 'Only active core agencies can table a removal motion',
  },
  agencyNotMember: {
    code: 'agency-not-member',
    kind: 'conflict',
    message: 'Only active or suspended agencies can face a removal motion',
  }, // only active or suspended agencies face removal
  motionAlreadyOpen: {
    code: 'motion-already-open',
    kind: 'conflict',
    message: 'A removal motion is already open for this agency',
  },
  motionIdTaken: { code: 'motion-id-taken', kind: 'conflict', message: 'This motion id is already in use' },
  invalidMotion: { code: 'invalid-motion', kind: 'invalid', message: 'The removal motion has invalid fields' }, // reasons or periods
  noEligibleVoters: {
    code: 'no-eligible-voters',
    kind: 'conflict',
    message: 'No agency is eligible to vote on this motion',
  },
  invalidVote: { code: 'invalid-vote', kind: 'invalid', message: 'The vote must be for or against' }, // neither for nor against
  motionNotFound: { code: 'motion-not-found', kind: 'not-found', message: 'Removal motion not found' },
  votingNotOpen: { code: 'voting-not-open', kind: 'conflict', message: 'Voting on this motion has not opened yet' }, // before votingOpensAt
  votingClosed: { code: 'voting-closed', kind: 'conflict', message: 'Voting on this motion has closed' }, // at/after votingClosesAt or already decided (late vote)
  voterNotEligible: {
    code: 'voter-not-eligible',
    kind: 'forbidden',
    message: 'The agency in question cannot vote on its own removal',
  }, // not in the snapshot (includes the agency in question)
  voterNotActiveCore: {
    code: 'voter-not-active-core',
    kind: 'forbidden',
    message: 'Only agencies that are still active core can vote',
  }, // in the snapshot but no longer active core
  alreadyVoted: { code: 'already-voted', kind: 'conflict', message: 'This agency has already voted on this motion' },
  votingStillOpen: { code: 'voting-still-open', kind: 'conflict', message: 'Voting on this motion is still open' }, // close before votingClosesAt
  motionAlreadyDecided: {
    code: 'motion-already-decided',
    kind: 'conflict',
    message: 'This motion has already been decided',
  },
} as const satisfies ErrorCatalogue;

export type AgencyErrorCode = (typeof AgencyErrors)[keyof typeof AgencyErrors]['code'];
