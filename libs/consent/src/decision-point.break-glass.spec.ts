import { fold } from '@harbour/event-store';
import { consentDecider } from './consent.decider.js';
import type { ConsentEvent, RecordedBy } from './consent.events.js';
import {
  type AccessActor,
  type AccessAgency,
  type BreakGlassGrant,
  decideAccess,
  type DenyReason,
} from './decision-point.js';
import type { Section } from './sections.js';
import { type Purpose } from '@harbour/vocabulary';

// Rule 6 of the decision point, as a table: who holds an open break-glass grant × what stands in
// the way × purpose. BG = permitted on basis break-glass; K = consent still wins (rule 5 first).

const AT = new Date('2025-06-01T12:00:00.000Z');
const by: RecordedBy = { userId: 'user-care', agencyId: 'agency-care' };
const SUP = 'user-sup';
const grant: BreakGlassGrant = {
  grantId: 'grant-1',
  userId: SUP,
  openedAt: '2025-06-01T10:00:00.000Z',
  expiresAt: '2025-06-01T14:00:00.000Z',
};
const sup = (over: Partial<AccessActor> = {}): AccessActor => ({
  userId: SUP,
  agencyId: 'agency-b',
  role: 'supervisor',
  ...over,
});
const core: AccessAgency = { status: 'active', tier: 'core', sector: 'shelter' };

const consentToB: ConsentEvent = {
  type: 'ConsentRecorded',
  data: {
    consentId: 'consent-1',
    version: 1,
    recipient: { kind: 'agency', agencyId: 'agency-b' },
    sections: ['needs'],
    purposes: ['referral'],
    validFrom: '2025-03-01T00:00:00.000Z',
    validUntil: '2026-03-01T00:00:00.000Z',
    method: 'verbal',
    language: 'en',
    recordedBy: by,
    recordedAt: '2025-02-01T00:00:00.000Z',
  },
};
const exclude = (target: Extract<ConsentEvent, { type: 'ExclusionRecorded' }>['data']['target']): ConsentEvent => ({
  type: 'ExclusionRecorded',
  data: {
    exclusionId: 'x-1',
    target,
    method: 'verbal',
    language: 'en',
    recordedBy: by,
    recordedAt: '2025-04-01T00:00:00.000Z',
  },
});

const SITUATIONS = {
  'no consent': { actor: sup(), agency: core, events: [] as ConsentEvent[] },
  'consent for needs (referral)': { actor: sup(), agency: core, events: [consentToB] },
  'agency excluded': { actor: sup(), agency: core, events: [exclude({ kind: 'agency', agencyId: 'agency-b' })] },
  'sector excluded': { actor: sup(), agency: core, events: [exclude({ kind: 'sector', sector: 'shelter' })] },
  'supervisor excluded by name': { actor: sup(), agency: core, events: [exclude({ kind: 'staff', userId: SUP })] },
  'associate agency': { actor: sup(), agency: { ...core, tier: 'associate' as const }, events: [] },
  'suspended agency': { actor: sup(), agency: { ...core, status: 'suspended' as const }, events: [] },
  'removed agency': { actor: sup(), agency: { ...core, status: 'removed' as const }, events: [] },
  'acting as caseworker': { actor: sup({ role: 'caseworker' }), agency: core, events: [] },
  "someone else's grant": { actor: sup({ userId: 'user-other' }), agency: core, events: [] },
};
type Situation = keyof typeof SITUATIONS;

const BG = 'BG';
const K = 'K';
type Cell = typeof BG | typeof K | DenyReason;
// Columns: needs, health (sections asked for).
const NO: DenyReason = 'no-consent';
const NE: DenyReason = 'agency-not-eligible';
const NP: DenyReason = 'purpose-not-permitted';
const EXPECTED: Record<Situation, Record<Purpose, [Cell, Cell]>> = {
  'no consent': {
    referral: [BG, BG],
    'care-coordination': [BG, BG],
    'safety-planning': [BG, BG],
    investigation: [NO, NO],
    statistics: [NO, NO],
    'impact-story': [NO, NO],
  },
  'consent for needs (referral)': {
    referral: [K, BG],
    'care-coordination': [BG, BG],
    'safety-planning': [BG, BG],
    investigation: [NP, NP],
    statistics: [NP, NP],
    'impact-story': [NP, NP],
  },
  'agency excluded': {
    referral: ['excluded-agency', 'excluded-agency'],
    'care-coordination': ['excluded-agency', 'excluded-agency'],
    'safety-planning': ['excluded-agency', 'excluded-agency'],
    investigation: ['excluded-agency', 'excluded-agency'],
    statistics: ['excluded-agency', 'excluded-agency'],
    'impact-story': ['excluded-agency', 'excluded-agency'],
  },
  'sector excluded': {
    referral: ['excluded-sector', 'excluded-sector'],
    'care-coordination': ['excluded-sector', 'excluded-sector'],
    'safety-planning': ['excluded-sector', 'excluded-sector'],
    investigation: ['excluded-sector', 'excluded-sector'],
    statistics: ['excluded-sector', 'excluded-sector'],
    'impact-story': ['excluded-sector', 'excluded-sector'],
  },
  'supervisor excluded by name': {
    referral: ['excluded-staff', 'excluded-staff'],
    'care-coordination': ['excluded-staff', 'excluded-staff'],
    'safety-planning': ['excluded-staff', 'excluded-staff'],
    investigation: ['excluded-staff', 'excluded-staff'],
    statistics: ['excluded-staff', 'excluded-staff'],
    'impact-story': ['excluded-staff', 'excluded-staff'],
  },
  'associate agency': {
    referral: [NE, NE],
    'care-coordination': [NE, NE],
    'safety-planning': [NE, NE],
    investigation: [NE, NE],
    statistics: [NE, NE],
    'impact-story': [NE, NE],
  },
  'suspended agency': {
    referral: [NE, NE],
    'care-coordination': [NE, NE],
    'safety-planning': [NE, NE],
    investigation: [NE, NE],
    statistics: [NE, NE],
    'impact-story': [NE, NE],
  },
  'removed agency': {
    referral: [NE, NE],
    'care-coordination': [NE, NE],
    'safety-planning': [NE, NE],
    investigation: [NE, NE],
    statistics: [NE, NE],
    'impact-story': [NE, NE],
  },
  'acting as caseworker': {
    referral: [NO, NO],
    'care-coordination': [NO, NO],
    'safety-planning': [NO, NO],
    investigation: [NO, NO],
    statistics: [NO, NO],
    'impact-story': [NO, NO],
  },
  "someone else's grant": {
    referral: [NO, NO],
    'care-coordination': [NO, NO],
    'safety-planning': [NO, NO],
    investigation: [NO, NO],
    statistics: [NO, NO],
    'impact-story': [NO, NO],
  },
};

const ASKED: Section[] = ['needs', 'health'];
const ROWS = Object.entries(EXPECTED).flatMap(([situation, byPurpose]) =>
  Object.entries(byPurpose).map(([purpose, row]) => [situation as Situation, purpose as Purpose, row] as const),
);

describe('decideAccess rule 6: break-glass, situation × purpose × section', () => {
  it('covers 10 situations × 6 purposes', () => expect(ROWS).toHaveLength(60));

  it.each(ROWS)('%s, for %s → [needs, health] = %j', (situation, purpose, row) => {
    const s = SITUATIONS[situation];
    const decision = decideAccess({
      actor: s.actor,
      agency: s.agency,
      careTeam: { agencyIds: ['agency-care'] },
      consents: fold(consentDecider, s.events),
      sections: ASKED,
      purpose,
      at: AT,
      breakGlass: grant,
    });
    expect(decision.sections).toEqual(
      ASKED.map((section, i) =>
        row[i] === BG
          ? { section, decision: 'permit', basis: { kind: 'break-glass', grantId: 'grant-1' } }
          : row[i] === K
            ? { section, decision: 'permit', basis: { kind: 'consent', consentId: 'consent-1', version: 1 } }
            : { section, decision: 'deny', reason: row[i] },
      ),
    );
  });
});

describe('break-glass is time-boxed', () => {
  const ask = (at: string, breakGlass: BreakGlassGrant | null = grant) =>
    decideAccess({
      actor: sup(),
      agency: core,
      careTeam: { agencyIds: [] },
      consents: fold(consentDecider, []),
      sections: ['safety'],
      purpose: 'safety-planning',
      at: new Date(at),
      breakGlass,
    }).outcome;

  it.each([
    ['one instant before it opened', '2025-06-01T09:59:59.999Z', 'denied'],
    ['when it opened', '2025-06-01T10:00:00.000Z', 'permitted'],
    ['one instant before it expires', '2025-06-01T13:59:59.999Z', 'permitted'],
    ['when it expires', '2025-06-01T14:00:00.000Z', 'denied'],
  ])('%s → %s', (_, at, outcome) => expect(ask(at)).toBe(outcome));

  it('no grant (closed, or never opened) → the default deny', () =>
    expect(ask('2025-06-01T12:00:00.000Z', null)).toBe('denied'));

  it('the care team keeps its own basis: break-glass is only the last resort', () => {
    const d = decideAccess({
      actor: sup({ agencyId: 'agency-care' }),
      agency: core,
      careTeam: { agencyIds: ['agency-care'] },
      consents: fold(consentDecider, []),
      sections: ['safety'],
      purpose: 'safety-planning',
      at: AT,
      breakGlass: { ...grant },
    });
    expect(d.sections[0]).toEqual({ section: 'safety', decision: 'permit', basis: { kind: 'care-team' } });
  });
});
