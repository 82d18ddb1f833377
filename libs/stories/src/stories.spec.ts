import { given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import type { Cipher } from '@harbour/privacy';
import { dateForms, identifyingKinds, normalise } from './story-checker.js';
import { storyDecider } from './story.decider.js';
import type { StoryEvent } from './story.events.js';

const RECORD = {
  identity: { legalName: 'José Ñúñez-Ortiz', preferredName: 'Pepe', dateOfBirth: '2001-04-03', nationality: 'PH' },
  contact: {
    phone: '+1 416 555 0199',
    email: 'pepe.synthetic@example.org',
    address: { line1: '12 Maple Court', city: 'Hamilton', region: 'ON', country: 'CA' },
  },
  dependants: { dependants: [{ name: 'Lucía', relationship: 'daughter' }] },
  story: { narrative: 'synthetic narrative', toldOn: '2026-10-28', language: 'es' },
};

describe('impact-story checker: the record’s own values, normalised; kinds only', () => {
  it.each([
    ['Jose Nunez-Ortiz found work', ['identity']],
    ['we call him PEPE', ['identity']],
    ['born 3 April 2001', ['date']],
    ['born on 03/04/2001', ['date']],
    ['born April 3rd, 2001', ['date']],
    ['born 2001-04-03', ['date']],
    ['reach him at (416) 555-0199', ['contact']],
    ['she wrote from pepe.synthetic@example.org', ['identity', 'contact']], // the e-mail holds his name too
    ['he now lives in hamilton', ['contact', 'place']],
    ['his daughter lucia started school', ['dependants']],
    ['told on 28 October 2026', ['date']],
  ])('%s → %j', (text, kinds) => {
    expect(identifyingKinds(text, RECORD)).toEqual(kinds);
  });

  it('a story with none of them passes; short codes (PH, ON) and ordinary words do not count', () => {
    expect(
      identifyingKinds('A survivor from our network rebuilt her life and mentors others, one day at a time.', RECORD),
    ).toEqual([]);
    expect(identifyingKinds('Phone calls ON time, in 2001 or so', RECORD)).toEqual([]);
  });

  it('normalises case, diacritics and punctuation alike on both sides', () => {
    expect(normalise('JOSÉ  Ñúñez—Ortiz!')).toBe(' jose nunez ortiz ');
    expect(dateForms('2001-04-03T00:00:00Z')).toEqual(
      expect.arrayContaining([' 3 april 2001 ', ' 03 04 2001 ', ' 2001 04 03 ']),
    );
  });
});

const at = new Date('2026-11-02T09:00:00Z');
const ana: Actor = { userId: 'ana', agencyId: 'care', role: 'caseworker' };
const lee: Actor = { userId: 'lee', agencyId: 'legal', role: 'caseworker' };
const TEXT = { v: 1, kid: 'k', iv: 'i', ct: 'c', tag: 't' } as unknown as Cipher;
const basis = { consentId: 'k1', version: 1 };
const drafted: StoryEvent = {
  type: 'ImpactStoryDrafted',
  data: {
    storyId: 'st1',
    survivorId: 's1',
    text: TEXT,
    found: ['identity'],
    basis,
    draftedBy: { userId: 'ana', agencyId: 'care' },
    draftedAt: at.toISOString(),
  },
};

describe('impact story decider', () => {
  it('given no consent for impact-story, a draft is refused', () => {
    given(storyDecider, [])
      .when(
        { type: 'DraftImpactStory', storyId: 'st1', survivorId: 's1', text: TEXT, facts: { basis: null, found: [] } },
        { now: at, actor: ana },
      )
      .thenThrows('impact-story-not-consented', 'forbidden');
  });

  it('given the consent, a draft is recorded with what the checker found (kinds)', () => {
    given(storyDecider, [])
      .when(
        {
          type: 'DraftImpactStory',
          storyId: 'st1',
          survivorId: 's1',
          text: TEXT,
          facts: { basis, found: ['identity'] },
        },
        { now: at, actor: ana },
      )
      .then([drafted]);
  });

  it('given a draft with identifying values, export is refused listing the kinds', () => {
    const error = given(storyDecider, [drafted])
      .when({ type: 'ExportImpactStory', facts: { basis, found: ['identity', 'date'] } }, { now: at, actor: ana })
      .thenThrows('impact-story-identifying', 'conflict');
    expect(error.details).toEqual({ found: ['identity', 'date'] });
  });

  it('given a clean draft, export is recorded; another agency never finds it', () => {
    given(storyDecider, [drafted])
      .when({ type: 'ExportImpactStory', facts: { basis, found: [] } }, { now: at, actor: ana })
      .then([
        {
          type: 'ImpactStoryExported',
          data: {
            storyId: 'st1',
            survivorId: 's1',
            basis,
            exportedBy: { userId: 'ana', agencyId: 'care' },
            exportedAt: at.toISOString(),
          },
        },
      ]);
    given(storyDecider, [drafted])
      .when({ type: 'ExportImpactStory', facts: { basis, found: [] } }, { now: at, actor: lee })
      .thenThrows('impact-story-not-found');
  });
});
