import type { Cipher } from '@harbour/privacy';
import type { IdentifyingKind } from './story-checker.js';

export interface StoryActor {
  userId: string;
  agencyId: string;
}

/** The consent the draft rests on (purpose `impact-story`). */
export interface StoryBasis {
  consentId: string;
  version: number;
}

/**
 * Facts of one impact story (stream `impact-story-<storyId>`), schema version 1, times as ISO
 * strings. The text is encrypted with the survivor's data key (context `impact-story:<storyId>`):
 * erasure makes it unreadable like the record. `found` is the checker's answer: kinds, never values.
 */
export type StoryEvent =
  | {
      type: 'ImpactStoryDrafted';
      data: {
        storyId: string;
        survivorId: string;
        text: Cipher;
        found: IdentifyingKind[];
        basis: StoryBasis;
        draftedBy: StoryActor;
        draftedAt: string;
      };
    }
  | {
      type: 'ImpactStoryRevised';
      data: {
        storyId: string;
        text: Cipher;
        found: IdentifyingKind[];
        basis: StoryBasis;
        revisedBy: StoryActor;
        revisedAt: string;
      };
    }
  | {
      /** The export itself (the access event of the same request records the read). */
      type: 'ImpactStoryExported';
      data: { storyId: string; survivorId: string; basis: StoryBasis; exportedBy: StoryActor; exportedAt: string };
    };

export const storyStream = (storyId: string) => `impact-story-${storyId}`;
export const storyContext = (storyId: string) => `impact-story:${storyId}`;
