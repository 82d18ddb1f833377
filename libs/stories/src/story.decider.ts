import type { Decider } from '@harbour/event-store';
import { DomainError } from '@harbour/kernel';
import type { Cipher } from '@harbour/privacy';
import { StoryErrors as E } from './errors.js';
import type { IdentifyingKind } from './story-checker.js';
import type { StoryActor, StoryBasis, StoryEvent } from './story.events.js';

/** What the handler read just now: the gate's consent basis (null: no consent for `impact-story`) and the checker's answer. */
export interface StoryFacts {
  basis: StoryBasis | null;
  found: IdentifyingKind[];
}

export type StoryCommand =
  | { type: 'DraftImpactStory'; storyId: string; survivorId: string; text: Cipher; facts: StoryFacts }
  | { type: 'ReviseImpactStory'; text: Cipher; facts: StoryFacts }
  | { type: 'ExportImpactStory'; facts: StoryFacts };

export type StoryState =
  | { status: 'none' }
  | {
      status: 'draft';
      storyId: string;
      survivorId: string;
      agencyId: string;
      text: Cipher;
      found: IdentifyingKind[];
      exports: number;
    };

/**
 * An impact story: drafted from a record only under the survivor's consent for `impact-story`
 * (the access gate decides), revised by its agency, and exported only while the checker finds
 * none of the record's identity, contact or dependants values, nor an exact date or place.
 */
export const storyDecider: Decider<StoryState, StoryCommand, StoryEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, { now, actor }) {
    if (!actor.agencyId || (actor.role !== 'caseworker' && actor.role !== 'supervisor'))
      throw DomainError.of(E.notAWorker);
    const by: StoryActor = { userId: actor.userId, agencyId: actor.agencyId };
    const basis = command.facts.basis;
    if (!basis) throw DomainError.of(E.notConsented);
    const at = now.toISOString();
    if (command.type === 'DraftImpactStory') {
      if (state.status !== 'none') throw DomainError.of(E.storyNotFound);
      return [
        {
          type: 'ImpactStoryDrafted',
          data: {
            storyId: command.storyId,
            survivorId: command.survivorId,
            text: command.text,
            found: command.facts.found,
            basis,
            draftedBy: by,
            draftedAt: at,
          },
        },
      ];
    }
    // Another agency's story is not found, whatever it is.
    if (state.status === 'none' || state.agencyId !== actor.agencyId) throw DomainError.of(E.storyNotFound);
    if (command.type === 'ReviseImpactStory')
      return [
        {
          type: 'ImpactStoryRevised',
          data: {
            storyId: state.storyId,
            text: command.text,
            found: command.facts.found,
            basis,
            revisedBy: by,
            revisedAt: at,
          },
        },
      ];
    if (command.facts.found.length > 0)
      throw DomainError.of(E.identifying, { details: { found: command.facts.found } });
    return [
      {
        type: 'ImpactStoryExported',
        data: { storyId: state.storyId, survivorId: state.survivorId, basis, exportedBy: by, exportedAt: at },
      },
    ];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ImpactStoryDrafted':
        return {
          status: 'draft',
          storyId: event.data.storyId,
          survivorId: event.data.survivorId,
          agencyId: event.data.draftedBy.agencyId,
          text: event.data.text,
          found: event.data.found,
          exports: 0,
        };
      case 'ImpactStoryRevised':
        return state.status === 'none' ? state : { ...state, text: event.data.text, found: event.data.found };
      case 'ImpactStoryExported':
        return state.status === 'none' ? state : { ...state, exports: state.exports + 1 };
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
