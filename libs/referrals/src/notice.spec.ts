import { ageBandOf, buildNotice } from './notice.js';

const NOW = new Date('2026-11-02T09:00:00.000Z');

describe('the referral notice', () => {
  it.each([
    ['2026-01-01', '0-4'],
    ['2014-11-03', '5-11'],
    ['2008-11-02', '18-24'],
    ['2008-11-03', '12-17'],
    ['1990-05-05', '35-49'],
    ['1960-01-01', '65+'],
  ])('coarsens a date of birth %s to the band %s', (dob, band) => {
    expect(ageBandOf(dob, NOW)).toBe(band);
  });

  it('copies only the five fields, from fixed vocabularies', () => {
    const notice = buildNotice({
      needs: ['shelter', 'legal'],
      urgency: 'high',
      region: 'on-toronto',
      identity: { dateOfBirth: '1995-03-04', legalName: 'Synthetic Name', ageBand: undefined } as never,
      preferences: { language: 'tl', culturalSupports: ['free text'] } as never,
      now: NOW,
    });
    expect(notice).toEqual({
      needs: ['shelter', 'legal'],
      urgency: 'high',
      language: 'tl',
      region: 'on-toronto',
      ageBand: '25-34',
    });
  });

  it('leaves out what is unknown or not in the vocabulary', () => {
    expect(
      buildNotice({
        needs: ['food'],
        urgency: 'low',
        region: 'Toronto, ON',
        identity: { ageBand: 'unknown' },
        preferences: { language: 'not a tag!' },
        now: NOW,
      }),
    ).toEqual({
      needs: ['food'],
      urgency: 'low',
      language: null,
      region: null,
      ageBand: null,
    });
  });
});
