import type { DecisionContext, Decider } from '@harbour/event-store';
import { DomainError, type Actor, type ErrorExtras, type ErrorSpec, type FieldProblem } from '@harbour/kernel';
import { TIERS, type AgencyStatus, type Tier } from '../taxonomy.js';
import type { AgencyCommand, PeerStanding } from './agency.commands.js';
import { AgencyErrors as E } from './agency.errors.js';
import type { AgencyEvent, MotionTally, MotionTerms, RemovalVote } from './agency.events.js';
import { REGION_PATTERN, SECTORS, type Sector } from '@harbour/vocabulary';

export interface Endorsement {
  agencyId: string;
  userId: string;
}

export interface RemovalMotion extends MotionTerms {
  notifiedAt: string | null;
  votes: { agencyId: string; vote: RemovalVote }[];
  outcome: 'open' | 'carried' | 'failed';
}

export interface AgencyRecord {
  status: AgencyStatus;
  agencyId: string;
  name: string;
  sector: Sector;
  regions: string[];
  requestedTier: Tier;
  /** Set on admission. */
  tier: Tier | null;
  endorsements: Endorsement[];
  /** Every motion ever tabled, oldest first; at most one is open. */
  motions: RemovalMotion[];
}

export type AgencyState = { status: 'none' } | AgencyRecord;

export const initialAgencyState = (): AgencyState => ({ status: 'none' });

// --- errors and small rules -------------------------------------------------------------

const fail = (spec: ErrorSpec, extras?: ErrorExtras) => DomainError.of(spec, extras);

const isActiveCore = (s: PeerStanding) => s.status === 'active' && s.tier === 'core';
const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';
const HOUR_MS = 3_600_000;

/** Role and agency are checked together: the user must be an agency-admin of the agency they act for. */
function requireAdminOf(actor: Actor, agencyId: string): void {
  if (actor.role !== 'agency-admin') throw fail(E.notAgencyAdmin);
  if (actor.agencyId !== agencyId) throw fail(E.notActingForAgency);
}

function requireNetworkAdmin(actor: Actor): void {
  if (actor.role !== 'network-admin') throw fail(E.notNetworkAdmin);
}

function requireReason(reason: string): void {
  if (blank(reason)) throw fail(E.reasonRequired, { fields: [{ field: 'reason', problem: 'must not be empty' }] });
}

/** The carrying threshold is 50% + 1 of the eligible voters (not of the votes cast). */
const threshold = (eligible: number) => Math.floor(eligible / 2) + 1;

function tally(motion: RemovalMotion): MotionTally {
  const votesFor = motion.votes.filter((v) => v.vote === 'for').length;
  return {
    motionId: motion.motionId,
    votesFor,
    votesAgainst: motion.votes.length - votesFor,
    eligible: motion.eligibleVoters.length,
  };
}

/** Carried as soon as 'for' reaches the threshold; failed as soon as it no longer can, or when closed short of it. */
function outcomeEvents(motion: RemovalMotion, closing: boolean): AgencyEvent[] {
  const t = tally(motion);
  const needed = threshold(t.eligible);
  if (t.votesFor >= needed)
    return [
      { type: 'RemovalMotionCarried', data: t },
      { type: 'AgencyRemoved', data: { motionId: t.motionId } },
    ];
  if (closing || t.votesAgainst > t.eligible - needed) return [{ type: 'RemovalMotionFailed', data: t }];
  return [];
}

function findMotion(state: AgencyRecord, motionId: string): RemovalMotion {
  const motion = state.motions.find((m) => m.motionId === motionId);
  if (!motion) throw fail(E.motionNotFound);
  return motion;
}

// --- one function per command ------------------------------------------------------------

type Cmd<T extends AgencyCommand['type']> = Extract<AgencyCommand, { type: T }>;

function apply(c: Cmd<'ApplyForMembership'>): AgencyEvent[] {
  const problems: FieldProblem[] = [];
  if (blank(c.agencyId)) problems.push({ field: 'agencyId', problem: 'must not be empty' });
  if (blank(c.name)) problems.push({ field: 'name', problem: 'must not be empty' });
  if (!SECTORS.includes(c.sector)) problems.push({ field: 'sector', problem: 'must be a known sector' });
  if (!Array.isArray(c.regions) || c.regions.length === 0)
    problems.push({ field: 'regions', problem: 'must list at least one region' });
  else
    c.regions.forEach(
      (r, i) => REGION_PATTERN.test(r) || problems.push({ field: `regions.${i}`, problem: 'must be a region code' }),
    );
  if (blank(c.contact?.name)) problems.push({ field: 'contact.name', problem: 'must not be empty' });
  if (!/^[^@\s]+@[^@\s]+$/.test(c.contact?.email ?? ''))
    problems.push({ field: 'contact.email', problem: 'must be an email address' });
  if (c.contact?.phone !== undefined && blank(c.contact.phone))
    problems.push({ field: 'contact.phone', problem: 'must not be empty when given' });
  if (!TIERS.includes(c.requestedTier)) problems.push({ field: 'requestedTier', problem: 'must be core or associate' });
  if (problems.length) throw fail(E.invalidApplication, { fields: problems });

  const { name, email, phone } = c.contact;
  const contact = phone === undefined ? { name, email } : { name, email, phone }; // no `undefined` in JSON payloads
  const { agencyId, sector, regions, requestedTier } = c;
  return [
    { type: 'AgencyApplied', data: { agencyId, name: c.name, sector, regions: [...regions], contact, requestedTier } },
  ];
}

function endorse(c: Cmd<'EndorseApplication'>, state: AgencyRecord, { actor }: DecisionContext): AgencyEvent[] {
  requireAdminOf(actor, c.endorser.agencyId);
  if (c.endorser.agencyId === state.agencyId) throw fail(E.selfEndorsement);
  if (!isActiveCore(c.endorser)) throw fail(E.endorserNotActiveCore);
  if (state.status !== 'applicant') throw fail(E.notAnApplicant);
  if (state.endorsements.some((e) => e.agencyId === c.endorser.agencyId)) {
    throw fail(E.alreadyEndorsed);
  }
  const endorsed: AgencyEvent = {
    type: 'AgencyEndorsed',
    data: { endorserAgencyId: c.endorser.agencyId, endorsedBy: actor.userId },
  };
  // Endorsements are from distinct agencies (checked above), so the second one admits.
  if (state.endorsements.length + 1 < 2) return [endorsed];
  return [endorsed, { type: 'AgencyAdmitted', data: { tier: state.requestedTier, via: 'endorsements' } }];
}

function admitByNetworkAdmin(
  c: Cmd<'AdmitByNetworkAdmin'>,
  state: AgencyRecord,
  { actor }: DecisionContext,
): AgencyEvent[] {
  requireNetworkAdmin(actor);
  if (!Number.isInteger(c.activeCoreAgencies) || c.activeCoreAgencies < 0) {
    throw fail(E.invalidActiveCoreCount, {
      fields: [{ field: 'activeCoreAgencies', problem: 'must be a whole number, zero or more' }],
    });
  }
  if (state.status !== 'applicant') throw fail(E.notAnApplicant, { message: 'Only applicants can be admitted' });
  // With two active core agencies, endorsement is possible and therefore required.
  if (c.activeCoreAgencies >= 2) throw fail(E.bootstrapClosed);
  return [{ type: 'AgencyAdmitted', data: { tier: state.requestedTier, via: 'bootstrap', admittedBy: actor.userId } }];
}

function suspend(c: Cmd<'SuspendAgency'>, state: AgencyRecord, { actor }: DecisionContext): AgencyEvent[] {
  requireNetworkAdmin(actor);
  requireReason(c.reason);
  if (state.status !== 'active') throw fail(E.agencyNotActive);
  return [{ type: 'AgencySuspended', data: { reason: c.reason.trim() } }];
}

function reinstate(c: Cmd<'ReinstateAgency'>, state: AgencyRecord, { actor }: DecisionContext): AgencyEvent[] {
  requireNetworkAdmin(actor);
  requireReason(c.reason);
  if (state.status !== 'suspended') throw fail(E.agencyNotSuspended);
  return [{ type: 'AgencyReinstated', data: { reason: c.reason.trim() } }];
}

function tableMotion(
  c: Cmd<'TableRemovalMotion'>,
  state: AgencyRecord,
  { actor, now }: DecisionContext,
): AgencyEvent[] {
  requireAdminOf(actor, c.tabler.agencyId);
  if (c.tabler.agencyId === state.agencyId) throw fail(E.selfRemovalMotion);
  if (!isActiveCore(c.tabler)) throw fail(E.tablerNotActiveCore);

  const problems: FieldProblem[] = [];
  if (blank(c.motionId)) problems.push({ field: 'motionId', problem: 'must not be empty' });
  if (!Array.isArray(c.reasons) || c.reasons.length === 0 || c.reasons.some(blank))
    problems.push({ field: 'reasons', problem: 'must list at least one non-empty reason' });
  // A positive notice period is what lets the agency hear of the motion before voting opens.
  if (!(Number.isFinite(c.noticePeriodHours) && c.noticePeriodHours > 0))
    problems.push({ field: 'noticePeriodHours', problem: 'must be more than zero' });
  if (!(Number.isFinite(c.votingPeriodHours) && c.votingPeriodHours > 0))
    problems.push({ field: 'votingPeriodHours', problem: 'must be more than zero' });
  if (problems.length) throw fail(E.invalidMotion, { fields: problems });

  if (state.status !== 'active' && state.status !== 'suspended') throw fail(E.agencyNotMember);
  if (state.motions.some((m) => m.outcome === 'open')) throw fail(E.motionAlreadyOpen);
  if (state.motions.some((m) => m.motionId === c.motionId)) throw fail(E.motionIdTaken);

  // The agency in question never votes on its own removal; duplicates count once.
  const eligibleVoters = [...new Set(c.eligibleVoters)].filter((id) => id !== state.agencyId);
  if (eligibleVoters.length === 0) throw fail(E.noEligibleVoters);

  const opens = new Date(now.getTime() + c.noticePeriodHours * HOUR_MS);
  const closes = new Date(opens.getTime() + c.votingPeriodHours * HOUR_MS);
  return [
    {
      type: 'RemovalMotionTabled',
      data: {
        motionId: c.motionId,
        tabledBy: c.tabler.agencyId,
        reasons: c.reasons.map((r) => r.trim()),
        eligibleVoters,
        votingOpensAt: opens.toISOString(),
        votingClosesAt: closes.toISOString(),
      },
    },
    { type: 'AgencyNotifiedOfRemovalMotion', data: { motionId: c.motionId, notifiedAt: now.toISOString() } },
  ];
}

function castVote(c: Cmd<'CastRemovalVote'>, state: AgencyRecord, { actor, now }: DecisionContext): AgencyEvent[] {
  requireAdminOf(actor, c.voter.agencyId);
  if (c.vote !== 'for' && c.vote !== 'against') {
    throw fail(E.invalidVote, { fields: [{ field: 'vote', problem: 'must be for or against' }] });
  }
  const motion = findMotion(state, c.motionId);
  if (motion.outcome !== 'open' || now.getTime() >= Date.parse(motion.votingClosesAt)) {
    throw fail(E.votingClosed);
  }
  if (now.getTime() < Date.parse(motion.votingOpensAt)) throw fail(E.votingNotOpen);
  if (c.voter.agencyId === state.agencyId) throw fail(E.voterNotEligible);
  if (!motion.eligibleVoters.includes(c.voter.agencyId))
    throw fail(E.voterNotEligible, { message: 'This agency is not eligible to vote on this motion' });
  if (!isActiveCore(c.voter)) throw fail(E.voterNotActiveCore);
  if (motion.votes.some((v) => v.agencyId === c.voter.agencyId)) throw fail(E.alreadyVoted);

  const cast: AgencyEvent = {
    type: 'RemovalVoteCast',
    data: { motionId: c.motionId, voterAgencyId: c.voter.agencyId, vote: c.vote },
  };
  const after = { ...motion, votes: [...motion.votes, { agencyId: c.voter.agencyId, vote: c.vote }] };
  return [cast, ...outcomeEvents(after, false)];
}

function closeMotion(
  c: Cmd<'CloseRemovalMotion'>,
  state: AgencyRecord,
  { actor, now }: DecisionContext,
): AgencyEvent[] {
  const byAgencyAdmin =
    actor.role === 'agency-admin' &&
    c.closer !== undefined &&
    c.closer.agencyId === actor.agencyId &&
    isActiveCore(c.closer);
  if (actor.role !== 'network-admin' && !byAgencyAdmin) {
    throw fail(E.notAllowedToClose);
  }
  const motion = findMotion(state, c.motionId);
  if (motion.outcome !== 'open') throw fail(E.motionAlreadyDecided);
  if (now.getTime() < Date.parse(motion.votingClosesAt)) throw fail(E.votingStillOpen);
  return outcomeEvents(motion, true);
}

// --- the decider ---------------------------------------------------------------------------

function updateMotion(state: AgencyState, motionId: string, change: (m: RemovalMotion) => RemovalMotion): AgencyState {
  if (state.status === 'none') return state;
  return { ...state, motions: state.motions.map((m) => (m.motionId === motionId ? change(m) : m)) };
}

export const agencyDecider: Decider<AgencyState, AgencyCommand, AgencyEvent> = {
  initialState: initialAgencyState,

  decide(command, state, context) {
    if (state.status === 'removed') throw fail(E.agencyRemoved);
    if (command.type === 'ApplyForMembership') {
      if (state.status !== 'none') throw fail(E.agencyExists);
      return apply(command);
    }
    if (state.status === 'none') throw fail(E.agencyNotFound);
    switch (command.type) {
      case 'EndorseApplication':
        return endorse(command, state, context);
      case 'AdmitByNetworkAdmin':
        return admitByNetworkAdmin(command, state, context);
      case 'SuspendAgency':
        return suspend(command, state, context);
      case 'ReinstateAgency':
        return reinstate(command, state, context);
      case 'TableRemovalMotion':
        return tableMotion(command, state, context);
      case 'CastRemovalVote':
        return castVote(command, state, context);
      case 'CloseRemovalMotion':
        return closeMotion(command, state, context);
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${(unknown as { type: string }).type}`);
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'AgencyApplied') {
      const { agencyId, name, sector, regions, requestedTier } = event.data; // contact stays in the event only
      return {
        status: 'applicant',
        agencyId,
        name,
        sector,
        regions,
        requestedTier,
        tier: null,
        endorsements: [],
        motions: [],
      };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'AgencyEndorsed':
        return {
          ...state,
          endorsements: [
            ...state.endorsements,
            { agencyId: event.data.endorserAgencyId, userId: event.data.endorsedBy },
          ],
        };
      case 'AgencyAdmitted':
        return { ...state, status: 'active', tier: event.data.tier };
      case 'AgencySuspended':
        return { ...state, status: 'suspended' };
      case 'AgencyReinstated':
        return { ...state, status: 'active' };
      case 'RemovalMotionTabled':
        return {
          ...state,
          motions: [...state.motions, { ...event.data, notifiedAt: null, votes: [], outcome: 'open' }],
        };
      case 'AgencyNotifiedOfRemovalMotion':
        return updateMotion(state, event.data.motionId, (m) => ({ ...m, notifiedAt: event.data.notifiedAt }));
      case 'RemovalVoteCast':
        return updateMotion(state, event.data.motionId, (m) => ({
          ...m,
          votes: [...m.votes, { agencyId: event.data.voterAgencyId, vote: event.data.vote }],
        }));
      case 'RemovalMotionCarried':
        return updateMotion(state, event.data.motionId, (m) => ({ ...m, outcome: 'carried' }));
      case 'RemovalMotionFailed':
        return updateMotion(state, event.data.motionId, (m) => ({ ...m, outcome: 'failed' }));
      case 'AgencyRemoved':
        return { ...state, status: 'removed' };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};
