import { fold } from '@harbour/event-store';
import { consentDecider, type ConsentState } from './consent.decider.js';
import type { ConsentEvent, ExclusionTarget, Recipient, RecordedBy } from './consent.events.js';
import {
  decideAccess,
  type AccessActor,
  type AccessAgency,
  type AccessRequest,
  type DenyReason,
  type PermitBasis,
} from './decision-point.js';
import type { Section } from './sections.js';
import { type Purpose } from '@harbour/vocabulary';

// --- fixtures: one reading moment, one care team, synthetic agencies and workers --------------------

const AT = new Date('2025-06-01T12:00:00.000Z');
const CARE = 'agency-care'; // victim-services, the survivor's care team
const by: RecordedBy = { userId: 'user-care', agencyId: CARE };
const careTeam = { agencyIds: [CARE] };

const cw = (userId: string, agencyId: string): AccessActor => ({ userId, agencyId, role: 'caseworker' });
const core = (sector: AccessAgency['sector']): AccessAgency => ({ status: 'active', tier: 'core', sector });

/** The validity window of consent-1 in each consent state, seen from AT. */
const WINDOWS = {
  active: { validFrom: '2025-03-01T00:00:00.000Z', validUntil: '2026-03-01T00:00:00.000Z' },
  expired: { validFrom: '2024-03-01T00:00:00.000Z', validUntil: '2025-03-01T00:00:00.000Z' },
  'not-yet-valid': { validFrom: '2025-09-01T00:00:00.000Z', validUntil: '2026-09-01T00:00:00.000Z' },
  revoked: { validFrom: '2025-03-01T00:00:00.000Z', validUntil: '2026-03-01T00:00:00.000Z' },
} as const;
type ConsentCase = 'none' | keyof typeof WINDOWS;

/**
 * consent-1 to `recipient`: recorded for identity, health and needs, for referral, safety-planning
 * and investigation; then amended (version 2) to drop health. So health is "not consented" now even
 * though version 1 named it, and a permit must cite version 2.
 */
function consentHistory(recipient: Recipient, state: ConsentCase): ConsentEvent[] {
  if (state === 'none') return [];
  const terms = {
    ...WINDOWS[state],
    purposes: ['referral', 'safety-planning', 'investigation'] as Purpose[],
    method: 'written' as const,
    language: 'en',
  };
  const events: ConsentEvent[] = [
    {
      type: 'ConsentRecorded',
      data: {
        consentId: 'consent-1',
        version: 1,
        recipient,
        sections: ['identity', 'health', 'needs'],
        ...terms,
        recordedBy: by,
        recordedAt: '2024-02-01T00:00:00.000Z',
      },
    },
    {
      type: 'ConsentAmended',
      data: {
        consentId: 'consent-1',
        version: 2,
        sections: ['identity', 'needs'],
        ...terms,
        recordedBy: by,
        recordedAt: '2024-02-02T00:00:00.000Z',
      },
    },
  ];
  if (state === 'revoked') {
    events.push({
      type: 'ConsentRevoked',
      data: {
        consentId: 'consent-1',
        version: 2,
        method: 'verbal',
        revokedBy: by,
        revokedAt: '2025-05-01T00:00:00.000Z',
      },
    });
  }
  return events;
}

const exclusion = (exclusionId: string, target: ExclusionTarget): ConsentEvent => ({
  type: 'ExclusionRecorded',
  data: {
    exclusionId,
    target,
    method: 'verbal',
    language: 'en',
    recordedBy: by,
    recordedAt: '2025-04-01T00:00:00.000Z',
  },
});

/**
 * The actor's relation to the survivor: who they are, their agency, whom consent-1 names (when
 * there is one), and the exclusions in the survivor's stream.
 */
const RELATIONS = {
  'care-team': {
    actor: cw('user-care', CARE),
    agency: core('victim-services'),
    recipient: { kind: 'agency', agencyId: CARE },
    exclusions: [],
  },
  'consented-agency': {
    actor: cw('user-b', 'agency-b'),
    agency: core('shelter'),
    recipient: { kind: 'agency', agencyId: 'agency-b' },
    exclusions: [],
  },
  'consented-sector': {
    actor: cw('user-c', 'agency-c'),
    agency: core('health'),
    recipient: { kind: 'sector', sector: 'health' },
    exclusions: [],
  },
  // Same sector as agency-b, which consent-1 names: a consent to one agency says nothing of its peers.
  'same-sector-unrelated': {
    actor: cw('user-d', 'agency-d'),
    agency: core('shelter'),
    recipient: { kind: 'agency', agencyId: 'agency-b' },
    exclusions: [],
  },
  // Each excluded actor is also the one consent-1 names: the exclusion must win over the permit.
  'excluded-sector': {
    actor: cw('user-e', 'agency-e'),
    agency: core('law-enforcement'),
    recipient: { kind: 'sector', sector: 'law-enforcement' },
    exclusions: [exclusion('exclusion-1', { kind: 'sector', sector: 'law-enforcement' })],
  },
  'excluded-agency': {
    actor: cw('user-f', 'agency-f'),
    agency: core('legal'),
    recipient: { kind: 'agency', agencyId: 'agency-f' },
    exclusions: [exclusion('exclusion-1', { kind: 'agency', agencyId: 'agency-f' })],
  },
  // A worker of the care-team agency whom the survivor excluded by name.
  'excluded-staff': {
    actor: cw('user-x', CARE),
    agency: core('victim-services'),
    recipient: { kind: 'agency', agencyId: CARE },
    exclusions: [exclusion('exclusion-1', { kind: 'staff', userId: 'user-x' })],
  },
  associate: {
    actor: cw('user-g', 'agency-g'),
    agency: { status: 'active', tier: 'associate', sector: 'shelter' },
    recipient: { kind: 'agency', agencyId: 'agency-g' },
    exclusions: [],
  },
  suspended: {
    actor: cw('user-h', 'agency-h'),
    agency: { status: 'suspended', tier: 'core', sector: 'housing' },
    recipient: { kind: 'agency', agencyId: 'agency-h' },
    exclusions: [],
  },
} satisfies Record<
  string,
  { actor: AccessActor; agency: AccessAgency; recipient: Recipient; exclusions: ConsentEvent[] }
>;
type Relation = keyof typeof RELATIONS;

// --- THE expectation table, written out by hand -----------------------------------------------------
// Columns are the sections asked for, in this order: needs (consented), health (dropped by the
// amendment), identity (consented). CT = permitted as care team; K = permitted by consent-1 version 2.

const SECTIONS_ASKED: Section[] = ['needs', 'health', 'identity'];
type Expected = 'CT' | 'K' | DenyReason;
type Row = [Expected, Expected, Expected];
type Purposes = Record<Purpose, Row>;

const CT = 'CT';
const K = 'K';
const NO: DenyReason = 'no-consent';
const EXP: DenyReason = 'consent-expired';
const FUT: DenyReason = 'consent-not-yet-valid';
const REV: DenyReason = 'consent-revoked';
const XS: DenyReason = 'excluded-sector';
const XA: DenyReason = 'excluded-agency';
const XU: DenyReason = 'excluded-staff';
const NE: DenyReason = 'agency-not-eligible';
const NP: DenyReason = 'purpose-not-permitted';
const NS: DenyReason = 'section-not-consented';

const EXPECTED: Record<Relation, Record<ConsentCase, Purposes>> = {
  'care-team': {
    none: {
      referral: [CT, CT, CT],
      'care-coordination': [CT, CT, CT],
      'safety-planning': [CT, CT, CT],
      investigation: [NO, NO, NO],
      statistics: [NO, NO, NO],
      'impact-story': [NO, NO, NO],
    },
    active: {
      referral: [CT, CT, CT],
      'care-coordination': [CT, CT, CT],
      'safety-planning': [CT, CT, CT],
      investigation: [K, NS, K],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
    expired: {
      referral: [CT, CT, CT],
      'care-coordination': [CT, CT, CT],
      'safety-planning': [CT, CT, CT],
      investigation: [EXP, NS, EXP],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
    'not-yet-valid': {
      referral: [CT, CT, CT],
      'care-coordination': [CT, CT, CT],
      'safety-planning': [CT, CT, CT],
      investigation: [FUT, NS, FUT],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
    revoked: {
      referral: [CT, CT, CT],
      'care-coordination': [CT, CT, CT],
      'safety-planning': [CT, CT, CT],
      investigation: [REV, NS, REV],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
  },
  'consented-agency': {
    none: {
      referral: [NO, NO, NO],
      'care-coordination': [NO, NO, NO],
      'safety-planning': [NO, NO, NO],
      investigation: [NO, NO, NO],
      statistics: [NO, NO, NO],
      'impact-story': [NO, NO, NO],
    },
    active: {
      referral: [K, NS, K],
      'care-coordination': [NP, NP, NP],
      'safety-planning': [K, NS, K],
      investigation: [K, NS, K],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
    expired: {
      referral: [EXP, NS, EXP],
      'care-coordination': [NP, NP, NP],
      'safety-planning': [EXP, NS, EXP],
      investigation: [EXP, NS, EXP],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
    'not-yet-valid': {
      referral: [FUT, NS, FUT],
      'care-coordination': [NP, NP, NP],
      'safety-planning': [FUT, NS, FUT],
      investigation: [FUT, NS, FUT],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
    revoked: {
      referral: [REV, NS, REV],
      'care-coordination': [NP, NP, NP],
      'safety-planning': [REV, NS, REV],
      investigation: [REV, NS, REV],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
  },
  'consented-sector': {
    none: {
      referral: [NO, NO, NO],
      'care-coordination': [NO, NO, NO],
      'safety-planning': [NO, NO, NO],
      investigation: [NO, NO, NO],
      statistics: [NO, NO, NO],
      'impact-story': [NO, NO, NO],
    },
    active: {
      referral: [K, NS, K],
      'care-coordination': [NP, NP, NP],
      'safety-planning': [K, NS, K],
      investigation: [K, NS, K],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
    expired: {
      referral: [EXP, NS, EXP],
      'care-coordination': [NP, NP, NP],
      'safety-planning': [EXP, NS, EXP],
      investigation: [EXP, NS, EXP],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
    'not-yet-valid': {
      referral: [FUT, NS, FUT],
      'care-coordination': [NP, NP, NP],
      'safety-planning': [FUT, NS, FUT],
      investigation: [FUT, NS, FUT],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
    revoked: {
      referral: [REV, NS, REV],
      'care-coordination': [NP, NP, NP],
      'safety-planning': [REV, NS, REV],
      investigation: [REV, NS, REV],
      statistics: [NP, NP, NP],
      'impact-story': [NP, NP, NP],
    },
  },
  'same-sector-unrelated': {
    none: {
      referral: [NO, NO, NO],
      'care-coordination': [NO, NO, NO],
      'safety-planning': [NO, NO, NO],
      investigation: [NO, NO, NO],
      statistics: [NO, NO, NO],
      'impact-story': [NO, NO, NO],
    },
    active: {
      referral: [NO, NO, NO],
      'care-coordination': [NO, NO, NO],
      'safety-planning': [NO, NO, NO],
      investigation: [NO, NO, NO],
      statistics: [NO, NO, NO],
      'impact-story': [NO, NO, NO],
    },
    expired: {
      referral: [NO, NO, NO],
      'care-coordination': [NO, NO, NO],
      'safety-planning': [NO, NO, NO],
      investigation: [NO, NO, NO],
      statistics: [NO, NO, NO],
      'impact-story': [NO, NO, NO],
    },
    'not-yet-valid': {
      referral: [NO, NO, NO],
      'care-coordination': [NO, NO, NO],
      'safety-planning': [NO, NO, NO],
      investigation: [NO, NO, NO],
      statistics: [NO, NO, NO],
      'impact-story': [NO, NO, NO],
    },
    revoked: {
      referral: [NO, NO, NO],
      'care-coordination': [NO, NO, NO],
      'safety-planning': [NO, NO, NO],
      investigation: [NO, NO, NO],
      statistics: [NO, NO, NO],
      'impact-story': [NO, NO, NO],
    },
  },
  'excluded-sector': {
    none: {
      referral: [XS, XS, XS],
      'care-coordination': [XS, XS, XS],
      'safety-planning': [XS, XS, XS],
      investigation: [XS, XS, XS],
      statistics: [XS, XS, XS],
      'impact-story': [XS, XS, XS],
    },
    active: {
      referral: [XS, XS, XS],
      'care-coordination': [XS, XS, XS],
      'safety-planning': [XS, XS, XS],
      investigation: [XS, XS, XS],
      statistics: [XS, XS, XS],
      'impact-story': [XS, XS, XS],
    },
    expired: {
      referral: [XS, XS, XS],
      'care-coordination': [XS, XS, XS],
      'safety-planning': [XS, XS, XS],
      investigation: [XS, XS, XS],
      statistics: [XS, XS, XS],
      'impact-story': [XS, XS, XS],
    },
    'not-yet-valid': {
      referral: [XS, XS, XS],
      'care-coordination': [XS, XS, XS],
      'safety-planning': [XS, XS, XS],
      investigation: [XS, XS, XS],
      statistics: [XS, XS, XS],
      'impact-story': [XS, XS, XS],
    },
    revoked: {
      referral: [XS, XS, XS],
      'care-coordination': [XS, XS, XS],
      'safety-planning': [XS, XS, XS],
      investigation: [XS, XS, XS],
      statistics: [XS, XS, XS],
      'impact-story': [XS, XS, XS],
    },
  },
  'excluded-agency': {
    none: {
      referral: [XA, XA, XA],
      'care-coordination': [XA, XA, XA],
      'safety-planning': [XA, XA, XA],
      investigation: [XA, XA, XA],
      statistics: [XA, XA, XA],
      'impact-story': [XA, XA, XA],
    },
    active: {
      referral: [XA, XA, XA],
      'care-coordination': [XA, XA, XA],
      'safety-planning': [XA, XA, XA],
      investigation: [XA, XA, XA],
      statistics: [XA, XA, XA],
      'impact-story': [XA, XA, XA],
    },
    expired: {
      referral: [XA, XA, XA],
      'care-coordination': [XA, XA, XA],
      'safety-planning': [XA, XA, XA],
      investigation: [XA, XA, XA],
      statistics: [XA, XA, XA],
      'impact-story': [XA, XA, XA],
    },
    'not-yet-valid': {
      referral: [XA, XA, XA],
      'care-coordination': [XA, XA, XA],
      'safety-planning': [XA, XA, XA],
      investigation: [XA, XA, XA],
      statistics: [XA, XA, XA],
      'impact-story': [XA, XA, XA],
    },
    revoked: {
      referral: [XA, XA, XA],
      'care-coordination': [XA, XA, XA],
      'safety-planning': [XA, XA, XA],
      investigation: [XA, XA, XA],
      statistics: [XA, XA, XA],
      'impact-story': [XA, XA, XA],
    },
  },
  'excluded-staff': {
    none: {
      referral: [XU, XU, XU],
      'care-coordination': [XU, XU, XU],
      'safety-planning': [XU, XU, XU],
      investigation: [XU, XU, XU],
      statistics: [XU, XU, XU],
      'impact-story': [XU, XU, XU],
    },
    active: {
      referral: [XU, XU, XU],
      'care-coordination': [XU, XU, XU],
      'safety-planning': [XU, XU, XU],
      investigation: [XU, XU, XU],
      statistics: [XU, XU, XU],
      'impact-story': [XU, XU, XU],
    },
    expired: {
      referral: [XU, XU, XU],
      'care-coordination': [XU, XU, XU],
      'safety-planning': [XU, XU, XU],
      investigation: [XU, XU, XU],
      statistics: [XU, XU, XU],
      'impact-story': [XU, XU, XU],
    },
    'not-yet-valid': {
      referral: [XU, XU, XU],
      'care-coordination': [XU, XU, XU],
      'safety-planning': [XU, XU, XU],
      investigation: [XU, XU, XU],
      statistics: [XU, XU, XU],
      'impact-story': [XU, XU, XU],
    },
    revoked: {
      referral: [XU, XU, XU],
      'care-coordination': [XU, XU, XU],
      'safety-planning': [XU, XU, XU],
      investigation: [XU, XU, XU],
      statistics: [XU, XU, XU],
      'impact-story': [XU, XU, XU],
    },
  },
  associate: {
    none: {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
    active: {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
    expired: {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
    'not-yet-valid': {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
    revoked: {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
  },
  suspended: {
    none: {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
    active: {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
    expired: {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
    'not-yet-valid': {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
    revoked: {
      referral: [NE, NE, NE],
      'care-coordination': [NE, NE, NE],
      'safety-planning': [NE, NE, NE],
      investigation: [NE, NE, NE],
      statistics: [NE, NE, NE],
      'impact-story': [NE, NE, NE],
    },
  },
};

// --- the table, row by row ---------------------------------------------------------------------------

const CONSENT_BASIS: PermitBasis = { kind: 'consent', consentId: 'consent-1', version: 2 };
const sectionExpectation = (section: Section, e: Expected) =>
  e === CT
    ? { section, decision: 'permit', basis: { kind: 'care-team' } }
    : e === K
      ? { section, decision: 'permit', basis: CONSENT_BASIS }
      : { section, decision: 'deny', reason: e };

const ROWS = Object.entries(EXPECTED).flatMap(([relation, byState]) =>
  Object.entries(byState).flatMap(([state, byPurpose]) =>
    Object.entries(byPurpose).map(
      ([purpose, row]) => [relation as Relation, state as ConsentCase, purpose as Purpose, row] as const,
    ),
  ),
);

describe('decideAccess: relation × consent state × purpose × section', () => {
  it('covers every combination: 9 relations × 5 consent states × 6 purposes', () => {
    expect(ROWS).toHaveLength(9 * 5 * 6);
  });

  it.each(ROWS)('%s, consent %s, for %s → [needs, health, identity] = %j', (relation, state, purpose, row) => {
    const r = RELATIONS[relation];
    const consents = fold(consentDecider, [...consentHistory(r.recipient as Recipient, state), ...r.exclusions]);
    const decision = decideAccess({
      actor: r.actor,
      agency: r.agency,
      careTeam,
      consents,
      sections: SECTIONS_ASKED,
      purpose,
      at: AT,
    });

    const permits = row.filter((e) => e === CT || e === K).length;
    expect(decision).toEqual({
      outcome: permits === 3 ? 'permitted' : permits === 0 ? 'denied' : 'partial',
      sections: SECTIONS_ASKED.map((s, i) => sectionExpectation(s, row[i])),
    });
  });
});

// --- rules the table does not reach ---------------------------------------------------------------

const B = cw('user-b', 'agency-b');
const state = (...events: ConsentEvent[]): ConsentState => fold(consentDecider, events);
const ask = (over: Partial<AccessRequest>): AccessRequest => ({
  actor: B,
  agency: core('shelter'),
  careTeam,
  consents: state(),
  sections: SECTIONS_ASKED,
  purpose: 'referral',
  at: AT,
  ...over,
});
const recordedConsent = (
  consentId: string,
  recipient: Recipient,
  over: Partial<Extract<ConsentEvent, { type: 'ConsentRecorded' }>['data']> = {},
): ConsentEvent => ({
  type: 'ConsentRecorded',
  data: {
    consentId,
    version: 1,
    recipient,
    sections: ['identity', 'needs'],
    purposes: ['referral'],
    ...WINDOWS.active,
    method: 'verbal',
    language: 'en',
    recordedBy: by,
    recordedAt: '2025-02-01T00:00:00.000Z',
    ...over,
  },
});
const toB: Recipient = { kind: 'agency', agencyId: 'agency-b' };
const reasons = (request: AccessRequest) =>
  decideAccess(request).sections.map((s) => (s.decision === 'permit' ? s.basis : s.reason));

describe('investigation is never implied', () => {
  const services = recordedConsent('consent-s', toB, {
    purposes: ['referral', 'care-coordination', 'safety-planning', 'statistics'],
    sections: ['identity', 'health', 'needs'],
  });

  it('a consent for every other purpose and every asked section does not reach investigation', () => {
    expect(reasons(ask({ consents: state(services), purpose: 'referral' }))).toEqual([
      { kind: 'consent', consentId: 'consent-s', version: 1 },
      { kind: 'consent', consentId: 'consent-s', version: 1 },
      { kind: 'consent', consentId: 'consent-s', version: 1 },
    ]);
    expect(reasons(ask({ consents: state(services), purpose: 'investigation' }))).toEqual([NP, NP, NP]);
  });

  it('nor does being on the care team', () => {
    const toCare = recordedConsent(
      'consent-c',
      { kind: 'agency', agencyId: CARE },
      { purposes: ['referral', 'care-coordination', 'safety-planning', 'statistics'] },
    );
    const request = ask({
      actor: cw('user-care', CARE),
      agency: core('victim-services'),
      consents: state(toCare),
      purpose: 'investigation',
    });
    expect(decideAccess(request)).toEqual({
      outcome: 'denied',
      sections: SECTIONS_ASKED.map((section) => ({ section, decision: 'deny', reason: NP })),
    });
  });

  it('the care team reads statistics only under a consent naming statistics, on that basis', () => {
    const toCare = recordedConsent('consent-c', { kind: 'agency', agencyId: CARE }, { purposes: ['statistics'] });
    expect(
      reasons(
        ask({
          actor: cw('user-care', CARE),
          agency: core('victim-services'),
          consents: state(toCare),
          purpose: 'statistics',
        }),
      ),
    ).toEqual([
      { kind: 'consent', consentId: 'consent-c', version: 1 },
      NS,
      { kind: 'consent', consentId: 'consent-c', version: 1 },
    ]);
  });
});

describe('validity window and revocation', () => {
  const consent = recordedConsent('consent-1', toB);
  it.each([
    ['one instant before validFrom', '2025-02-28T23:59:59.999Z', FUT],
    ['exactly at validFrom', '2025-03-01T00:00:00.000Z', 'permit'],
    ['one instant before validUntil', '2026-02-28T23:59:59.999Z', 'permit'],
    ['exactly at validUntil', '2026-03-01T00:00:00.000Z', EXP],
  ])('%s → %s', (_, iso, expected) => {
    const [needs] = decideAccess(ask({ consents: state(consent), sections: ['needs'], at: new Date(iso) })).sections;
    expect(needs.decision === 'permit' ? 'permit' : needs.reason).toBe(expected);
  });

  it('a revocation takes effect on the very next read', () => {
    expect(decideAccess(ask({ consents: state(consent), sections: ['needs'] })).outcome).toBe('permitted');
    const revoked: ConsentEvent = {
      type: 'ConsentRevoked',
      data: { consentId: 'consent-1', version: 1, method: 'verbal', revokedBy: by, revokedAt: AT.toISOString() },
    };
    expect(reasons(ask({ consents: state(consent, revoked), sections: ['needs'] }))).toEqual([REV]);
    // A revoked consent stays revoked even when asked about a moment before the revocation.
    expect(
      reasons(
        ask({ consents: state(consent, revoked), sections: ['needs'], at: new Date('2025-04-01T00:00:00.000Z') }),
      ),
    ).toEqual([REV]);
  });
});

describe('exclusions', () => {
  const consent = recordedConsent('consent-1', toB);
  const lifted = (exclusionId: string): ConsentEvent => ({
    type: 'ExclusionLifted',
    data: { exclusionId, method: 'verbal', liftedBy: by, liftedAt: '2025-05-01T00:00:00.000Z' },
  });

  it('an exclusion recorded after a consent overrides it; lifting it restores the consent', () => {
    const x = exclusion('exclusion-1', { kind: 'agency', agencyId: 'agency-b' });
    expect(reasons(ask({ consents: state(consent, x), sections: ['needs'] }))).toEqual([XA]);
    expect(reasons(ask({ consents: state(consent, x, lifted('exclusion-1')), sections: ['needs'] }))).toEqual([
      { kind: 'consent', consentId: 'consent-1', version: 1 },
    ]);
  });

  it('an agency excluded from the care team loses the care-team reading', () => {
    const x = exclusion('exclusion-1', { kind: 'agency', agencyId: CARE });
    expect(
      reasons(
        ask({
          actor: cw('user-care', CARE),
          agency: core('victim-services'),
          consents: state(x),
          sections: ['health'],
        }),
      ),
    ).toEqual([XA]);
  });

  it('the most specific exclusion is reported: staff, then agency, then sector', () => {
    const all = [
      exclusion('x-sector', { kind: 'sector', sector: 'shelter' }),
      exclusion('x-agency', { kind: 'agency', agencyId: 'agency-b' }),
      exclusion('x-staff', { kind: 'staff', userId: 'user-b' }),
    ];
    expect(reasons(ask({ consents: state(consent, ...all), sections: ['needs'] }))).toEqual([XU]);
    expect(reasons(ask({ consents: state(consent, ...all, lifted('x-staff')), sections: ['needs'] }))).toEqual([XA]);
    expect(
      reasons(ask({ consents: state(consent, ...all, lifted('x-staff'), lifted('x-agency')), sections: ['needs'] })),
    ).toEqual([XS]);
  });

  it('an ineligible agency is reported before its exclusion', () => {
    const x = exclusion('exclusion-1', { kind: 'agency', agencyId: 'agency-b' });
    expect(
      reasons(
        ask({
          agency: { status: 'suspended', tier: 'core', sector: 'shelter' },
          consents: state(consent, x),
          sections: ['needs'],
        }),
      ),
    ).toEqual([NE]);
  });
});

describe('who is eligible at all', () => {
  const consent = recordedConsent('consent-1', toB);

  it.each<[string, AccessAgency]>([
    ['an applicant', { status: 'applicant', tier: null, sector: 'shelter' }],
    ['a removed agency', { status: 'removed', tier: 'core', sector: 'shelter' }],
    ['an associate', { status: 'active', tier: 'associate', sector: 'shelter' }],
  ])('denies %s even with a consent naming it', (_, agency) => {
    expect(reasons(ask({ agency, consents: state(consent), sections: ['needs'] }))).toEqual([NE]);
  });

  it('denies an actor without an agency', () => {
    expect(
      reasons(
        ask({
          actor: { userId: 'user-b', agencyId: null, role: 'caseworker' },
          consents: state(consent),
          sections: ['needs'],
        }),
      ),
    ).toEqual([NE]);
  });

  it.each(['analyst', 'privacy-officer', 'agency-admin', 'network-admin', 'system', null])(
    'denies the role %s, even on the care team',
    (role) => {
      expect(reasons(ask({ actor: { ...B, role }, consents: state(consent), sections: ['needs'] }))).toEqual([
        'role-not-permitted',
      ]);
      expect(
        reasons(
          ask({
            actor: { userId: 'user-care', agencyId: CARE, role },
            agency: core('victim-services'),
            sections: ['needs'],
          }),
        ),
      ).toEqual(['role-not-permitted']);
    },
  );

  it('permits a supervisor like a caseworker', () => {
    expect(
      decideAccess(ask({ actor: { ...B, role: 'supervisor' }, consents: state(consent), sections: ['needs'] })).outcome,
    ).toBe('permitted');
  });

  it('counts only the named workers as the care team when careTeam.userIds is given', () => {
    const team = { agencyIds: [CARE], userIds: ['user-care'] };
    const colleague = cw('user-colleague', CARE);
    expect(
      reasons(ask({ actor: colleague, agency: core('victim-services'), careTeam: team, sections: ['needs'] })),
    ).toEqual([NO]);
    expect(
      reasons(
        ask({ actor: cw('user-care', CARE), agency: core('victim-services'), careTeam: team, sections: ['needs'] }),
      ),
    ).toEqual([{ kind: 'care-team' }]);
  });

  it('denies a purpose or section it does not know, even to the care team', () => {
    const care = { actor: cw('user-care', CARE), agency: core('victim-services') };
    expect(reasons(ask({ ...care, purpose: 'curiosity' as Purpose, sections: ['needs'] }))).toEqual([NP]);
    expect(reasons(ask({ ...care, sections: ['diary' as Section] }))).toEqual([NS]);
  });
});

describe('several consents naming the reader', () => {
  it('prefers a consent naming the agency over one naming its sector', () => {
    const sector = recordedConsent('consent-sector', { kind: 'sector', sector: 'shelter' });
    const agency = recordedConsent('consent-agency', toB);
    expect(reasons(ask({ consents: state(sector, agency), sections: ['needs'] }))).toEqual([
      { kind: 'consent', consentId: 'consent-agency', version: 1 },
    ]);
  });

  it('permits when any one consent permits, and otherwise reports the nearest miss', () => {
    const expired = recordedConsent('consent-old', toB, {
      ...WINDOWS.expired,
      sections: ['identity', 'health', 'needs'],
    });
    const narrow = recordedConsent('consent-new', toB, { sections: ['needs'] });
    // needs: consent-new permits; health: consent-old covered it but expired; identity: same.
    expect(reasons(ask({ consents: state(expired, narrow) }))).toEqual([
      { kind: 'consent', consentId: 'consent-new', version: 1 },
      EXP,
      EXP,
    ]);
    // For a purpose neither names: purpose-not-permitted.
    expect(reasons(ask({ consents: state(expired, narrow), purpose: 'safety-planning' }))).toEqual([NP, NP, NP]);
  });
});

describe('outcome', () => {
  it('is denied when no section is asked for', () => {
    expect(decideAccess(ask({ sections: [] }))).toEqual({ outcome: 'denied', sections: [] });
  });
});
