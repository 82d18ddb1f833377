import type { ObtainedHow } from '../erasure/erasure.events.js';

/**
 * Check-in facts of the intake stream (schema version 1). Neither carries survivor data: a
 * cadence, dates, yes/no answers and who recorded them. What changed in the survivor's needs or
 * goals is written, encrypted, as the ordinary `IntakeSectionUpdated` of that section, in the
 * same append, just before the `CheckInRecorded` that explains it.
 */
export type CheckInEvent =
  /**
   * The cadence the survivor agreed to: a check-in every `everyDays` days from `startsOn`, or
   * none at all (`everyDays: null`, `startsOn: null`) when the survivor does not want them.
   */
  | {
      type: 'CheckInScheduleSet';
      data: {
        everyDays: number | null;
        startsOn: string | null;
        agreed: ObtainedHow;
        setBy: string;
        agencyId: string;
      };
    }
  /** A check-in was held on `heldOn` (a calendar date, not in the future). */
  | {
      type: 'CheckInRecorded';
      data: {
        checkInId: string;
        heldOn: string;
        /** The `needs` section changed in this append. */
        needsChanged: boolean;
        /** The `goals` section (goal progress) changed in this append. */
        goalsUpdated: boolean;
        /** The survivor said the consents on record still reflect their wishes (false: the care team reviews them). */
        consentReflectsWishes: boolean;
        recordedBy: string;
        agencyId: string;
      };
    };

/** The schedule as the intake state keeps it. */
export interface CheckInSchedule {
  everyDays: number | null;
  startsOn: string | null;
  /** The latest `heldOn` of any check-in recorded (null: none yet). */
  lastHeldOn: string | null;
  /** Check-ins held on or after the schedule was set (kept check-ins, never a count of missed ones). */
  held: number;
  /** The latest check-in's answer: do the consents on record still reflect the survivor's wishes? (null: none yet) */
  consentReflectsWishes: boolean | null;
}
