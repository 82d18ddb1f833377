import type { Decider, DecisionContext } from '@harbour/event-store';
import { type Actor, DomainError, type ErrorExtras, type ErrorSpec, type FieldProblem } from '@harbour/kernel';
import { ATTENDEE_ROLES, type ReferralCommand } from './referral.commands.js';
import {
  DECLINE_REASONS,
  type DeclineReason,
  INTRODUCTION_MODES,
  type IntroductionMode,
  OUTCOMES,
  type ReferralEvent,
  type ReferralNotice,
  type ReferralOutcome,
} from './referral.events.js';
import { ReferralErrors as E } from './errors.js';
import { URGENCIES, type Urgency, NEED_CATEGORIES, type NeedCategory, type Sector } from '@harbour/vocabulary';

export const REFERRAL_STATES = [
  'requested',
  'acknowledged',
  'accepted',
  'declined',
  'introduction-scheduled',
  'handoff-completed',
  'closed',
  'withdrawn',
  'expired',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATES)[number];

export interface Referral {
  status: ReferralStatus;
  referralId: string;
  survivorId: string;
  fromAgencyId: string;
  toAgencyId: string;
  toSector: Sector;
  requestedBy: string;
  needs: NeedCategory[];
  urgency: Urgency;
  note: string;
  notice: ReferralNotice;
  consentId: string;
  consentVersion: number;
  respondBy: string;
  assignedCaseworkerId: string | null;
  declineReason: DeclineReason | null;
  introduction: { at: string; mode: IntroductionMode; attendees: string[] } | null;
  /** Agencies that confirmed the handoff. */
  handoffConfirmedBy: string[];
  outcome: ReferralOutcome | null;
}

export type ReferralState = { status: 'none' } | Referral;

/** The longest note; it must say why, never who. */
export const NOTE_MAX = 280;
const WORKERS = ['caseworker', 'supervisor'];
const SYSTEM = 'system';

const refuse = (spec: ErrorSpec, extras?: ErrorExtras) => DomainError.of(spec, extras);

/** 409 with the current state: the action is not a transition from here. */
const illegal = (state: Referral, action: string) =>
  refuse(E.illegalTransition, {
    message: `A referral that is ${state.status} cannot be ${action}`,
    details: { currentState: state.status },
  });

/** Which side of the referral the actor works for (they must be a caseworker or supervisor). */
function sideOf(actor: Actor, state: Referral): 'from' | 'to' {
  if (!actor.role || !WORKERS.includes(actor.role)) throw refuse(E.notAWorker);
  if (actor.agencyId === state.fromAgencyId) return 'from';
  if (actor.agencyId === state.toAgencyId) return 'to';
  throw refuse(E.notAParty);
}

function receiving(actor: Actor, state: Referral, action: string): void {
  if (sideOf(actor, state) !== 'to')
    throw refuse(E.notTheReceivingAgency, { message: `Only the receiving agency can ${action} a referral` });
}

type Cmd<T extends ReferralCommand['type']> = Extract<ReferralCommand, { type: T }>;

function request(c: Cmd<'RequestReferral'>, { actor, now }: DecisionContext): ReferralEvent[] {
  if (!actor.role || !WORKERS.includes(actor.role) || !actor.agencyId)
    throw refuse(E.notAWorker, { message: 'Only caseworkers and supervisors make referrals' });
  const f = c.facts;
  if (!f.requesterOnCareTeam) throw refuse(E.notOnCareTeam);
  const problems: FieldProblem[] = [];
  if (!Array.isArray(c.needs) || c.needs.length === 0)
    problems.push({ field: 'needs', problem: 'must name at least one need' });
  else
    c.needs.forEach(
      (n, i) =>
        NEED_CATEGORIES.includes(n) ||
        problems.push({ field: `needs.${i}`, problem: `must be one of ${NEED_CATEGORIES.join(', ')}` }),
    );
  if (!URGENCIES.includes(c.urgency))
    problems.push({ field: 'urgency', problem: `must be one of ${URGENCIES.join(', ')}` });
  if (typeof c.note !== 'string' || c.note.length > NOTE_MAX)
    problems.push({ field: 'note', problem: `must be at most ${NOTE_MAX} characters` });
  if (c.toAgencyId === actor.agencyId) problems.push({ field: 'toAgencyId', problem: 'must be another agency' });
  if (problems.length) throw refuse(E.invalidReferral, { fields: problems });

  const agency = f.receivingAgency;
  if (agency.status !== 'active' || agency.tier !== 'core' || !agency.sector) {
    throw refuse(E.receivingAgencyNotEligible, {
      fields: [{ field: 'toAgencyId', problem: 'must be an active core member agency' }],
    });
  }
  // Exclusions are the survivor's "never": they win over everything, so they are checked first.
  if (f.exclusion) {
    throw refuse(E.referralExcluded, {
      message: `The survivor has excluded this ${f.exclusion === 'agency' ? 'agency' : "agency's sector"}`,
      details: { excluded: f.exclusion },
    });
  }
  if (f.servedNeeds.length === 0 || f.responseWindowHours === null) {
    throw refuse(E.noServiceForNeeds, {
      fields: [{ field: 'needs', problem: 'the receiving agency has no service for any of them' }],
    });
  }
  if (!f.consent) {
    throw refuse(E.noReferralConsent, {
      details: {
        purpose: 'referral',
        reason: f.consentMiss ?? 'no-consent',
      },
    });
  }
  const respondBy = new Date(now.getTime() + f.responseWindowHours * 3_600_000).toISOString();
  return [
    {
      type: 'ReferralRequested',
      data: {
        referralId: c.referralId,
        survivorId: c.survivorId,
        fromAgencyId: actor.agencyId,
        toAgencyId: c.toAgencyId,
        toSector: agency.sector,
        requestedBy: actor.userId,
        needs: c.needs,
        urgency: c.urgency,
        note: c.note,
        consentId: f.consent.consentId,
        consentVersion: f.consent.version,
        notice: c.notice,
        respondBy,
      },
    },
  ];
}

function decideOn(
  command: Exclude<ReferralCommand, { type: 'RequestReferral' }>,
  s: Referral,
  { actor, now }: DecisionContext,
): ReferralEvent[] {
  const referralId = s.referralId;
  switch (command.type) {
    case 'AcknowledgeReferral':
      receiving(actor, s, 'acknowledge');
      if (s.status !== 'requested') throw illegal(s, 'acknowledged');
      return [{ type: 'ReferralAcknowledged', data: { referralId, by: actor.userId } }];
    case 'AcceptReferral': {
      receiving(actor, s, 'accept');
      if (s.status !== 'acknowledged') throw illegal(s, 'accepted');
      const a = command.assignee;
      if (!a) throw refuse(E.staffNotFound);
      if (a.agencyId !== s.toAgencyId || !a.roles.some((r) => WORKERS.includes(r))) {
        throw refuse(E.assigneeNotEligible, {
          fields: [
            { field: 'assignedCaseworkerId', problem: 'must be a caseworker or supervisor of the receiving agency' },
          ],
        });
      }
      if (!a.active) throw refuse(E.staffDeactivated);
      if (a.excluded)
        throw refuse(E.referralExcluded, {
          message: `The survivor has excluded ${a.excluded === 'staff' ? 'this worker' : a.excluded === 'agency' ? 'this agency' : "this agency's sector"}`,
          details: { excluded: a.excluded },
        });
      return [{ type: 'ReferralAccepted', data: { referralId, by: actor.userId, assignedCaseworkerId: a.userId } }];
    }
    case 'DeclineReferral':
      receiving(actor, s, 'decline');
      if (!DECLINE_REASONS.includes(command.reason)) {
        throw refuse(E.invalidReferral, {
          message: 'The decline has invalid fields',
          fields: [{ field: 'reason', problem: `must be one of ${DECLINE_REASONS.join(', ')}` }],
        });
      }
      if (s.status !== 'acknowledged') throw illegal(s, 'declined');
      return [{ type: 'ReferralDeclined', data: { referralId, by: actor.userId, reason: command.reason } }];
    case 'ScheduleIntroduction': {
      sideOf(actor, s);
      const problems: FieldProblem[] = [];
      if (typeof command.at !== 'string' || Number.isNaN(Date.parse(command.at)))
        problems.push({ field: 'at', problem: 'must be a date-time' });
      if (!INTRODUCTION_MODES.includes(command.mode))
        problems.push({ field: 'mode', problem: `must be one of ${INTRODUCTION_MODES.join(', ')}` });
      if (!Array.isArray(command.attendees) || command.attendees.length === 0)
        problems.push({ field: 'attendees', problem: 'must name who will attend' });
      else {
        command.attendees.forEach((a, i) => {
          const staffOf = command.staffAgencies?.[a];
          const known =
            (ATTENDEE_ROLES as readonly string[]).includes(a) || staffOf === s.fromAgencyId || staffOf === s.toAgencyId;
          if (!known)
            problems.push({
              field: `attendees.${i}`,
              problem: `must be a staff member of either agency, or one of ${ATTENDEE_ROLES.join(', ')}`,
            });
        });
      }
      if (problems.length)
        throw refuse(E.invalidReferral, { message: 'The introduction has invalid fields', fields: problems });
      if (s.status !== 'accepted' && s.status !== 'introduction-scheduled') throw illegal(s, 'given an introduction');
      const at = new Date(command.at).toISOString();
      return [
        {
          type: 'IntroductionScheduled',
          data: { referralId, by: actor.userId, at, mode: command.mode, attendees: command.attendees },
        },
      ];
    }
    case 'ConfirmHandoff': {
      sideOf(actor, s);
      if (s.status !== 'introduction-scheduled') throw illegal(s, 'handed off');
      const agencyId = actor.agencyId!;
      if (s.handoffConfirmedBy.includes(agencyId))
        throw refuse(E.handoffAlreadyConfirmed, { details: { currentState: s.status } });
      const events: ReferralEvent[] = [{ type: 'HandoffConfirmed', data: { referralId, by: actor.userId, agencyId } }];
      const confirmed = new Set([...s.handoffConfirmedBy, agencyId]);
      if (confirmed.has(s.fromAgencyId) && confirmed.has(s.toAgencyId))
        events.push({ type: 'HandoffCompleted', data: { referralId } });
      return events;
    }
    case 'CloseReferral':
      sideOf(actor, s);
      if (!OUTCOMES.includes(command.outcome)) {
        throw refuse(E.invalidReferral, {
          message: 'The closure has invalid fields',
          fields: [{ field: 'outcome', problem: `must be one of ${OUTCOMES.join(', ')}` }],
        });
      }
      if (s.status !== 'handoff-completed') throw illegal(s, 'closed');
      return [{ type: 'ReferralClosed', data: { referralId, by: actor.userId, outcome: command.outcome } }];
    case 'WithdrawReferral':
      sideOf(actor, s);
      if (['closed', 'declined', 'withdrawn', 'expired'].includes(s.status)) throw illegal(s, 'withdrawn');
      return [{ type: 'ReferralWithdrawn', data: { referralId, by: actor.userId, agencyId: actor.agencyId! } }];
    case 'ExpireReferral':
      if (actor.role !== SYSTEM) throw refuse(E.notTheSystem);
      if (s.status !== 'requested') throw illegal(s, 'expired');
      if (now.getTime() < Date.parse(s.respondBy))
        throw refuse(E.notYetDue, { details: { currentState: s.status, respondBy: s.respondBy } });
      return [{ type: 'ReferralExpired', data: { referralId } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** A warm referral (stream `referral-<id>`): requested → acknowledged → accepted | declined → … → closed; withdrawn; expired. */
export const referralDecider: Decider<ReferralState, ReferralCommand, ReferralEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, context) {
    if (command.type === 'RequestReferral') {
      if (state.status !== 'none') throw refuse(E.referralExists, { details: { currentState: state.status } });
      return request(command, context);
    }
    if (state.status === 'none') throw refuse(E.referralNotFound);
    return decideOn(command, state, context);
  },

  evolve(state, event) {
    if (event.type === 'ReferralRequested') {
      const d = event.data;
      return {
        status: 'requested',
        referralId: d.referralId,
        survivorId: d.survivorId,
        fromAgencyId: d.fromAgencyId,
        toAgencyId: d.toAgencyId,
        toSector: d.toSector,
        requestedBy: d.requestedBy,
        needs: d.needs,
        urgency: d.urgency,
        note: d.note,
        notice: d.notice,
        consentId: d.consentId,
        consentVersion: d.consentVersion,
        respondBy: d.respondBy,
        assignedCaseworkerId: null,
        declineReason: null,
        introduction: null,
        handoffConfirmedBy: [],
        outcome: null,
      };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'ReferralAcknowledged':
        return { ...state, status: 'acknowledged' };
      case 'ReferralAccepted':
        return { ...state, status: 'accepted', assignedCaseworkerId: event.data.assignedCaseworkerId };
      case 'ReferralDeclined':
        return { ...state, status: 'declined', declineReason: event.data.reason };
      case 'IntroductionScheduled':
        return {
          ...state,
          status: 'introduction-scheduled',
          introduction: { at: event.data.at, mode: event.data.mode, attendees: event.data.attendees },
        };
      case 'HandoffConfirmed':
        return { ...state, handoffConfirmedBy: [...state.handoffConfirmedBy, event.data.agencyId] };
      case 'HandoffCompleted':
        return { ...state, status: 'handoff-completed' };
      case 'ReferralClosed':
        return { ...state, status: 'closed', outcome: event.data.outcome };
      case 'ReferralWithdrawn':
        return { ...state, status: 'withdrawn' };
      case 'ReferralExpired':
        return { ...state, status: 'expired' };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};
