import type { Decider } from '@harbour/event-store';
import { DomainError, type ErrorSpec } from '@harbour/kernel';
import type { Section } from '@harbour/consent';
import type { Cipher } from '@harbour/privacy';
import { IntakeErrors as E } from '../errors.js';
import type {
  ApprovalReason,
  ErasureEvent,
  ErasureRequestState,
  ErasureScope,
  ObtainedHow,
  RefusalReason,
} from '../erasure/erasure.events.js';
import { decideErasure, decideExpiry, requestErasure } from '../erasure/erasure.rules.js';
import type { CheckInEvent, CheckInSchedule } from '../check-ins/check-in.events.js';
import { type CheckInCommand, decideCheckIn, evolveCheckIns } from '../check-ins/check-in.rules.js';

/**
 * A survivor's shared intake (stream `intake-<survivorId>`): told once, kept as events.
 * Section contents arrive already encrypted with the survivor's data key; this decider never
 * sees plaintext, only which fields changed (names, never values).
 */
export type IntakeEvent =
  | { type: 'IntakeOpened'; data: { survivorId: string; agencyId: string; openedBy: string } }
  | { type: 'IntakeSectionUpdated'; data: { section: Section; content: Cipher; changedFields: string[] } }
  | { type: 'CareTeamMemberAssigned'; data: { userId: string; agencyId: string } }
  /**
   * Referral facts mirrored onto the care team (appended by libs/referrals in the same
   * transaction as the referral's own event): which agency a referral went to and on which
   * consent, who joined on acceptance, and when it ended. The decision point reads them.
   */
  | {
      type: 'ReferralLinked';
      data: { referralId: string; agencyId: string; consentId: string; consentVersion: number };
    }
  | { type: 'ReferralMemberJoined'; data: { referralId: string; userId: string; agencyId: string } }
  | { type: 'ReferralUnlinked'; data: { referralId: string; reason: 'declined' | 'expired' | 'withdrawn' | 'closed' } }
  /**
   * A share code was redeemed (appended by libs/sharing with the code's own event): the worker
   * joins the survivor's team for the code's scope only. They read through the consent recorded
   * with it (`consentId`), never as a full care-team member, who reads every section.
   */
  | { type: 'ShareCodeMemberJoined'; data: { codeId: string; userId: string; agencyId: string; consentId: string } }
  /**
   * This intake was found to be a second record of a survivor who brought their existing record
   * with a share code (libs/sharing): it is closed, pointing to `recordId`, after the sections the
   * code's consent opened were filled from it (the IntakeSectionUpdated events just before this).
   * `filled` keeps each filled section's version before the link (null: it was empty), for unlinking.
   */
  | {
      type: 'IntakeLinked';
      data: {
        recordId: string;
        codeId: string;
        consentId: string;
        filled: Array<{ section: Section; previousVersion: number | null }>;
      };
    }
  /** The link was undone: the intake is its own record again; `removed` sections (empty before the link) are gone. */
  | { type: 'IntakeUnlinked'; data: { recordId: string; removed: Section[] } }
  | ErasureEvent
  | CheckInEvent;

/** The link of a closed duplicate to the record it duplicates. */
export interface IntakeLink {
  recordId: string;
  codeId: string;
  consentId: string;
  filled: Array<{ section: Section; previousVersion: number | null }>;
}

/** A worker who joined through a share code, bound to the consent the code recorded. */
export interface ShareCodeMember {
  codeId: string;
  userId: string;
  agencyId: string;
  consentId: string;
}

/** A referral of this survivor as the care team tracks it (see CareTeamReferral in libs/consent). */
export interface IntakeReferral {
  referralId: string;
  agencyId: string;
  userId: string | null;
  consentId: string;
  consentVersion: number;
  status: 'pending' | 'accepted' | 'ended';
}

export type IntakeCommand =
  | { type: 'OpenIntake'; survivorId: string }
  | { type: 'UpdateSection'; section: Section; content: Cipher; changedFields: string[] }
  /**
   * Close this intake as a duplicate of `recordId`, filling `fill` (sections read from it within
   * the share code's consent, encrypted for this survivor). `redeemedHere`: a share code of that
   * record was redeemed at the caller's agency (the record's ShareCodeMemberJoined, as consentId).
   */
  | {
      type: 'LinkIntake';
      recordId: string;
      fill: Array<{ section: Section; content: Cipher; changedFields: string[] }>;
      facts: { redeemedHere: { codeId: string; consentId: string } | null; recordLinked: boolean };
    }
  /** Undo the link: `restore` is each filled section's content from before it (older events of this stream). */
  | { type: 'UnlinkIntake'; restore: Array<{ section: Section; content: Cipher }> }
  /** `member` is the assigned staff member as the caller read them just now. */
  | { type: 'AssignCareTeamMember'; member: { userId: string; agencyId: string; active: boolean } }
  /** A care-team worker records the survivor's erasure request. */
  | { type: 'RequestErasure'; requestId: string; scope: ErasureScope; sections: Section[]; obtainedHow: ObtainedHow }
  /** A privacy officer (of a care-team agency, or the network's) decides it; approval carries it out. */
  | { type: 'DecideErasure'; requestId: string; approve: true; reason: ApprovalReason }
  | { type: 'DecideErasure'; requestId: string; approve: false; reason: RefusalReason }
  /** The retention job: sections whose period ran out (`inactiveSince` as the job measured it). */
  | {
      type: 'ExpireSections';
      expiries: Array<{ section: Section; inactiveSince: string; retentionDays: number }>;
    }
  /** Check-ins: the cadence the survivor agreed to, and each check-in held (libs/intake/src/check-ins). */
  | CheckInCommand;

export interface SectionEntry {
  content: Cipher;
  /** Stream version of the event that last changed it. */
  version: number;
}

export type IntakeState =
  | { status: 'none' }
  | {
      status: 'open';
      survivorId: string;
      /** Agencies working the case: the opener's first, others join through accepted referrals. */
      careTeamAgencyIds: string[];
      /** Workers assigned by name (the opener included). */
      careTeamUserIds: string[];
      sections: Partial<Record<Section, SectionEntry>>;
      /** Referrals to other agencies: their assigned workers read only what the bound consent lists. */
      referrals: IntakeReferral[];
      /** Workers who joined through a share code (they read what its consent lists). */
      shareMembers?: ShareCodeMember[];
      version: number;
      /** The whole record was erased: nothing of it may be read or written again. */
      erased?: boolean;
      /** The stream version of each section's last SectionErased (older content of it is never shown). */
      erasedAt?: Partial<Record<Section, number>>;
      /** Erasure requests by id. */
      erasures?: Record<string, ErasureRequestState>;
      /** Closed as a duplicate of another record (reads point there); null or absent: its own record. */
      link?: IntakeLink | null;
      /** The check-in cadence the survivor agreed to and the last check-in held (absent: never set). */
      checkIns?: CheckInSchedule;
    };

const WORKERS = ['caseworker', 'supervisor'];

/**
 * The care team: workers assigned by name, plus the supervisors of every agency on the team
 * (supervisors answer for their agency's whole caseload).
 */
export function onCareTeam(
  state: IntakeState,
  actor: { userId: string; agencyId: string | null; role: string | null },
): boolean {
  if (state.status !== 'open' || !actor.agencyId || !state.careTeamAgencyIds.includes(actor.agencyId)) return false;
  return state.careTeamUserIds.includes(actor.userId) || actor.role === 'supervisor';
}
const refuse = (spec: ErrorSpec) => DomainError.of(spec);

export const intakeDecider: Decider<IntakeState, IntakeCommand, IntakeEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, { actor, now }) {
    if (state.status === 'open' && state.erased) throw refuse(E.recordErased);
    if (command.type === 'DecideErasure') return decideErasure(command, state, actor);
    if (command.type === 'ExpireSections') return decideExpiry(command, state, actor);
    if (!actor.role || !WORKERS.includes(actor.role) || !actor.agencyId) {
      throw refuse(E.notAWorker);
    }
    if (command.type === 'OpenIntake') {
      if (state.status !== 'none') throw refuse(E.intakeExists);
      return [
        {
          type: 'IntakeOpened',
          data: { survivorId: command.survivorId, agencyId: actor.agencyId, openedBy: actor.userId },
        },
      ];
    }
    if (state.status === 'none') throw refuse(E.intakeNotFound);
    if (!onCareTeam(state, actor)) throw refuse(E.notOnCareTeam);
    // A closed duplicate takes no writes but its unlinking, and an erasure request (always the survivor's right).
    if (state.link && command.type !== 'UnlinkIntake' && command.type !== 'RequestErasure')
      throw refuse(E.intakeLinked);
    switch (command.type) {
      case 'LinkIntake':
        return linkIntake(command, state);
      case 'UnlinkIntake':
        return unlinkIntake(command, state);
      case 'UpdateSection':
        if (command.changedFields.length === 0) throw refuse(E.nothingChanged);
        return [
          {
            type: 'IntakeSectionUpdated',
            data: { section: command.section, content: command.content, changedFields: command.changedFields },
          },
        ];
      case 'AssignCareTeamMember': {
        const { member } = command;
        if (actor.role !== 'supervisor') throw refuse(E.notASupervisor);
        if (member.agencyId !== actor.agencyId) throw refuse(E.notOwnStaff);
        if (!member.active) throw refuse(E.staffDeactivated);
        if (state.careTeamUserIds.includes(member.userId)) throw refuse(E.alreadyOnCareTeam);
        return [{ type: 'CareTeamMemberAssigned', data: { userId: member.userId, agencyId: member.agencyId } }];
      }
      case 'RequestErasure':
        return requestErasure(command, state, actor);
      case 'ScheduleCheckIns':
      case 'RecordCheckIn':
        return decideCheckIn(command, state, { ...actor, agencyId: actor.agencyId }, now);
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${(unknown as { type: string }).type}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'IntakeOpened':
        return {
          status: 'open',
          survivorId: event.data.survivorId,
          careTeamAgencyIds: [event.data.agencyId],
          careTeamUserIds: [event.data.openedBy],
          sections: {},
          referrals: [],
          version: 0,
        };
      case 'IntakeSectionUpdated':
        if (state.status === 'none' || state.erased) return state;
        return {
          ...state,
          version: state.version + 1,
          sections: {
            ...state.sections,
            [event.data.section]: { content: event.data.content, version: state.version + 1 },
          },
        };
      case 'CareTeamMemberAssigned':
        if (state.status === 'none') return state;
        return {
          ...state,
          version: state.version + 1,
          careTeamAgencyIds: state.careTeamAgencyIds.includes(event.data.agencyId)
            ? state.careTeamAgencyIds
            : [...state.careTeamAgencyIds, event.data.agencyId],
          careTeamUserIds: [...state.careTeamUserIds, event.data.userId],
        };
      case 'ReferralLinked': {
        if (state.status === 'none') return state;
        const { referralId, agencyId, consentId, consentVersion } = event.data;
        return {
          ...state,
          version: state.version + 1,
          referrals: [
            ...(state.referrals ?? []),
            { referralId, agencyId, userId: null, consentId, consentVersion, status: 'pending' },
          ],
        };
      }
      case 'ReferralMemberJoined':
        if (state.status === 'none') return state;
        return {
          ...state,
          version: state.version + 1,
          referrals: (state.referrals ?? []).map((r) =>
            r.referralId === event.data.referralId ? { ...r, userId: event.data.userId, status: 'accepted' } : r,
          ),
        };
      case 'ReferralUnlinked':
        if (state.status === 'none') return state;
        return {
          ...state,
          version: state.version + 1,
          referrals: (state.referrals ?? []).map((r) =>
            r.referralId === event.data.referralId ? { ...r, status: 'ended' } : r,
          ),
        };
      case 'ShareCodeMemberJoined':
        if (state.status === 'none') return state;
        return { ...state, version: state.version + 1, shareMembers: [...(state.shareMembers ?? []), event.data] };
      case 'IntakeLinked':
        if (state.status === 'none') return state;
        return { ...state, version: state.version + 1, link: event.data };
      case 'IntakeUnlinked': {
        if (state.status === 'none') return state;
        const sections = { ...state.sections };
        for (const section of event.data.removed) delete sections[section];
        return { ...state, version: state.version + 1, sections, link: null };
      }
      case 'ErasureRequested':
      case 'ErasureApproved':
      case 'ErasureRefused':
      case 'SectionErased':
      case 'RecordErased':
      case 'SectionRetentionExpired':
        return state.status === 'none' ? state : evolveErasure(state, event);
      case 'CheckInScheduleSet':
      case 'CheckInRecorded':
        if (state.status === 'none') return state;
        return { ...state, version: state.version + 1, checkIns: evolveCheckIns(state.checkIns, event) };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};

type OpenIntake = Extract<IntakeState, { status: 'open' }>;

function linkIntake(command: Extract<IntakeCommand, { type: 'LinkIntake' }>, state: OpenIntake): IntakeEvent[] {
  if (command.recordId === state.survivorId) throw refuse(E.linkToItself);
  const here = command.facts.redeemedHere;
  // Only a record the survivor opened to this agency with a share code can be linked.
  if (!here) throw refuse(E.linkNeedsShareCode);
  if (command.facts.recordLinked) throw refuse(E.linkTargetLinked);
  const filled = command.fill.map((f) => ({
    section: f.section,
    previousVersion: state.sections[f.section]?.version ?? null,
  }));
  return [
    ...command.fill.map((f): IntakeEvent => ({
      type: 'IntakeSectionUpdated',
      data: { section: f.section, content: f.content, changedFields: f.changedFields },
    })),
    {
      type: 'IntakeLinked',
      data: { recordId: command.recordId, codeId: here.codeId, consentId: here.consentId, filled },
    },
  ];
}

function unlinkIntake(command: Extract<IntakeCommand, { type: 'UnlinkIntake' }>, state: OpenIntake): IntakeEvent[] {
  const link = state.link;
  if (!link) throw refuse(E.intakeNotLinked);
  const restored = new Set(command.restore.map((r) => r.section));
  return [
    ...command.restore.map((r): IntakeEvent => ({
      type: 'IntakeSectionUpdated',
      data: { section: r.section, content: r.content, changedFields: ['restored'] },
    })),
    {
      type: 'IntakeUnlinked',
      data: {
        recordId: link.recordId,
        removed: link.filled
          .filter((f) => f.previousVersion === null && !restored.has(f.section))
          .map((f) => f.section),
      },
    },
  ];
}

function evolveErasure(state: OpenIntake, event: ErasureEvent): OpenIntake {
  const version = state.version + 1;
  const erasures = state.erasures ?? {};
  switch (event.type) {
    case 'ErasureRequested': {
      const { requestId, scope, sections } = event.data;
      return { ...state, version, erasures: { ...erasures, [requestId]: { status: 'pending', scope, sections } } };
    }
    case 'ErasureApproved':
    case 'ErasureRefused': {
      const request = erasures[event.data.requestId];
      if (!request) return { ...state, version };
      const status = event.type === 'ErasureApproved' ? 'approved' : 'refused';
      return { ...state, version, erasures: { ...erasures, [event.data.requestId]: { ...request, status } } };
    }
    case 'SectionErased': {
      const sections = { ...state.sections };
      delete sections[event.data.section];
      return { ...state, version, sections, erasedAt: { ...state.erasedAt, [event.data.section]: version } };
    }
    case 'RecordErased':
      // Nothing of the content is kept in state (so in snapshots) once the record is erased.
      return { ...state, version, erased: true, sections: {} };
    case 'SectionRetentionExpired':
      return { ...state, version };
  }
}

export const intakeStream = (survivorId: string) => `intake-${survivorId}`;

/** Every intake event type; the compiler insists a new event is listed here too. */
const INTAKE_EVENTS: Record<IntakeEvent['type'], true> = {
  IntakeOpened: true,
  IntakeSectionUpdated: true,
  CareTeamMemberAssigned: true,
  ReferralLinked: true,
  ReferralMemberJoined: true,
  ReferralUnlinked: true,
  ShareCodeMemberJoined: true,
  IntakeLinked: true,
  IntakeUnlinked: true,
  ErasureRequested: true,
  ErasureApproved: true,
  ErasureRefused: true,
  SectionErased: true,
  RecordErased: true,
  SectionRetentionExpired: true,
  CheckInScheduleSet: true,
  CheckInRecorded: true,
};
export const INTAKE_EVENT_TYPES = Object.keys(INTAKE_EVENTS);
