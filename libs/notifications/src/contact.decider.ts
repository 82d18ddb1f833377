import type { Decider } from '@harbour/event-store';
import { DomainError } from '@harbour/kernel';
import { NotificationErrors as E } from './errors.js';
import { type ContactEvent, DO_NOT_CONTACT_REASONS, type DoNotContactReason } from './notification.events.js';

export type ContactCommand =
  | { type: 'SetDoNotContact'; survivorId: string; reasonCode: DoNotContactReason; facts: { onCareTeam: boolean } }
  | { type: 'ClearDoNotContact'; survivorId: string; facts: { onCareTeam: boolean } };

export type ContactState =
  | { doNotContact: false }
  | { doNotContact: true; reasonCode: DoNotContactReason; setAt: string; setByAgencyId: string };

/** The survivor's "do not contact" safety switch: only their care team sets or clears it, with a reason code. */
export const contactDecider: Decider<ContactState, ContactCommand, ContactEvent> = {
  initialState: () => ({ doNotContact: false }),

  decide(command, state, { now, actor }) {
    if (!command.facts.onCareTeam || !actor.agencyId) throw DomainError.of(E.notOnCareTeam);
    const by = { userId: actor.userId, agencyId: actor.agencyId };
    if (command.type === 'SetDoNotContact') {
      if (!(DO_NOT_CONTACT_REASONS as readonly string[]).includes(command.reasonCode))
        throw DomainError.of(E.invalidDoNotContact, {
          fields: [{ field: 'reasonCode', problem: 'unknown reason code' }],
        });
      if (state.doNotContact) throw DomainError.of(E.doNotContactAlreadySet);
      return [
        {
          type: 'DoNotContactSet',
          data: { survivorId: command.survivorId, reasonCode: command.reasonCode, setBy: by, setAt: now.toISOString() },
        },
      ];
    }
    if (!state.doNotContact) throw DomainError.of(E.doNotContactNotSet);
    return [
      {
        type: 'DoNotContactCleared',
        data: { survivorId: command.survivorId, clearedBy: by, clearedAt: now.toISOString() },
      },
    ];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'DoNotContactSet':
        return {
          doNotContact: true,
          reasonCode: event.data.reasonCode,
          setAt: event.data.setAt,
          setByAgencyId: event.data.setBy.agencyId,
        };
      case 'DoNotContactCleared':
        return { doNotContact: false };
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
