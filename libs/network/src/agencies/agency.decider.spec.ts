import { fold, given, type DecisionContext } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import type { AgencyCommand, PeerStanding } from './agency.commands.js';
import { agencyDecider } from './agency.decider.js';
import type { AgencyEvent, RemovalVote } from './agency.events.js';

// --- fixtures: fixed time, synthetic agencies and users --------------------------------------

const NOW = '2025-03-01T12:00:00.000Z';
const SUBJECT = 'agency-subject'; // the agency whose stream is under test
const [A, B, C, D, E] = ['agency-a', 'agency-b', 'agency-c', 'agency-d', 'agency-e'];

const adminOf = (agencyId: string): Actor => ({ userId: `user-admin-${agencyId}`, agencyId, role: 'agency-admin' });
const caseworkerOf = (agencyId: string): Actor => ({ userId: `user-cw-${agencyId}`, agencyId, role: 'caseworker' });
const networkAdmin: Actor = { userId: 'user-network-admin', agencyId: null, role: 'network-admin' };
const at = (iso: string, actor: Actor): DecisionContext => ({ now: new Date(iso), actor });
const ctx = (actor: Actor) => at(NOW, actor);

const core = (agencyId: string): PeerStanding => ({ agencyId, status: 'active', tier: 'core' });
const standing = (agencyId: string, status: PeerStanding['status'], tier: PeerStanding['tier']): PeerStanding => ({
  agencyId,
  status,
  tier,
});

const applied: AgencyEvent = {
  type: 'AgencyApplied',
  data: {
    agencyId: SUBJECT,
    name: 'Synthetic Shelter Society',
    sector: 'shelter',
    regions: ['on-toronto'],
    contact: { name: 'Synthetic Contact', email: 'membership@example.org' },
    requestedTier: 'core',
  },
};
const bootstrapped: AgencyEvent = {
  type: 'AgencyAdmitted',
  data: { tier: 'core', via: 'bootstrap', admittedBy: networkAdmin.userId },
};
const member = [applied, bootstrapped];
const suspendedMember: AgencyEvent[] = [...member, { type: 'AgencySuspended', data: { reason: 'Unpaid dues' } }];

const scenario = (...history: AgencyEvent[]) => given(agencyDecider, history);

// Motion `motion-1`: tabled at NOW with 48 h notice and 72 h of voting.
const MOTION = 'motion-1';
const OPENS = '2025-03-03T12:00:00.000Z';
const DURING = '2025-03-04T12:00:00.000Z';
const CLOSES = '2025-03-06T12:00:00.000Z';
const tabled = (eligibleVoters: string[]): AgencyEvent[] => [
  {
    type: 'RemovalMotionTabled',
    data: {
      motionId: MOTION,
      tabledBy: A,
      reasons: ['Shared data without consent'],
      eligibleVoters,
      votingOpensAt: OPENS,
      votingClosesAt: CLOSES,
    },
  },
  { type: 'AgencyNotifiedOfRemovalMotion', data: { motionId: MOTION, notifiedAt: NOW } },
];
const voted = (agencyId: string, vote: RemovalVote): AgencyEvent => ({
  type: 'RemovalVoteCast',
  data: { motionId: MOTION, voterAgencyId: agencyId, vote },
});
const castVote = (agencyId: string, vote: RemovalVote, voter = core(agencyId)): AgencyCommand => ({
  type: 'CastRemovalVote',
  motionId: MOTION,
  voter,
  vote,
});
/** A member agency under motion-1 with these eligible voters and these votes already cast. */
const underMotion = (voters: string[], ...votes: AgencyEvent[]) => scenario(...member, ...tabled(voters), ...votes);
const carried = (votesFor: number, votesAgainst: number, eligible: number): AgencyEvent[] => [
  { type: 'RemovalMotionCarried', data: { motionId: MOTION, votesFor, votesAgainst, eligible } },
  { type: 'AgencyRemoved', data: { motionId: MOTION } },
];
const failed = (votesFor: number, votesAgainst: number, eligible: number): AgencyEvent[] => [
  { type: 'RemovalMotionFailed', data: { motionId: MOTION, votesFor, votesAgainst, eligible } },
];

// --- application -------------------------------------------------------------------------------

describe('applying for membership', () => {
  const apply = (over: Partial<Extract<AgencyCommand, { type: 'ApplyForMembership' }>> = {}): AgencyCommand => ({
    type: 'ApplyForMembership',
    agencyId: SUBJECT,
    name: 'Synthetic Shelter Society',
    sector: 'shelter',
    regions: ['on-toronto'],
    contact: { name: 'Synthetic Contact', email: 'membership@example.org' },
    requestedTier: 'core',
    ...over,
  });

  it('records the application on a new stream', () => {
    scenario().when(apply(), ctx(networkAdmin)).then([applied]);
  });

  it('keeps an optional phone when given', () => {
    const contact = { name: 'Synthetic Contact', email: 'membership@example.org', phone: '+1 555 0100' };
    scenario()
      .when(apply({ contact }), ctx(networkAdmin))
      .then([{ ...applied, data: { ...applied.data, contact } }]);
  });

  it('is refused on an existing stream', () => {
    scenario(applied).when(apply(), ctx(networkAdmin)).thenThrows('agency-exists', 'conflict');
  });

  it('names every invalid field', () => {
    const error = scenario()
      .when(apply({ name: ' ', regions: [], contact: { name: '', email: 'nope' } }), ctx(networkAdmin))
      .thenThrows('invalid-application', 'invalid');
    expect(error.fields.map((f) => f.field)).toEqual(['name', 'regions', 'contact.name', 'contact.email']);
  });

  it('leaves other commands nothing to act on before an application', () => {
    scenario()
      .when({ type: 'SuspendAgency', reason: 'x' }, ctx(networkAdmin))
      .thenThrows('agency-not-found', 'not-found');
  });
});

// --- endorsement -------------------------------------------------------------------------------

describe('endorsing an application', () => {
  const endorse = (endorser: PeerStanding): AgencyCommand => ({ type: 'EndorseApplication', endorser });
  const endorsedBy = (agencyId: string): AgencyEvent => ({
    type: 'AgencyEndorsed',
    data: { endorserAgencyId: agencyId, endorsedBy: `user-admin-${agencyId}` },
  });

  it('records a first endorsement by an active core agency', () => {
    scenario(applied)
      .when(endorse(core(A)), ctx(adminOf(A)))
      .then([endorsedBy(A)]);
  });

  it('admits at the requested tier on a second endorsement by a different agency', () => {
    const events = scenario(applied, endorsedBy(A))
      .when(endorse(core(B)), ctx(adminOf(B)))
      .then([endorsedBy(B), { type: 'AgencyAdmitted', data: { tier: 'core', via: 'endorsements' } }]);
    expect(fold(agencyDecider, [applied, endorsedBy(A), ...events])).toMatchObject({ status: 'active', tier: 'core' });
  });

  it('admits an associate applicant as an associate', () => {
    const associate: AgencyEvent = {
      type: 'AgencyApplied',
      data: { ...(applied.data as object), requestedTier: 'associate' },
    } as AgencyEvent;
    scenario(associate, endorsedBy(A))
      .when(endorse(core(B)), ctx(adminOf(B)))
      .then([endorsedBy(B), { type: 'AgencyAdmitted', data: { tier: 'associate', via: 'endorsements' } }]);
  });

  it('refuses a second endorsement by the same agency', () => {
    scenario(applied, endorsedBy(A))
      .when(endorse(core(A)), ctx(adminOf(A)))
      .thenThrows('already-endorsed', 'conflict');
  });

  it.each([
    ['an associate', standing(A, 'active', 'associate')],
    ['an applicant', standing(A, 'applicant', 'core')],
    ['a suspended agency', standing(A, 'suspended', 'core')],
    ['a removed agency', standing(A, 'removed', 'core')],
  ])('refuses an endorsement by %s', (_, endorser) => {
    scenario(applied)
      .when(endorse(endorser), ctx(adminOf(A)))
      .thenThrows('endorser-not-active-core', 'forbidden');
  });

  it('refuses the applicant endorsing itself', () => {
    scenario(applied)
      .when(endorse(core(SUBJECT)), ctx(adminOf(SUBJECT)))
      .thenThrows('self-endorsement', 'forbidden');
  });

  it('refuses a user without the agency-admin role', () => {
    scenario(applied)
      .when(endorse(core(A)), ctx(caseworkerOf(A)))
      .thenThrows('not-agency-admin', 'forbidden');
  });

  it("refuses an admin endorsing in another agency's name", () => {
    scenario(applied)
      .when(endorse(core(A)), ctx(adminOf(B)))
      .thenThrows('not-acting-for-agency', 'forbidden');
  });

  it('refuses to endorse an agency that is not an applicant', () => {
    scenario(...member)
      .when(endorse(core(A)), ctx(adminOf(A)))
      .thenThrows('not-an-applicant', 'conflict');
  });
});

// --- bootstrap ---------------------------------------------------------------------------------

describe('bootstrap admission by a network admin', () => {
  const admit = (activeCoreAgencies: number): AgencyCommand => ({ type: 'AdmitByNetworkAdmin', activeCoreAgencies });

  it.each([0, 1])('admits while the network has %i active core agencies', (count) => {
    scenario(applied).when(admit(count), ctx(networkAdmin)).then([bootstrapped]);
  });

  it('is refused once the network has 2 active core agencies (endorsement is then required)', () => {
    scenario(applied).when(admit(2), ctx(networkAdmin)).thenThrows('bootstrap-closed', 'conflict');
  });

  it('is refused for anyone but a network admin', () => {
    scenario(applied)
      .when(admit(0), ctx(adminOf(A)))
      .thenThrows('not-network-admin', 'forbidden');
  });

  it('is refused for an agency that is not an applicant', () => {
    scenario(...member)
      .when(admit(0), ctx(networkAdmin))
      .thenThrows('not-an-applicant', 'conflict');
  });

  it('refuses a nonsensical count', () => {
    scenario(applied).when(admit(-1), ctx(networkAdmin)).thenThrows('invalid-active-core-count', 'invalid');
  });
});

// --- suspension --------------------------------------------------------------------------------

describe('suspending and reinstating', () => {
  it('suspends an active agency', () => {
    scenario(...member)
      .when({ type: 'SuspendAgency', reason: 'Unpaid dues' }, ctx(networkAdmin))
      .then([suspendedMember[2]]);
  });

  it('reinstates a suspended agency', () => {
    scenario(...suspendedMember)
      .when({ type: 'ReinstateAgency', reason: 'Dues paid' }, ctx(networkAdmin))
      .then([{ type: 'AgencyReinstated', data: { reason: 'Dues paid' } }]);
  });

  it.each(['', '   '])('requires a non-empty reason (%j)', (reason) => {
    scenario(...member)
      .when({ type: 'SuspendAgency', reason }, ctx(networkAdmin))
      .thenThrows('reason-required', 'invalid');
    scenario(...suspendedMember)
      .when({ type: 'ReinstateAgency', reason }, ctx(networkAdmin))
      .thenThrows('reason-required', 'invalid');
  });

  it('is for network admins only', () => {
    scenario(...member)
      .when({ type: 'SuspendAgency', reason: 'x' }, ctx(adminOf(A)))
      .thenThrows('not-network-admin', 'forbidden');
    scenario(...suspendedMember)
      .when({ type: 'ReinstateAgency', reason: 'x' }, ctx(adminOf(A)))
      .thenThrows('not-network-admin', 'forbidden');
  });

  it('suspends only active agencies and reinstates only suspended ones', () => {
    scenario(applied)
      .when({ type: 'SuspendAgency', reason: 'x' }, ctx(networkAdmin))
      .thenThrows('agency-not-active', 'conflict');
    scenario(...suspendedMember)
      .when({ type: 'SuspendAgency', reason: 'x' }, ctx(networkAdmin))
      .thenThrows('agency-not-active', 'conflict');
    scenario(...member)
      .when({ type: 'ReinstateAgency', reason: 'x' }, ctx(networkAdmin))
      .thenThrows('agency-not-suspended', 'conflict');
  });
});

// --- tabling a removal motion ------------------------------------------------------------------

describe('tabling a removal motion', () => {
  const table = (over: Partial<Extract<AgencyCommand, { type: 'TableRemovalMotion' }>> = {}): AgencyCommand => ({
    type: 'TableRemovalMotion',
    motionId: MOTION,
    tabler: core(A),
    reasons: ['Shared data without consent'],
    eligibleVoters: [A, B, C],
    noticePeriodHours: 48,
    votingPeriodHours: 72,
    ...over,
  });

  it('tables the motion, excludes the agency in question from the voters, and notifies it before voting opens', () => {
    const events = scenario(...member)
      .when(table({ eligibleVoters: [A, SUBJECT, B, C] }), ctx(adminOf(A)))
      .then(tabled([A, B, C]));
    // The notice is the second event, dated NOW, two days before votingOpensAt.
    expect(events.map((e) => e.type)).toEqual(['RemovalMotionTabled', 'AgencyNotifiedOfRemovalMotion']);
    expect(NOW < OPENS).toBe(true);
  });

  it('may target a suspended agency', () => {
    scenario(...suspendedMember)
      .when(table(), ctx(adminOf(A)))
      .then(tabled([A, B, C]));
  });

  it('is refused against an applicant', () => {
    scenario(applied)
      .when(table(), ctx(adminOf(A)))
      .thenThrows('agency-not-member', 'conflict');
  });

  it('is refused against itself', () => {
    scenario(...member)
      .when(table({ tabler: core(SUBJECT) }), ctx(adminOf(SUBJECT)))
      .thenThrows('self-removal-motion', 'forbidden');
  });

  it.each([
    ['an associate', standing(A, 'active', 'associate')],
    ['a suspended agency', standing(A, 'suspended', 'core')],
  ])('is refused when tabled by %s', (_, tabler) => {
    scenario(...member)
      .when(table({ tabler }), ctx(adminOf(A)))
      .thenThrows('tabler-not-active-core', 'forbidden');
  });

  it('is refused for a user without the agency-admin role', () => {
    scenario(...member)
      .when(table(), ctx(caseworkerOf(A)))
      .thenThrows('not-agency-admin', 'forbidden');
  });

  it('allows only one open motion at a time', () => {
    underMotion([A, B, C])
      .when(table({ motionId: 'motion-2', tabler: core(B) }), ctx(adminOf(B)))
      .thenThrows('motion-already-open', 'conflict');
  });

  it('allows a new motion once the previous one failed, under a new id', () => {
    const history = [...member, ...tabled([A, B]), voted(A, 'against'), ...failed(0, 1, 2)];
    scenario(...history)
      .when(table({ motionId: 'motion-2' }), ctx(adminOf(A)))
      .then([
        {
          type: 'RemovalMotionTabled',
          data: {
            motionId: 'motion-2',
            tabledBy: A,
            reasons: ['Shared data without consent'],
            eligibleVoters: [A, B, C],
            votingOpensAt: OPENS,
            votingClosesAt: CLOSES,
          },
        },
        { type: 'AgencyNotifiedOfRemovalMotion', data: { motionId: 'motion-2', notifiedAt: NOW } },
      ]);
    scenario(...history)
      .when(table(), ctx(adminOf(A)))
      .thenThrows('motion-id-taken', 'conflict');
  });

  it('is refused when no eligible voter remains', () => {
    scenario(...member)
      .when(table({ eligibleVoters: [SUBJECT] }), ctx(adminOf(A)))
      .thenThrows('no-eligible-voters', 'conflict');
  });

  it('needs reasons and positive periods', () => {
    scenario(...member)
      .when(table({ reasons: [] }), ctx(adminOf(A)))
      .thenThrows('invalid-motion', 'invalid');
    scenario(...member)
      .when(table({ reasons: [' '] }), ctx(adminOf(A)))
      .thenThrows('invalid-motion', 'invalid');
    scenario(...member)
      .when(table({ noticePeriodHours: 0 }), ctx(adminOf(A)))
      .thenThrows('invalid-motion', 'invalid');
    scenario(...member)
      .when(table({ votingPeriodHours: -1 }), ctx(adminOf(A)))
      .thenThrows('invalid-motion', 'invalid');
  });
});

// --- vote arithmetic: threshold = floor(n/2) + 1 of ELIGIBLE voters ------------------------------
// Outcomes are written out by hand: carried as soon as 'for' reaches the threshold, failed as soon
// as 'against' exceeds n - threshold.

describe('votes with 2 eligible voters (2 for needed; 1 against fails)', () => {
  const voters = [A, B];
  it('one for is not enough', () => {
    underMotion(voters)
      .when(castVote(A, 'for'), at(DURING, adminOf(A)))
      .then([voted(A, 'for')]);
  });
  it('two for carry and remove', () => {
    underMotion(voters, voted(A, 'for'))
      .when(castVote(B, 'for'), at(DURING, adminOf(B)))
      .then([voted(B, 'for'), ...carried(2, 0, 2)]);
  });
  it('a single against fails at once', () => {
    underMotion(voters)
      .when(castVote(A, 'against'), at(DURING, adminOf(A)))
      .then([voted(A, 'against'), ...failed(0, 1, 2)]);
  });
});

describe('votes with 3 eligible voters (2 for needed; 2 against fail)', () => {
  const voters = [A, B, C];
  it('two for carry', () => {
    underMotion(voters, voted(A, 'for'))
      .when(castVote(B, 'for'), at(DURING, adminOf(B)))
      .then([voted(B, 'for'), ...carried(2, 0, 3)]);
  });
  it('one for and one against is undecided', () => {
    underMotion(voters, voted(A, 'for'))
      .when(castVote(B, 'against'), at(DURING, adminOf(B)))
      .then([voted(B, 'against')]);
  });
  it('then a second for carries 2–1', () => {
    underMotion(voters, voted(A, 'for'), voted(B, 'against'))
      .when(castVote(C, 'for'), at(DURING, adminOf(C)))
      .then([voted(C, 'for'), ...carried(2, 1, 3)]);
  });
  it('then a second against fails 1–2', () => {
    underMotion(voters, voted(A, 'for'), voted(B, 'against'))
      .when(castVote(C, 'against'), at(DURING, adminOf(C)))
      .then([voted(C, 'against'), ...failed(1, 2, 3)]);
  });
  it('two against fail with one voter still to vote', () => {
    underMotion(voters, voted(A, 'against'))
      .when(castVote(B, 'against'), at(DURING, adminOf(B)))
      .then([voted(B, 'against'), ...failed(0, 2, 3)]);
  });
});

describe('votes with 4 eligible voters (3 for needed; 2 against fail)', () => {
  const voters = [A, B, C, D];
  it('two for are not enough', () => {
    underMotion(voters, voted(A, 'for'))
      .when(castVote(B, 'for'), at(DURING, adminOf(B)))
      .then([voted(B, 'for')]);
  });
  it('three for carry', () => {
    underMotion(voters, voted(A, 'for'), voted(B, 'for'))
      .when(castVote(C, 'for'), at(DURING, adminOf(C)))
      .then([voted(C, 'for'), ...carried(3, 0, 4)]);
  });
  it('2 for then 1 against is undecided', () => {
    underMotion(voters, voted(A, 'for'), voted(B, 'for'))
      .when(castVote(C, 'against'), at(DURING, adminOf(C)))
      .then([voted(C, 'against')]);
  });
  it('2 for + 2 against fails at the second against (3 for can no longer be reached)', () => {
    underMotion(voters, voted(A, 'for'), voted(B, 'for'), voted(C, 'against'))
      .when(castVote(D, 'against'), at(DURING, adminOf(D)))
      .then([voted(D, 'against'), ...failed(2, 2, 4)]);
  });
  it('two against fail after only two votes', () => {
    underMotion(voters, voted(A, 'against'))
      .when(castVote(B, 'against'), at(DURING, adminOf(B)))
      .then([voted(B, 'against'), ...failed(0, 2, 4)]);
  });
  it('1 against then 3 for carries 3–1', () => {
    underMotion(voters, voted(A, 'against'), voted(B, 'for'), voted(C, 'for'))
      .when(castVote(D, 'for'), at(DURING, adminOf(D)))
      .then([voted(D, 'for'), ...carried(3, 1, 4)]);
  });
});

describe('votes with 5 eligible voters (3 for needed; 3 against fail)', () => {
  const voters = [A, B, C, D, E];
  const twoForOneAgainst = [voted(A, 'for'), voted(B, 'for'), voted(C, 'against')];
  it('three for carry', () => {
    underMotion(voters, voted(A, 'for'), voted(B, 'for'))
      .when(castVote(C, 'for'), at(DURING, adminOf(C)))
      .then([voted(C, 'for'), ...carried(3, 0, 5)]);
  });
  it('two against are not enough to fail', () => {
    underMotion(voters, voted(A, 'against'))
      .when(castVote(B, 'against'), at(DURING, adminOf(B)))
      .then([voted(B, 'against')]);
  });
  it('three against fail', () => {
    underMotion(voters, voted(A, 'against'), voted(B, 'against'))
      .when(castVote(C, 'against'), at(DURING, adminOf(C)))
      .then([voted(C, 'against'), ...failed(0, 3, 5)]);
  });
  it('2–2 is undecided', () => {
    underMotion(voters, ...twoForOneAgainst)
      .when(castVote(D, 'against'), at(DURING, adminOf(D)))
      .then([voted(D, 'against')]);
  });
  it('from 2–2 the last for carries 3–2', () => {
    underMotion(voters, ...twoForOneAgainst, voted(D, 'against'))
      .when(castVote(E, 'for'), at(DURING, adminOf(E)))
      .then([voted(E, 'for'), ...carried(3, 2, 5)]);
  });
  it('from 2–2 the last against fails 2–3', () => {
    underMotion(voters, ...twoForOneAgainst, voted(D, 'against'))
      .when(castVote(E, 'against'), at(DURING, adminOf(E)))
      .then([voted(E, 'against'), ...failed(2, 3, 5)]);
  });
});

// --- who may vote, and when ---------------------------------------------------------------------

describe('casting a removal vote', () => {
  const voters = [A, B, C];

  it('refuses the agency in question', () => {
    underMotion(voters)
      .when(castVote(SUBJECT, 'against'), at(DURING, adminOf(SUBJECT)))
      .thenThrows('voter-not-eligible', 'forbidden');
  });

  it('refuses an agency that was not in the snapshot taken at tabling', () => {
    underMotion(voters)
      .when(castVote(D, 'for'), at(DURING, adminOf(D)))
      .thenThrows('voter-not-eligible', 'forbidden');
  });

  it('refuses a voter from the snapshot that is no longer active core', () => {
    underMotion(voters)
      .when(castVote(A, 'for', standing(A, 'suspended', 'core')), at(DURING, adminOf(A)))
      .thenThrows('voter-not-active-core', 'forbidden');
    underMotion(voters)
      .when(castVote(A, 'for', standing(A, 'active', 'associate')), at(DURING, adminOf(A)))
      .thenThrows('voter-not-active-core', 'forbidden');
  });

  it('refuses users who are not admins of the voting agency', () => {
    underMotion(voters)
      .when(castVote(A, 'for'), at(DURING, caseworkerOf(A)))
      .thenThrows('not-agency-admin', 'forbidden');
    underMotion(voters)
      .when(castVote(A, 'for'), at(DURING, adminOf(B)))
      .thenThrows('not-acting-for-agency', 'forbidden');
  });

  it('refuses a double vote', () => {
    underMotion(voters, voted(A, 'for'))
      .when(castVote(A, 'against'), at(DURING, adminOf(A)))
      .thenThrows('already-voted', 'conflict');
  });

  it('refuses a vote before voting opens, and accepts one exactly at opening', () => {
    underMotion(voters)
      .when(castVote(A, 'for'), at('2025-03-02T12:00:00.000Z', adminOf(A)))
      .thenThrows('voting-not-open', 'conflict');
    underMotion(voters)
      .when(castVote(A, 'for'), at(OPENS, adminOf(A)))
      .then([voted(A, 'for')]);
  });

  it('refuses a late vote at or after the close', () => {
    underMotion(voters)
      .when(castVote(A, 'for'), at(CLOSES, adminOf(A)))
      .thenThrows('voting-closed', 'conflict');
    underMotion(voters)
      .when(castVote(A, 'for'), at('2025-03-07T00:00:00.000Z', adminOf(A)))
      .thenThrows('voting-closed', 'conflict');
  });

  it('refuses a vote once the motion has failed, even inside the window', () => {
    underMotion(voters, voted(A, 'against'), voted(B, 'against'), ...failed(0, 2, 3))
      .when(castVote(C, 'for'), at(DURING, adminOf(C)))
      .thenThrows('voting-closed', 'conflict');
  });

  it('refuses a vote on an unknown motion', () => {
    underMotion(voters)
      .when({ ...castVote(A, 'for'), motionId: 'motion-x' } as AgencyCommand, at(DURING, adminOf(A)))
      .thenThrows('motion-not-found', 'not-found');
  });

  it('refuses a vote that is neither for nor against', () => {
    underMotion(voters)
      .when(castVote(A, 'abstain' as RemovalVote), at(DURING, adminOf(A)))
      .thenThrows('invalid-vote', 'invalid');
  });
});

// --- closing after the deadline -----------------------------------------------------------------

describe('closing a removal motion', () => {
  const close = (closer?: PeerStanding): AgencyCommand => ({
    type: 'CloseRemovalMotion',
    motionId: MOTION,
    ...(closer ? { closer } : {}),
  });
  const voters = [A, B, C];

  it('fails a motion short of the threshold at the deadline (network admin)', () => {
    underMotion(voters, voted(A, 'for'))
      .when(close(), at(CLOSES, networkAdmin))
      .then(failed(1, 0, 3));
  });

  it('fails a motion nobody voted on (admin of an active core agency)', () => {
    underMotion(voters)
      .when(close(core(D)), at(CLOSES, adminOf(D)))
      .then(failed(0, 0, 3));
  });

  // Votes carry a motion the moment they reach the threshold, so this history cannot come from
  // this decider; the close still decides by the counts rather than assuming a failure.
  it('carries and removes by the counts when enough for-votes stand unresolved', () => {
    underMotion(voters, voted(A, 'for'), voted(B, 'for'))
      .when(close(), at(CLOSES, networkAdmin))
      .then(carried(2, 0, 3));
  });

  it('is refused before the deadline', () => {
    underMotion(voters).when(close(), at(DURING, networkAdmin)).thenThrows('voting-still-open', 'conflict');
  });

  it('is refused once decided', () => {
    underMotion(voters, voted(A, 'against'), voted(B, 'against'), ...failed(0, 2, 3))
      .when(close(), at(CLOSES, networkAdmin))
      .thenThrows('motion-already-decided', 'conflict');
  });

  it('is refused for associates, non-admins, and admins who do not show their standing', () => {
    underMotion(voters)
      .when(close(standing(D, 'active', 'associate')), at(CLOSES, adminOf(D)))
      .thenThrows('not-allowed-to-close', 'forbidden');
    underMotion(voters)
      .when(close(core(D)), at(CLOSES, caseworkerOf(D)))
      .thenThrows('not-allowed-to-close', 'forbidden');
    underMotion(voters)
      .when(close(), at(CLOSES, adminOf(D)))
      .thenThrows('not-allowed-to-close', 'forbidden');
  });

  it('refuses an unknown motion', () => {
    underMotion(voters)
      .when({ type: 'CloseRemovalMotion', motionId: 'motion-x' }, at(CLOSES, networkAdmin))
      .thenThrows('motion-not-found', 'not-found');
  });
});

// --- a removed agency --------------------------------------------------------------------------

describe('a removed agency', () => {
  const removed = [...member, ...tabled([A, B]), voted(A, 'for'), voted(B, 'for'), ...carried(2, 0, 2)];

  it('is removed once the motion carries', () => {
    expect(fold(agencyDecider, removed)).toMatchObject({
      status: 'removed',
      motions: [{ motionId: MOTION, outcome: 'carried' }],
    });
  });

  it.each<[string, AgencyCommand, Actor]>([
    [
      'ApplyForMembership',
      {
        type: 'ApplyForMembership',
        agencyId: SUBJECT,
        name: 'n',
        sector: 'other',
        regions: ['on-toronto'],
        contact: { name: 'c', email: 'a@b.c' },
        requestedTier: 'core',
      },
      networkAdmin,
    ],
    ['EndorseApplication', { type: 'EndorseApplication', endorser: core(C) }, adminOf(C)],
    ['AdmitByNetworkAdmin', { type: 'AdmitByNetworkAdmin', activeCoreAgencies: 0 }, networkAdmin],
    ['SuspendAgency', { type: 'SuspendAgency', reason: 'x' }, networkAdmin],
    ['ReinstateAgency', { type: 'ReinstateAgency', reason: 'x' }, networkAdmin],
    [
      'TableRemovalMotion',
      {
        type: 'TableRemovalMotion',
        motionId: 'motion-2',
        tabler: core(C),
        reasons: ['x'],
        eligibleVoters: [C],
        noticePeriodHours: 1,
        votingPeriodHours: 1,
      },
      adminOf(C),
    ],
    ['CastRemovalVote', castVote(C, 'for'), adminOf(C)],
    ['CloseRemovalMotion', { type: 'CloseRemovalMotion', motionId: MOTION }, networkAdmin],
  ])('refuses %s', (_, command, actor) => {
    scenario(...removed)
      .when(command, at(DURING, actor))
      .thenThrows('agency-removed', 'conflict');
  });
});
