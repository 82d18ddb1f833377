import { createHash } from 'node:crypto';
import type { HarbourConfig } from '@harbour/kernel';

export type FlagRule = 'outside-care-team' | 'repeated-denials' | 'break-glass' | 'outside-hours' | 'share-code-burst';
export const FLAG_RULES: readonly FlagRule[] = [
  'outside-care-team',
  'repeated-denials',
  'break-glass',
  'outside-hours',
  'share-code-burst',
];

/** The flag thresholds and hours, from configuration (validated at boot). */
export interface FlagSettings {
  outsideCareTeamDaily: number;
  denialsDaily: number;
  /** Minutes after local midnight: reads at or after `start` and before `end` are within hours. */
  hours: { start: number; end: number };
  timeZone: string;
}

export function flagSettings(config: HarbourConfig): FlagSettings {
  const [start, end] = config.HARBOUR_AUDIT_WORK_HOURS.split('-').map((hm) => {
    const [h, m] = hm.split(':').map(Number);
    return h * 60 + m;
  });
  return {
    outsideCareTeamDaily: config.HARBOUR_AUDIT_OUTSIDE_TEAM_DAILY,
    denialsDaily: config.HARBOUR_AUDIT_DENIALS_DAILY,
    hours: { start: start, end: end },
    timeZone: config.HARBOUR_AUDIT_TIMEZONE,
  };
}

const formats = new Map<string, Intl.DateTimeFormat>();
// Access events arrive in time order: most fall in the same minute as the one before.
let last: { timeZone: string; minuteStart: number; result: { day: string; minute: number } } | undefined;

/** The local calendar day (YYYY-MM-DD) and minute of the day of an instant in the audit time zone. */
export function localTime(at: Date, timeZone: string): { day: string; minute: number } {
  // Present-day time zone offsets are whole minutes, so one answer holds for a whole UTC minute.
  const minuteStart = Math.floor(at.getTime() / 60_000);
  if (last && last.timeZone === timeZone && last.minuteStart === minuteStart) return last.result;
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const result = {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
  last = { timeZone, minuteStart, result };
  return result;
}

/** Whether a minute of the day lies outside working hours (a window may span midnight, e.g. 22:00-06:00). */
export function outsideHours(minute: number, hours: FlagSettings['hours']): boolean {
  const inside =
    hours.start <= hours.end
      ? minute >= hours.start && minute < hours.end
      : minute >= hours.start || minute < hours.end;
  return !inside;
}

/** One flag per rule, staff member and day (per grant for break-glass): the same facts always give the same id. */
export function flagId(rule: FlagRule, userId: string, key: string): string {
  const h = createHash('sha256').update(`${rule}\n${userId}\n${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
