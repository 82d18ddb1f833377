import { given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import { type IntakeCommand, type IntakeEvent, intakeDecider } from '@harbour/intake';
import type { Cipher } from '@harbour/privacy';

const at = new Date('2026-12-03T10:00:00Z');
const cipher = (ct: string): Cipher => ({ v: 1, kid: 'k', iv: 'aXY=', ct, tag: 'dGFn' });
const lee: Actor = { userId: 'lee', agencyId: 'legal', role: 'caseworker' };
const other: Actor = { userId: 'ola', agencyId: 'clinic', role: 'caseworker' };
const ctx = { now: at, actor: lee };

/** The second intake, opened at legal aid with identity and needs of its own. */
const second: IntakeEvent[] = [
  { type: 'IntakeOpened', data: { survivorId: 's2', agencyId: 'legal', openedBy: 'lee' } },
  {
    type: 'IntakeSectionUpdated',
    data: { section: 'identity', content: cipher('own-identity'), changedFields: ['preferredName'] },
  },
  { type: 'IntakeSectionUpdated', data: { section: 'needs', content: cipher('own-needs'), changedFields: ['needs'] } },
];
const here = { codeId: 'c1', consentId: 'k1' };
const fill = [
  { section: 'needs' as const, content: cipher('record-needs'), changedFields: ['needs'] },
  { section: 'preferences' as const, content: cipher('record-prefs'), changedFields: ['language'] },
];
const linked: IntakeEvent[] = [
  ...second,
  {
    type: 'IntakeSectionUpdated',
    data: { section: 'needs', content: cipher('record-needs'), changedFields: ['needs'] },
  },
  {
    type: 'IntakeSectionUpdated',
    data: { section: 'preferences', content: cipher('record-prefs'), changedFields: ['language'] },
  },
  {
    type: 'IntakeLinked',
    data: {
      recordId: 's1',
      codeId: 'c1',
      consentId: 'k1',
      filled: [
        { section: 'needs', previousVersion: 2 },
        { section: 'preferences', previousVersion: null },
      ],
    },
  },
];

describe('linking a second intake to the record the survivor brought (intake decider)', () => {
  it('fills the sections the code opened, remembers what they were, and closes the intake', () => {
    given(intakeDecider, second)
      .when({ type: 'LinkIntake', recordId: 's1', fill, facts: { redeemedHere: here, recordLinked: false } }, ctx)
      .then(linked.slice(second.length));
  });

  it('needs a share code of that record redeemed at this agency', () => {
    given(intakeDecider, second)
      .when({ type: 'LinkIntake', recordId: 's1', fill: [], facts: { redeemedHere: null, recordLinked: false } }, ctx)
      .thenThrows('link-needs-share-code', 'conflict');
  });

  it('refuses a link to itself, to a record that is itself a closed duplicate, and a second link', () => {
    const link = (recordId: string, recordLinked = false): IntakeCommand => ({
      type: 'LinkIntake',
      recordId,
      fill: [],
      facts: { redeemedHere: here, recordLinked },
    });
    given(intakeDecider, second).when(link('s2'), ctx).thenThrows('link-to-itself', 'invalid');
    given(intakeDecider, second).when(link('s1', true), ctx).thenThrows('link-target-linked', 'conflict');
    given(intakeDecider, linked).when(link('s3'), ctx).thenThrows('intake-linked', 'conflict');
  });

  it('only the care team links', () => {
    given(intakeDecider, second)
      .when(
        { type: 'LinkIntake', recordId: 's1', fill, facts: { redeemedHere: here, recordLinked: false } },
        { now: at, actor: other },
      )
      .thenThrows('not-on-care-team', 'forbidden');
  });

  it('a closed duplicate takes no section writes, but an erasure request still', () => {
    given(intakeDecider, linked)
      .when({ type: 'UpdateSection', section: 'story', content: cipher('x'), changedFields: ['narrative'] }, ctx)
      .thenThrows('intake-linked', 'conflict');
    const state = linked.reduce(intakeDecider.evolve, intakeDecider.initialState());
    const events = intakeDecider.decide(
      { type: 'RequestErasure', requestId: 'e1', scope: 'record', sections: [], obtainedHow: 'written' },
      state,
      ctx,
    );
    expect(events.map((e) => e.type)).toEqual(['ErasureRequested']);
  });

  it('unlinking restores the sections as they were and removes those that were empty; the intake takes writes again', () => {
    given(intakeDecider, linked)
      .when({ type: 'UnlinkIntake', restore: [{ section: 'needs', content: cipher('own-needs') }] }, ctx)
      .then([
        {
          type: 'IntakeSectionUpdated',
          data: { section: 'needs', content: cipher('own-needs'), changedFields: ['restored'] },
        },
        { type: 'IntakeUnlinked', data: { recordId: 's1', removed: ['preferences'] } },
      ]);
    const unlinked: IntakeEvent[] = [
      ...linked,
      {
        type: 'IntakeSectionUpdated',
        data: { section: 'needs', content: cipher('own-needs'), changedFields: ['restored'] },
      },
      { type: 'IntakeUnlinked', data: { recordId: 's1', removed: ['preferences'] } },
    ];
    given(intakeDecider, unlinked)
      .when({ type: 'UpdateSection', section: 'story', content: cipher('x'), changedFields: ['narrative'] }, ctx)
      .then([
        {
          type: 'IntakeSectionUpdated',
          data: { section: 'story', content: cipher('x'), changedFields: ['narrative'] },
        },
      ]);
    given(intakeDecider, unlinked)
      .when({ type: 'UnlinkIntake', restore: [] }, ctx)
      .thenThrows('intake-not-linked', 'conflict');
  });
});
