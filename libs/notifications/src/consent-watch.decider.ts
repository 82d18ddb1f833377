import type { Decider } from '@harbour/event-store';
import type { ConsentWatchEvent } from './notification.events.js';

export type ConsentWatchCommand =
  | {
      type: 'RecordReviewReminder';
      survivorId: string;
      consentId: string;
      version: number;
      validUntil: string;
      leadDays: number;
      agencyIds: string[];
    }
  | {
      type: 'RecordAccessEnded';
      survivorId: string;
      consentId: string;
      version: number;
      reason: 'expired' | 'revoked';
      endedAt: string;
      agencyIds: string[];
    };

export interface ConsentWatchState {
  /** `<consentId>@<validUntil>` of every window already reminded of. */
  reminded: string[];
  /** Consents whose end was already recorded. */
  ended: string[];
}

export const windowKey = (consentId: string, validUntil: string) => `${consentId}@${validUntil}`;

/**
 * The consent watch of one survivor: at most one reminder per consent per window (an amendment
 * that moves validUntil opens a new window) and at most one end per consent. A repeat decides
 * nothing (no events), so the job may look again after a restart, or run in two processes, and
 * never remind twice.
 */
export const consentWatchDecider: Decider<ConsentWatchState, ConsentWatchCommand, ConsentWatchEvent> = {
  initialState: () => ({ reminded: [], ended: [] }),

  decide(command, state, { now }) {
    const recordedAt = now.toISOString();
    const agencyIds = [...new Set(command.agencyIds)].sort();
    if (command.type === 'RecordReviewReminder') {
      const key = windowKey(command.consentId, command.validUntil);
      if (state.reminded.includes(key) || state.ended.includes(command.consentId) || agencyIds.length === 0) return [];
      return [
        {
          type: 'ConsentReviewReminderRecorded',
          data: {
            survivorId: command.survivorId,
            consentId: command.consentId,
            version: command.version,
            validUntil: command.validUntil,
            leadDays: command.leadDays,
            agencyIds,
            recordedAt,
          },
        },
      ];
    }
    if (state.ended.includes(command.consentId)) return [];
    return [
      {
        type: 'ConsentAccessEndedRecorded',
        data: {
          survivorId: command.survivorId,
          consentId: command.consentId,
          version: command.version,
          reason: command.reason,
          endedAt: command.endedAt,
          agencyIds,
          recordedAt,
        },
      },
    ];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ConsentReviewReminderRecorded':
        return { ...state, reminded: [...state.reminded, windowKey(event.data.consentId, event.data.validUntil)] };
      case 'ConsentAccessEndedRecorded':
        return { ...state, ended: [...state.ended, event.data.consentId] };
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
