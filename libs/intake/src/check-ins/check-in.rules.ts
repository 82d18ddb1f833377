import { type Actor, DomainError } from '@harbour/kernel';
import type { Cipher } from '@harbour/privacy';
import { IntakeErrors as E } from '../errors.js';
import type { ObtainedHow } from '../erasure/erasure.events.js';
import type { IntakeEvent, IntakeState } from '../record/intake.decider.js';
import type { CheckInSchedule } from './check-in.events.js';

type OpenIntake = Extract<IntakeState, { status: 'open' }>;

/** A section write carried by a check-in, already encrypted, with the fields it changes. */
export interface CheckInSectionWrite {
  content: Cipher;
  changedFields: string[];
}

export type CheckInCommand =
  | { type: 'ScheduleCheckIns'; everyDays: number | null; startsOn: string | null; agreed: ObtainedHow }
  | {
      type: 'RecordCheckIn';
      checkInId: string;
      heldOn: string;
      consentReflectsWishes: boolean;
      needs?: CheckInSectionWrite;
      goals?: CheckInSectionWrite;
    };

/** Shortest and longest cadence a survivor may agree to, in days. */
export const MIN_CHECK_IN_DAYS = 1;
export const MAX_CHECK_IN_DAYS = 365;
/** A check-in is `due` from its date for this many days, then `overdue` (still only "not yet held"). */
export const CHECK_IN_DUE_DAYS = 7;

const DAY = 86_400_000;
const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const addDays = (date: string, days: number) => dayOf(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY));

/** Care-team rules of the check-ins (the caller already checked worker role and care team). */
export function decideCheckIn(
  command: CheckInCommand,
  state: OpenIntake,
  actor: Actor & { agencyId: string },
  now: Date,
): IntakeEvent[] {
  const today = dayOf(now);
  switch (command.type) {
    case 'ScheduleCheckIns': {
      const { everyDays, startsOn, agreed } = command;
      if (everyDays !== null) {
        if (!Number.isInteger(everyDays) || everyDays < MIN_CHECK_IN_DAYS || everyDays > MAX_CHECK_IN_DAYS)
          throw DomainError.of(E.invalidCheckIn, {
            fields: [
              {
                field: 'everyDays',
                problem: `must be a whole number of days, ${MIN_CHECK_IN_DAYS}–${MAX_CHECK_IN_DAYS}`,
              },
            ],
          });
        if (startsOn === null)
          throw DomainError.of(E.invalidCheckIn, {
            fields: [{ field: 'startsOn', problem: 'is needed with everyDays' }],
          });
      } else if (startsOn !== null) {
        throw DomainError.of(E.invalidCheckIn, {
          fields: [{ field: 'startsOn', problem: 'only with everyDays (no cadence: no start)' }],
        });
      }
      const current = state.checkIns;
      if (current && current.everyDays === everyDays && current.startsOn === startsOn)
        throw DomainError.of(E.nothingChanged, { message: 'The check-in schedule already says exactly this' });
      return [
        {
          type: 'CheckInScheduleSet',
          data: { everyDays, startsOn, agreed, setBy: actor.userId, agencyId: actor.agencyId },
        },
      ];
    }
    case 'RecordCheckIn': {
      if (command.heldOn > today)
        throw DomainError.of(E.invalidCheckIn, { fields: [{ field: 'heldOn', problem: 'must not be in the future' }] });
      const events: IntakeEvent[] = [];
      const needsChanged = (command.needs?.changedFields.length ?? 0) > 0;
      const goalsUpdated = (command.goals?.changedFields.length ?? 0) > 0;
      if (needsChanged)
        events.push({
          type: 'IntakeSectionUpdated',
          data: { section: 'needs', content: command.needs!.content, changedFields: command.needs!.changedFields },
        });
      if (goalsUpdated)
        events.push({
          type: 'IntakeSectionUpdated',
          data: { section: 'goals', content: command.goals!.content, changedFields: command.goals!.changedFields },
        });
      events.push({
        type: 'CheckInRecorded',
        data: {
          checkInId: command.checkInId,
          heldOn: command.heldOn,
          needsChanged,
          goalsUpdated,
          consentReflectsWishes: command.consentReflectsWishes,
          recordedBy: actor.userId,
          agencyId: actor.agencyId,
        },
      });
      return events;
    }
  }
}

export type CheckInStatus = 'upcoming' | 'due' | 'overdue';

/** Where the next check-in stands: null when the survivor agreed to none. */
export interface CheckInDue {
  everyDays: number;
  nextDueOn: string;
  status: CheckInStatus;
  lastHeldOn: string | null;
}

/**
 * The next check-in from the cadence: the start date until one is held, then the last one held
 * plus the cadence. `due` from that date for CHECK_IN_DUE_DAYS days, `overdue` after — both mean
 * only "not yet held": a reminder for the care team, never a mark on the survivor (no count of
 * check-ins not held is kept or shown).
 */
export function checkInDue(schedule: CheckInSchedule | undefined, now: Date): CheckInDue | null {
  if (!schedule || schedule.everyDays === null || schedule.startsOn === null) return null;
  const { everyDays, startsOn, lastHeldOn } = schedule;
  const fromLast = lastHeldOn && lastHeldOn >= startsOn ? addDays(lastHeldOn, everyDays) : null;
  const nextDueOn = fromLast ?? startsOn;
  const today = dayOf(now);
  const status: CheckInStatus =
    today < nextDueOn ? 'upcoming' : today < addDays(nextDueOn, CHECK_IN_DUE_DAYS) ? 'due' : 'overdue';
  return { everyDays, nextDueOn, status, lastHeldOn };
}

/** Folds the check-in facts into the schedule kept in the intake state. */
export function evolveCheckIns(
  schedule: CheckInSchedule | undefined,
  event: Extract<IntakeEvent, { type: 'CheckInScheduleSet' | 'CheckInRecorded' }>,
): CheckInSchedule {
  const base = schedule ?? { everyDays: null, startsOn: null, lastHeldOn: null, held: 0, consentReflectsWishes: null };
  if (event.type === 'CheckInScheduleSet')
    return { ...base, everyDays: event.data.everyDays, startsOn: event.data.startsOn };
  const { heldOn } = event.data;
  const latest = base.lastHeldOn === null || heldOn >= base.lastHeldOn;
  return {
    ...base,
    lastHeldOn: latest ? heldOn : base.lastHeldOn,
    held: base.held + 1,
    consentReflectsWishes: latest ? event.data.consentReflectsWishes : base.consentReflectsWishes,
  };
}
