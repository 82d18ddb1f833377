import type { DecisionContext, Decider } from '@harbour/event-store';
import { DomainError, type Actor, type ErrorExtras, type ErrorSpec, type FieldProblem } from '@harbour/kernel';
import type { ConsentCommand } from './consent.commands.js';
import { ConsentErrors as E } from './consent.errors.js';
import type { ConsentEvent, ConsentTerms, ExclusionTarget, Recipient, RecordedBy } from './consent.events.js';
import { CONSENT_METHODS, DEFAULT_CONSENT_MONTHS, SECTIONS, isSection, isWorkerRole } from './sections.js';
import { LANGUAGE_PATTERN, SECTORS, PURPOSES, isPurpose } from '@harbour/vocabulary';
import { exclusionOf } from './exclusions.js';

/** One consent as it stands now: its latest version's terms, and whether it was revoked. */
export interface ConsentRecord extends ConsentTerms {
  consentId: string;
  version: number;
  recipient: Recipient;
  status: 'in-force' | 'revoked';
  recordedBy: RecordedBy;
  recordedAt: string;
  revokedAt: string | null;
}

export interface ExclusionRecord {
  exclusionId: string;
  target: ExclusionTarget;
  status: 'in-force' | 'lifted';
  recordedAt: string;
  liftedAt: string | null;
}

/**
 * The folded `consent-<survivorId>` stream: every consent and exclusion ever recorded, oldest
 * first. Revoked consents and lifted exclusions stay (with their status) so the decision point
 * can say why access is denied and referrals can find the version they were built on.
 */
export interface ConsentState {
  consents: ConsentRecord[];
  exclusions: ExclusionRecord[];
}

export const initialConsentState = (): ConsentState => ({ consents: [], exclusions: [] });

// --- errors and small rules -------------------------------------------------------------

const fail = (spec: ErrorSpec, extras?: ErrorExtras) => DomainError.of(spec, extras);

const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';
const isInstant = (s: unknown): s is string => typeof s === 'string' && !Number.isNaN(Date.parse(s));
const iso = (s: string) => new Date(s).toISOString();

/** validFrom + n calendar months in UTC (a 29 February start rolls over to 1 March). */
function addMonths(from: string, months: number): string {
  const d = new Date(from);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
}

/**
 * Only a worker (caseworker or supervisor) of an agency on the survivor's care team records the
 * survivor's decisions. Returns the worker as recorded on the event.
 */
function requireCareTeamWorker(actor: Actor, careTeamAgencyIds: readonly string[]): RecordedBy {
  if (!isWorkerRole(actor.role)) throw fail(E.notAWorker);
  if (actor.agencyId === null || !Array.isArray(careTeamAgencyIds) || !careTeamAgencyIds.includes(actor.agencyId)) {
    throw fail(E.notOnCareTeam);
  }
  return { userId: actor.userId, agencyId: actor.agencyId };
}

/** Sections and purposes in their canonical order, each once; problems name the field. */
function listOf<T extends string>(
  field: string,
  values: unknown,
  known: readonly T[],
  isKnown: (v: unknown) => v is T,
  problems: FieldProblem[],
): T[] {
  if (!Array.isArray(values) || values.length === 0) {
    problems.push({ field, problem: 'must list at least one' });
    return [];
  }
  values.forEach(
    (v, i) => isKnown(v) || problems.push({ field: `${field}.${i}`, problem: `must be one of ${known.join(', ')}` }),
  );
  return known.filter((k) => values.includes(k));
}

function checkMethod(method: unknown, problems: FieldProblem[]): void {
  if (!(CONSENT_METHODS as readonly unknown[]).includes(method))
    problems.push({ field: 'method', problem: 'must be verbal, written or electronic' });
}

function checkLanguage(language: unknown, problems: FieldProblem[]): void {
  if (typeof language !== 'string' || !LANGUAGE_PATTERN.test(language))
    problems.push({ field: 'language', problem: 'must be a BCP 47 language tag' });
}

function checkRecipient(recipient: Recipient | undefined, problems: FieldProblem[]): void {
  if (recipient?.kind === 'agency' && !blank(recipient.agencyId)) return;
  if (recipient?.kind === 'sector' && SECTORS.includes(recipient.sector)) return;
  problems.push({ field: 'recipient', problem: 'must name one agency or a known sector' });
}

/**
 * The validity window: `validFrom` defaults to now and may not lie before `notBefore` (a
 * decision cannot be back-dated); `validUntil` defaults to validFrom + 12 months and must be later.
 */
function window(
  validFrom: string | undefined,
  validUntil: string | undefined,
  notBefore: Date,
  problems: FieldProblem[],
): { validFrom: string; validUntil: string } {
  let from = notBefore.toISOString();
  if (validFrom !== undefined) {
    if (!isInstant(validFrom)) problems.push({ field: 'validFrom', problem: 'must be a date-time' });
    else if (Date.parse(validFrom) < notBefore.getTime())
      problems.push({ field: 'validFrom', problem: 'must not be in the past' });
    else from = iso(validFrom);
  }
  let until = addMonths(from, DEFAULT_CONSENT_MONTHS);
  if (validUntil !== undefined) {
    if (!isInstant(validUntil)) problems.push({ field: 'validUntil', problem: 'must be a date-time' });
    else if (Date.parse(validUntil) <= Date.parse(from))
      problems.push({ field: 'validUntil', problem: 'must be after validFrom' });
    else until = iso(validUntil);
  }
  return { validFrom: from, validUntil: until };
}

function findConsent(state: ConsentState, consentId: string): ConsentRecord {
  const consent = state.consents.find((c) => c.consentId === consentId);
  if (!consent) throw fail(E.consentNotFound);
  return consent;
}

function findExclusion(state: ConsentState, exclusionId: string): ExclusionRecord {
  const exclusion = state.exclusions.find((x) => x.exclusionId === exclusionId);
  if (!exclusion) throw fail(E.exclusionNotFound);
  return exclusion;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

// --- one function per command ------------------------------------------------------------

type Cmd<T extends ConsentCommand['type']> = Extract<ConsentCommand, { type: T }>;

function record(c: Cmd<'RecordConsent'>, state: ConsentState, { actor, now }: DecisionContext): ConsentEvent[] {
  const recordedBy = requireCareTeamWorker(actor, c.careTeamAgencyIds);
  const problems: FieldProblem[] = [];
  if (blank(c.consentId)) problems.push({ field: 'consentId', problem: 'must not be empty' });
  checkRecipient(c.recipient, problems);
  const sections = listOf('sections', c.sections, SECTIONS, isSection, problems);
  const purposes = listOf('purposes', c.purposes, PURPOSES, isPurpose, problems);
  const { validFrom, validUntil } = window(c.validFrom, c.validUntil, now, problems);
  checkMethod(c.method, problems);
  checkLanguage(c.language, problems);
  if (problems.length) throw fail(E.invalidConsent, { fields: problems });
  if (state.consents.some((x) => x.consentId === c.consentId)) throw fail(E.consentExists);

  const recipient: Recipient =
    c.recipient.kind === 'agency'
      ? { kind: 'agency', agencyId: c.recipient.agencyId }
      : { kind: 'sector', sector: c.recipient.sector };
  const data = {
    consentId: c.consentId,
    version: 1 as const,
    recipient,
    sections,
    purposes,
    validFrom,
    validUntil,
    method: c.method,
    language: c.language,
  };
  return [{ type: 'ConsentRecorded', data: { ...data, recordedBy, recordedAt: now.toISOString() } }];
}

function amend(c: Cmd<'AmendConsent'>, state: ConsentState, { actor, now }: DecisionContext): ConsentEvent[] {
  const recordedBy = requireCareTeamWorker(actor, c.careTeamAgencyIds);
  const current = findConsent(state, c.consentId);
  if (current.status === 'revoked') throw fail(E.consentRevoked);
  if (c.expectedVersion !== undefined && c.expectedVersion !== current.version) {
    throw fail(E.consentVersionMismatch, { details: { version: current.version } });
  }

  const problems: FieldProblem[] = [];
  const sections =
    c.sections === undefined ? current.sections : listOf('sections', c.sections, SECTIONS, isSection, problems);
  const purposes =
    c.purposes === undefined ? current.purposes : listOf('purposes', c.purposes, PURPOSES, isPurpose, problems);
  // An unchanged start may lie in the past; a new start may not be back-dated.
  const keepsStart = c.validFrom === undefined || (isInstant(c.validFrom) && iso(c.validFrom) === current.validFrom);
  const from = keepsStart ? current.validFrom : c.validFrom;
  const untilGiven = c.validUntil ?? (keepsStart ? current.validUntil : undefined);
  const { validFrom, validUntil } = window(from, untilGiven, keepsStart ? new Date(current.validFrom) : now, problems);
  checkMethod(c.method, problems);
  checkLanguage(c.language, problems);
  if (problems.length) throw fail(E.invalidConsent, { message: 'The amendment has invalid fields', fields: problems });

  const unchanged =
    sameList(sections, current.sections) &&
    sameList(purposes, current.purposes) &&
    validFrom === current.validFrom &&
    validUntil === current.validUntil;
  if (unchanged) throw fail(E.nothingToAmend);

  const data = {
    consentId: current.consentId,
    version: current.version + 1,
    sections,
    purposes,
    validFrom,
    validUntil,
    method: c.method,
    language: c.language,
  };
  return [{ type: 'ConsentAmended', data: { ...data, recordedBy, recordedAt: now.toISOString() } }];
}

function revoke(c: Cmd<'RevokeConsent'>, state: ConsentState, { actor, now }: DecisionContext): ConsentEvent[] {
  const revokedBy = requireCareTeamWorker(actor, c.careTeamAgencyIds);
  const problems: FieldProblem[] = [];
  checkMethod(c.method, problems);
  if (problems.length) throw fail(E.invalidConsent, { message: 'The revocation has invalid fields', fields: problems });
  const current = findConsent(state, c.consentId);
  if (current.status === 'revoked') throw fail(E.consentAlreadyRevoked);
  return [
    {
      type: 'ConsentRevoked',
      data: {
        consentId: current.consentId,
        version: current.version,
        method: c.method,
        revokedBy,
        revokedAt: now.toISOString(),
      },
    },
  ];
}

function checkTarget(target: ExclusionTarget | undefined, problems: FieldProblem[]): void {
  if (target?.kind === 'sector' && SECTORS.includes(target.sector)) return;
  if (target?.kind === 'agency' && !blank(target.agencyId)) return;
  if (target?.kind === 'staff' && !blank(target.userId)) return;
  problems.push({ field: 'target', problem: 'must name a known sector, an agency or a staff member' });
}

function exclude(c: Cmd<'RecordExclusion'>, state: ConsentState, { actor, now }: DecisionContext): ConsentEvent[] {
  const recordedBy = requireCareTeamWorker(actor, c.careTeamAgencyIds);
  const problems: FieldProblem[] = [];
  if (blank(c.exclusionId)) problems.push({ field: 'exclusionId', problem: 'must not be empty' });
  checkTarget(c.target, problems);
  checkMethod(c.method, problems);
  checkLanguage(c.language, problems);
  if (problems.length) throw fail(E.invalidExclusion, { fields: problems });
  if (state.exclusions.some((x) => x.exclusionId === c.exclusionId)) throw fail(E.exclusionExists);
  const t = c.target;
  const target: ExclusionTarget =
    t.kind === 'sector'
      ? { kind: 'sector', sector: t.sector }
      : t.kind === 'agency'
        ? { kind: 'agency', agencyId: t.agencyId }
        : { kind: 'staff', userId: t.userId };
  return [
    {
      type: 'ExclusionRecorded',
      data: {
        exclusionId: c.exclusionId,
        target,
        method: c.method,
        language: c.language,
        recordedBy,
        recordedAt: now.toISOString(),
      },
    },
  ];
}

function lift(c: Cmd<'LiftExclusion'>, state: ConsentState, { actor, now }: DecisionContext): ConsentEvent[] {
  const liftedBy = requireCareTeamWorker(actor, c.careTeamAgencyIds);
  const problems: FieldProblem[] = [];
  checkMethod(c.method, problems);
  if (problems.length) throw fail(E.invalidExclusion, { message: 'The lifting has invalid fields', fields: problems });
  const exclusion = findExclusion(state, c.exclusionId);
  if (exclusion.status === 'lifted') throw fail(E.exclusionAlreadyLifted);
  return [
    {
      type: 'ExclusionLifted',
      data: { exclusionId: exclusion.exclusionId, method: c.method, liftedBy, liftedAt: now.toISOString() },
    },
  ];
}

// --- the decider ---------------------------------------------------------------------------

const updateConsent = (
  state: ConsentState,
  consentId: string,
  change: (c: ConsentRecord) => ConsentRecord,
): ConsentState => ({
  ...state,
  consents: state.consents.map((c) => (c.consentId === consentId ? change(c) : c)),
});

/** A share code's consent: for the redeeming worker's own agency, in the code's scope, unless an exclusion names them. */
function fromShareCode(
  c: Cmd<'RecordShareCodeConsent'>,
  state: ConsentState,
  { actor, now }: DecisionContext,
): ConsentEvent[] {
  if (!isWorkerRole(actor.role) || actor.agencyId === null || actor.agencyId !== c.agencyId) throw fail(E.notAWorker);
  if (exclusionOf(state.exclusions, { userId: actor.userId, agencyId: c.agencyId, sector: c.sector }))
    throw fail(E.shareCodeExcluded);
  const problems: FieldProblem[] = [];
  if (blank(c.consentId)) problems.push({ field: 'consentId', problem: 'must not be empty' });
  const sections = listOf('sections', c.sections, SECTIONS, isSection, problems);
  const purposes = listOf('purposes', c.purposes, PURPOSES, isPurpose, problems);
  checkLanguage(c.language, problems);
  if (problems.length) throw fail(E.invalidConsent, { fields: problems });
  if (state.consents.some((x) => x.consentId === c.consentId)) throw fail(E.consentExists);
  const { validFrom, validUntil } = window(undefined, undefined, now, problems);
  return [
    {
      type: 'ConsentRecorded',
      data: {
        consentId: c.consentId,
        version: 1,
        recipient: { kind: 'agency', agencyId: c.agencyId },
        sections,
        purposes,
        validFrom,
        validUntil,
        method: 'share-code',
        language: c.language,
        recordedBy: { userId: actor.userId, agencyId: actor.agencyId },
        recordedAt: now.toISOString(),
        shareCodeId: c.codeId,
      },
    },
  ];
}

/**
 * A survivor's consent decisions (stream `consent-<survivorId>`). Every decision is the
 * survivor's, recorded through a worker on their care team. A revocation or exclusion takes
 * effect on the next read, because every read folds this stream and asks `decideAccess`.
 */
export const consentDecider: Decider<ConsentState, ConsentCommand, ConsentEvent> = {
  initialState: initialConsentState,

  decide(command, state, context) {
    switch (command.type) {
      case 'RecordConsent':
        return record(command, state, context);
      case 'AmendConsent':
        return amend(command, state, context);
      case 'RevokeConsent':
        return revoke(command, state, context);
      case 'RecordExclusion':
        return exclude(command, state, context);
      case 'LiftExclusion':
        return lift(command, state, context);
      case 'RecordShareCodeConsent':
        return fromShareCode(command, state, context);
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${(unknown as { type: string }).type}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ConsentRecorded': {
        const {
          consentId,
          version,
          recipient,
          sections,
          purposes,
          validFrom,
          validUntil,
          method,
          language,
          recordedBy,
          recordedAt,
        } = event.data;
        const consent: ConsentRecord = {
          consentId,
          version,
          recipient,
          sections,
          purposes,
          validFrom,
          validUntil,
          method,
          language,
          status: 'in-force',
          recordedBy,
          recordedAt,
          revokedAt: null,
        };
        return { ...state, consents: [...state.consents, consent] };
      }
      case 'ConsentAmended': {
        const {
          consentId,
          version,
          sections,
          purposes,
          validFrom,
          validUntil,
          method,
          language,
          recordedBy,
          recordedAt,
        } = event.data;
        return updateConsent(state, consentId, (c) => ({
          ...c,
          version,
          sections,
          purposes,
          validFrom,
          validUntil,
          method,
          language,
          recordedBy,
          recordedAt,
        }));
      }
      case 'ConsentRevoked':
        return updateConsent(state, event.data.consentId, (c) => ({
          ...c,
          status: 'revoked',
          revokedAt: event.data.revokedAt,
        }));
      case 'ExclusionRecorded': {
        const { exclusionId, target, recordedAt } = event.data;
        return {
          ...state,
          exclusions: [...state.exclusions, { exclusionId, target, status: 'in-force', recordedAt, liftedAt: null }],
        };
      }
      case 'ExclusionLifted':
        return {
          ...state,
          exclusions: state.exclusions.map((x) =>
            x.exclusionId === event.data.exclusionId ? { ...x, status: 'lifted', liftedAt: event.data.liftedAt } : x,
          ),
        };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};
