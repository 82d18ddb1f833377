import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the offers lib's DomainErrors; clients switch on these, so never rename one. */
export const OfferErrors = {
  invalidOffer: { code: 'invalid-offer', kind: 'invalid', message: 'The offer has invalid fields' },
  invalidOfferRequest: { code: 'invalid-offer-request', kind: 'invalid', message: 'The request has invalid fields' },
  notAMember: {
    code: 'not-an-active-member',
    kind: 'forbidden',
    message: 'Only staff of an active member agency publish offers',
  },
  notOfferingAgency: {
    code: 'not-offering-agency',
    kind: 'forbidden',
    message: 'Only staff of the agency that published the offer may do this',
  },
  notRequestingAgency: {
    code: 'not-requesting-agency',
    kind: 'forbidden',
    message: 'Only the worker agency that made the request may do this',
  },
  notAWorker: { code: 'not-a-worker', kind: 'forbidden', message: 'Only caseworkers and supervisors request offers' },
  notOnCareTeam: {
    code: 'not-on-care-team',
    kind: 'forbidden',
    message: "Only a worker on the survivor's care team requests offers for them",
  },
  intakeNotFound: { code: 'intake-not-found', kind: 'not-found', message: 'Intake was not found' },
  accessDenied: { code: 'access-denied', kind: 'forbidden', message: "This survivor's offer requests may not be read" },
  offerExists: { code: 'offer-exists', kind: 'conflict', message: 'This offer already exists' },
  offerNotFound: { code: 'offer-not-found', kind: 'not-found', message: 'Offer was not found' },
  offerRequestNotFound: { code: 'offer-request-not-found', kind: 'not-found', message: 'Offer request was not found' },
  offerWithdrawn: { code: 'offer-withdrawn', kind: 'conflict', message: 'This offer was withdrawn' },
  offerNotAvailable: {
    code: 'offer-not-available',
    kind: 'conflict',
    message: 'This offer is outside its validity window',
  },
  offerExhausted: {
    code: 'offer-exhausted',
    kind: 'conflict',
    message: 'Not enough of this offer is left for the quantity asked',
  },
  needNotListed: {
    code: 'need-not-listed',
    kind: 'conflict',
    message: "The need is not among the survivor's recorded needs",
  },
  offerExcluded: {
    code: 'offer-excluded',
    kind: 'forbidden',
    message: 'The survivor has excluded the agency that offers this, or its sector',
  },
  illegalTransition: {
    code: 'offer-request-transition-not-allowed',
    kind: 'conflict',
    message: 'The request is not in a state that allows this',
  },
  notYetDue: { code: 'offer-request-not-due', kind: 'conflict', message: 'The request has not reached its deadline' },
} as const satisfies ErrorCatalogue;
