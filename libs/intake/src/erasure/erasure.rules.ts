import { AuditErrors } from '@harbour/audit';
import { type Actor, DomainError } from '@harbour/kernel';
import { SECTIONS, type Section } from '@harbour/consent';
import { IntakeErrors as E } from '../errors.js';
import type { IntakeCommand, IntakeEvent, IntakeState } from '../record/intake.decider.js';
import type { ErasureEvent } from './erasure.events.js';

type Open = Extract<IntakeState, { status: 'open' }>;
type Of<T extends IntakeCommand['type']> = Extract<IntakeCommand, { type: T }>;

/** The sections that still hold content (erasing an empty section is not a change). */
const held = (state: Open, sections: readonly Section[]) => sections.filter((s) => state.sections[s] !== undefined);

/** A care-team worker records the request; nothing is erased until a privacy officer approves. */
export function requestErasure(command: Of<'RequestErasure'>, state: Open, actor: Actor): IntakeEvent[] {
  const { requestId, scope, obtainedHow } = command;
  if (state.erasures?.[requestId]) throw DomainError.of(E.erasureRequestExists);
  const sections = scope === 'record' ? [...SECTIONS] : [...new Set(command.sections)];
  if (scope === 'sections' && held(state, sections).length === 0) throw DomainError.of(E.nothingToErase);
  return [
    {
      type: 'ErasureRequested',
      data: { requestId, scope, sections, obtainedHow, requestedBy: actor.userId, agencyId: actor.agencyId! },
    },
  ];
}

/**
 * A privacy officer of an agency on the care team, or a network privacy officer, approves or
 * refuses a pending request. Approval carries it out in the same append: the whole record
 * (RecordErased; the handler then destroys the data key) or each listed section still holding
 * content (SectionErased).
 */
export function decideErasure(command: Of<'DecideErasure'>, state: IntakeState, actor: Actor): IntakeEvent[] {
  if (actor.role !== 'privacy-officer' && actor.role !== 'network-privacy-officer')
    throw DomainError.of(AuditErrors.notAPrivacyOfficer);
  if (state.status === 'none') throw DomainError.of(E.intakeNotFound);
  if (actor.role === 'privacy-officer' && !(actor.agencyId && state.careTeamAgencyIds.includes(actor.agencyId)))
    throw DomainError.of(E.notOfficerOfCareTeam);
  const request = state.erasures?.[command.requestId];
  if (!request) throw DomainError.of(E.erasureRequestNotFound);
  if (request.status !== 'pending') throw DomainError.of(E.erasureAlreadyDecided);
  const { requestId } = command;
  const by = { decidedBy: actor.userId, agencyId: actor.agencyId };
  if (!command.approve) return [{ type: 'ErasureRefused', data: { requestId, reason: command.reason, ...by } }];
  const approved: ErasureEvent = { type: 'ErasureApproved', data: { requestId, reason: command.reason, ...by } };
  if (request.scope === 'record') return [approved, { type: 'RecordErased', data: { requestId } }];
  return [
    approved,
    ...held(state, request.sections).map((section): ErasureEvent => ({
      type: 'SectionErased',
      data: { section, cause: 'request', requestId },
    })),
  ];
}

/** The retention job (a system actor) erases each expired section that still holds content. */
export function decideExpiry(command: Of<'ExpireSections'>, state: IntakeState, actor: Actor): IntakeEvent[] {
  if (actor.role !== 'system') throw DomainError.of(E.notAWorker);
  if (state.status === 'none') throw DomainError.of(E.intakeNotFound);
  const due = command.expiries.filter((e) => state.sections[e.section] !== undefined);
  if (due.length === 0) throw DomainError.of(E.nothingToErase);
  return due.flatMap(({ section, inactiveSince, retentionDays }): ErasureEvent[] => [
    { type: 'SectionRetentionExpired', data: { section, inactiveSince, retentionDays } },
    { type: 'SectionErased', data: { section, cause: 'retention', requestId: null } },
  ]);
}
