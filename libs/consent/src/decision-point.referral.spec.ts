import { fold } from '@harbour/event-store';
import { consentDecider } from './consent.decider.js';
import type { ConsentEvent, RecordedBy } from './consent.events.js';
import { type AccessActor, type CareTeamReferral, decideAccess, type DenyReason } from './decision-point.js';
import type { Section } from './sections.js';
import { type Purpose } from '@harbour/vocabulary';

// The referral relation (rule 4b), as its own table next to decision-point.spec.ts: the survivor's
// care team is agency-care; consent-1 names the receiving agency agency-r for `referral` and
// `investigation`, for identity, health and needs, then is amended (version 2) to drop health.
// Referral r-1 to agency-r is bound to consent-1.

const AT = new Date('2025-06-01T12:00:00.000Z');
const CARE = 'agency-care';
const R = 'agency-r';
const by: RecordedBy = { userId: 'user-care', agencyId: CARE };
const cw = (userId: string, agencyId: string): AccessActor => ({ userId, agencyId, role: 'caseworker' });
const shelter = { status: 'active', tier: 'core', sector: 'shelter' } as const;

const WINDOWS = {
  active: { validFrom: '2025-03-01T00:00:00.000Z', validUntil: '2026-03-01T00:00:00.000Z' },
  expired: { validFrom: '2024-03-01T00:00:00.000Z', validUntil: '2025-03-01T00:00:00.000Z' },
  'not-yet-valid': { validFrom: '2025-09-01T00:00:00.000Z', validUntil: '2026-09-01T00:00:00.000Z' },
  revoked: { validFrom: '2025-03-01T00:00:00.000Z', validUntil: '2026-03-01T00:00:00.000Z' },
} as const;
type ConsentCase = 'none' | keyof typeof WINDOWS;

function consentHistory(state: ConsentCase): ConsentEvent[] {
  if (state === 'none') return [];
  const terms = {
    ...WINDOWS[state],
    purposes: ['referral', 'investigation'] as Purpose[],
    method: 'written' as const,
    language: 'en',
  };
  const events: ConsentEvent[] = [
    {
      type: 'ConsentRecorded',
      data: {
        consentId: 'consent-1',
        version: 1,
        recipient: { kind: 'agency', agencyId: R },
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
  if (state === 'revoked')
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
  return events;
}

const referral = (status: CareTeamReferral['status'], userId: string | null): CareTeamReferral => ({
  referralId: 'r-1',
  agencyId: R,
  userId,
  consentId: 'consent-1',
  status,
});
const staffExclusion: ConsentEvent = {
  type: 'ExclusionRecorded',
  data: {
    exclusionId: 'x-1',
    target: { kind: 'staff', userId: 'tess' },
    method: 'verbal',
    language: 'en',
    recordedBy: by,
    recordedAt: '2025-04-01T00:00:00.000Z',
  },
};

const RELATIONS = {
  // The worker assigned on acceptance.
  assignee: { actor: cw('tess', R), referrals: [referral('accepted', 'tess')], exclusions: [] },
  // Same receiving agency, not assigned.
  colleague: { actor: cw('tom', R), referrals: [referral('accepted', 'tess')], exclusions: [] },
  // Requested or acknowledged: the receiving agency has the notice only.
  pending: { actor: cw('tess', R), referrals: [referral('pending', null)], exclusions: [] },
  // Withdrawn, declined, expired, or closed without engagement.
  ended: { actor: cw('tess', R), referrals: [referral('ended', 'tess')], exclusions: [] },
  // The survivor excluded the assignee by name: the exclusion wins.
  'excluded-assignee': {
    actor: cw('tess', R),
    referrals: [referral('accepted', 'tess')],
    exclusions: [staffExclusion],
  },
  // The care team is not affected by the referrals it made.
  'care-team': { actor: cw('user-care', CARE), referrals: [referral('accepted', 'tess')], exclusions: [] },
} satisfies Record<string, { actor: AccessActor; referrals: CareTeamReferral[]; exclusions: ConsentEvent[] }>;
type Relation = keyof typeof RELATIONS;

// Columns: needs (consented), health (dropped by the amendment), identity (consented).
// RF = permitted on basis `referral` (r-1, consent-1 version 2); CT = care team; K = consent-1.
type Expected = 'RF' | 'CT' | 'K' | DenyReason;
type Row = [Expected, Expected, Expected];
const RF = 'RF';
const CT = 'CT';
const K = 'K';
const NO: DenyReason = 'no-consent';
const EXP: DenyReason = 'consent-expired';
const FUT: DenyReason = 'consent-not-yet-valid';
const REV: DenyReason = 'consent-revoked';
const NP: DenyReason = 'purpose-not-permitted';
const NS: DenyReason = 'section-not-consented';
const RNA: DenyReason = 'referral-not-accepted';
const RE: DenyReason = 'referral-ended';
const XU: DenyReason = 'excluded-staff';
const all = (e: Expected): Row => [e, e, e];

const EXPECTED: Record<Relation, Record<ConsentCase, Record<Purpose, Row>>> = {
  assignee: {
    // A bound consent that cannot be found counts as revoked.
    none: {
      referral: all(REV),
      'care-coordination': all(REV),
      'safety-planning': all(REV),
      investigation: all(NO),
      statistics: all(NO),
      'impact-story': all(NO),
    },
    active: {
      referral: [RF, NS, RF],
      'care-coordination': [RF, NS, RF],
      'safety-planning': [RF, NS, RF],
      investigation: [K, NS, K],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    expired: {
      referral: [EXP, NS, EXP],
      'care-coordination': [EXP, NS, EXP],
      'safety-planning': [EXP, NS, EXP],
      investigation: [EXP, NS, EXP],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    'not-yet-valid': {
      referral: [FUT, NS, FUT],
      'care-coordination': [FUT, NS, FUT],
      'safety-planning': [FUT, NS, FUT],
      investigation: [FUT, NS, FUT],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    revoked: {
      referral: [REV, NS, REV],
      'care-coordination': [REV, NS, REV],
      'safety-planning': [REV, NS, REV],
      investigation: [REV, NS, REV],
      statistics: all(NP),
      'impact-story': all(NP),
    },
  },
  colleague: {
    none: {
      referral: all(RNA),
      'care-coordination': all(RNA),
      'safety-planning': all(RNA),
      investigation: all(NO),
      statistics: all(NO),
      'impact-story': all(NO),
    },
    active: {
      referral: all(RNA),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [K, NS, K],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    expired: {
      referral: all(RNA),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [EXP, NS, EXP],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    'not-yet-valid': {
      referral: all(RNA),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [FUT, NS, FUT],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    revoked: {
      referral: all(RNA),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [REV, NS, REV],
      statistics: all(NP),
      'impact-story': all(NP),
    },
  },
  pending: {
    none: {
      referral: all(RNA),
      'care-coordination': all(RNA),
      'safety-planning': all(RNA),
      investigation: all(NO),
      statistics: all(NO),
      'impact-story': all(NO),
    },
    active: {
      referral: all(RNA),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [K, NS, K],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    expired: {
      referral: all(RNA),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [EXP, NS, EXP],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    'not-yet-valid': {
      referral: all(RNA),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [FUT, NS, FUT],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    revoked: {
      referral: all(RNA),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [REV, NS, REV],
      statistics: all(NP),
      'impact-story': all(NP),
    },
  },
  ended: {
    none: {
      referral: all(RE),
      'care-coordination': all(RE),
      'safety-planning': all(RE),
      investigation: all(NO),
      statistics: all(NO),
      'impact-story': all(NO),
    },
    active: {
      referral: all(RE),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [K, NS, K],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    expired: {
      referral: all(RE),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [EXP, NS, EXP],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    'not-yet-valid': {
      referral: all(RE),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [FUT, NS, FUT],
      statistics: all(NP),
      'impact-story': all(NP),
    },
    revoked: {
      referral: all(RE),
      'care-coordination': all(NP),
      'safety-planning': all(NP),
      investigation: [REV, NS, REV],
      statistics: all(NP),
      'impact-story': all(NP),
    },
  },
  'excluded-assignee': {
    none: {
      referral: all(XU),
      'care-coordination': all(XU),
      'safety-planning': all(XU),
      investigation: all(XU),
      statistics: all(XU),
      'impact-story': all(XU),
    },
    active: {
      referral: all(XU),
      'care-coordination': all(XU),
      'safety-planning': all(XU),
      investigation: all(XU),
      statistics: all(XU),
      'impact-story': all(XU),
    },
    expired: {
      referral: all(XU),
      'care-coordination': all(XU),
      'safety-planning': all(XU),
      investigation: all(XU),
      statistics: all(XU),
      'impact-story': all(XU),
    },
    'not-yet-valid': {
      referral: all(XU),
      'care-coordination': all(XU),
      'safety-planning': all(XU),
      investigation: all(XU),
      statistics: all(XU),
      'impact-story': all(XU),
    },
    revoked: {
      referral: all(XU),
      'care-coordination': all(XU),
      'safety-planning': all(XU),
      investigation: all(XU),
      statistics: all(XU),
      'impact-story': all(XU),
    },
  },
  'care-team': {
    none: {
      referral: all(CT),
      'care-coordination': all(CT),
      'safety-planning': all(CT),
      investigation: all(NO),
      statistics: all(NO),
      'impact-story': all(NO),
    },
    active: {
      referral: all(CT),
      'care-coordination': all(CT),
      'safety-planning': all(CT),
      investigation: all(NO),
      statistics: all(NO),
      'impact-story': all(NO),
    },
    expired: {
      referral: all(CT),
      'care-coordination': all(CT),
      'safety-planning': all(CT),
      investigation: all(NO),
      statistics: all(NO),
      'impact-story': all(NO),
    },
    'not-yet-valid': {
      referral: all(CT),
      'care-coordination': all(CT),
      'safety-planning': all(CT),
      investigation: all(NO),
      statistics: all(NO),
      'impact-story': all(NO),
    },
    revoked: {
      referral: all(CT),
      'care-coordination': all(CT),
      'safety-planning': all(CT),
      investigation: all(NO),
      statistics: all(NO),
      'impact-story': all(NO),
    },
  },
};

const SECTIONS_ASKED: Section[] = ['needs', 'health', 'identity'];
const expectation = (section: Section, e: Expected) =>
  e === RF
    ? {
        section,
        decision: 'permit',
        basis: { kind: 'referral', referralId: 'r-1', consentId: 'consent-1', version: 2 },
      }
    : e === CT
      ? { section, decision: 'permit', basis: { kind: 'care-team' } }
      : e === K
        ? { section, decision: 'permit', basis: { kind: 'consent', consentId: 'consent-1', version: 2 } }
        : { section, decision: 'deny', reason: e };

const ROWS = Object.entries(EXPECTED).flatMap(([relation, byState]) =>
  Object.entries(byState).flatMap(([state, byPurpose]) =>
    Object.entries(byPurpose).map(
      ([purpose, row]) => [relation as Relation, state as ConsentCase, purpose as Purpose, row] as const,
    ),
  ),
);

describe('decideAccess, referral relation: relation × consent state × purpose × section', () => {
  it('covers every combination: 6 relations × 5 consent states × 6 purposes', () => {
    expect(ROWS).toHaveLength(6 * 5 * 6);
  });

  it.each(ROWS)('%s, consent %s, for %s → [needs, health, identity] = %j', (relation, state, purpose, row) => {
    const r = RELATIONS[relation];
    const consents = fold(consentDecider, [...consentHistory(state), ...r.exclusions]);
    const agency =
      relation === 'care-team' ? ({ status: 'active', tier: 'core', sector: 'victim-services' } as const) : shelter;
    const decision = decideAccess({
      actor: r.actor,
      agency,
      careTeam: { agencyIds: [CARE], referrals: r.referrals },
      consents,
      sections: SECTIONS_ASKED,
      purpose,
      at: AT,
    });
    const permits = row.filter((e) => e === RF || e === CT || e === K).length;
    expect(decision).toEqual({
      outcome: permits === 3 ? 'permitted' : permits === 0 ? 'denied' : 'partial',
      sections: SECTIONS_ASKED.map((s, i) => expectation(s, row[i])),
    });
  });

  it('without referrals (callers that do not pass them) the relation does not exist: consent alone decides, as before', () => {
    const consents = fold(consentDecider, consentHistory('active'));
    const decision = decideAccess({
      actor: cw('tess', R),
      agency: shelter,
      careTeam: { agencyIds: [CARE] },
      consents,
      sections: SECTIONS_ASKED,
      purpose: 'referral',
      at: AT,
    });
    expect(decision.sections.map((s) => (s.decision === 'permit' ? s.basis.kind : s.reason))).toEqual([
      'consent',
      NS,
      'consent',
    ]);
  });

  it('a referral to another agency does not reach this one', () => {
    const consents = fold(consentDecider, consentHistory('active'));
    const other: CareTeamReferral = { ...referral('accepted', 'tess'), agencyId: 'agency-other' };
    const decision = decideAccess({
      actor: cw('tess', R),
      agency: shelter,
      careTeam: { agencyIds: [CARE], referrals: [other] },
      consents,
      sections: ['needs'],
      purpose: 'care-coordination',
      at: AT,
    });
    expect(decision.sections).toEqual([{ section: 'needs', decision: 'deny', reason: NP }]);
  });
});
