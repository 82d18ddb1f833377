import { SECTIONS } from '@harbour/consent';
import { given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import { type IntakeCommand, type IntakeEvent, intakeDecider } from '../record/intake.decider.js';

const now = new Date('2026-12-02T12:00:00Z');
const worker: Actor = { userId: 'ana', agencyId: 'shelter', role: 'caseworker' };
const outsider: Actor = { userId: 'lee', agencyId: 'legal', role: 'caseworker' };
const officer: Actor = { userId: 'pat', agencyId: 'shelter', role: 'privacy-officer' };
const otherOfficer: Actor = { userId: 'olu', agencyId: 'legal', role: 'privacy-officer' };
const networkOfficer: Actor = { userId: 'nia', agencyId: 'network', role: 'network-privacy-officer' };
const retention: Actor = { userId: 'system:retention', agencyId: null, role: 'system' };
const cipher = { v: 1, kid: 'k', iv: 'aXY=', ct: 'Y3Q=', tag: 'dGFn' } as const;

const opened: IntakeEvent[] = [
  { type: 'IntakeOpened', data: { survivorId: 's1', agencyId: 'shelter', openedBy: 'ana' } },
  { type: 'IntakeSectionUpdated', data: { section: 'story', content: cipher, changedFields: ['narrative'] } },
  { type: 'IntakeSectionUpdated', data: { section: 'health', content: cipher, changedFields: ['conditions'] } },
];
const requested = (scope: 'record' | 'sections', sections: string[]): IntakeEvent => ({
  type: 'ErasureRequested',
  data: {
    requestId: 'r1',
    scope,
    sections: sections as never,
    obtainedHow: 'written',
    requestedBy: 'ana',
    agencyId: 'shelter',
  },
});
const ALL = [...SECTIONS];
const approve = { type: 'DecideErasure', requestId: 'r1', approve: true, reason: 'request-verified' } as const;

describe('erasure decider', () => {
  it('a care-team worker records a request for chosen sections, and how it was obtained', () => {
    given(intakeDecider, opened)
      .when(
        { type: 'RequestErasure', requestId: 'r1', scope: 'sections', sections: ['story'], obtainedHow: 'written' },
        { now, actor: worker },
      )
      .then([requested('sections', ['story'])]);
  });

  it('a whole-record request lists every section', () => {
    given(intakeDecider, opened)
      .when(
        { type: 'RequestErasure', requestId: 'r1', scope: 'record', sections: [], obtainedHow: 'written' },
        { now, actor: worker },
      )
      .then([requested('record', ALL)]);
  });

  it('someone off the care team cannot record a request', () => {
    given(intakeDecider, opened)
      .when(
        { type: 'RequestErasure', requestId: 'r1', scope: 'record', sections: [], obtainedHow: 'verbal' },
        { now, actor: outsider },
      )
      .thenThrows('not-on-care-team');
  });

  it('a request for sections that hold nothing is refused', () => {
    given(intakeDecider, opened)
      .when(
        { type: 'RequestErasure', requestId: 'r1', scope: 'sections', sections: ['legal'], obtainedHow: 'verbal' },
        { now, actor: worker },
      )
      .thenThrows('nothing-to-erase');
  });

  it("the care-team agency's privacy officer approves: each section still held is erased", () => {
    given(intakeDecider, [...opened, requested('sections', ['story', 'legal'])])
      .when(approve, { now, actor: officer })
      .then([
        {
          type: 'ErasureApproved',
          data: { requestId: 'r1', reason: 'request-verified', decidedBy: 'pat', agencyId: 'shelter' },
        },
        { type: 'SectionErased', data: { section: 'story', cause: 'request', requestId: 'r1' } },
      ]);
  });

  it("the network's privacy officer approves a whole-record request: RecordErased", () => {
    given(intakeDecider, [...opened, requested('record', ALL)])
      .when(approve, { now, actor: networkOfficer })
      .then([
        {
          type: 'ErasureApproved',
          data: { requestId: 'r1', reason: 'request-verified', decidedBy: 'nia', agencyId: 'network' },
        },
        { type: 'RecordErased', data: { requestId: 'r1' } },
      ]);
  });

  it('a refusal carries its reason and erases nothing', () => {
    given(intakeDecider, [...opened, requested('record', ALL)])
      .when({ type: 'DecideErasure', requestId: 'r1', approve: false, reason: 'legal-hold' }, { now, actor: officer })
      .then([
        {
          type: 'ErasureRefused',
          data: { requestId: 'r1', reason: 'legal-hold', decidedBy: 'pat', agencyId: 'shelter' },
        },
      ]);
  });

  it('only a privacy officer decides, and an agency officer only for a care-team agency', () => {
    given(intakeDecider, [...opened, requested('record', ALL)])
      .when(approve, { now, actor: worker })
      .thenThrows('not-a-privacy-officer');
    given(intakeDecider, [...opened, requested('record', ALL)])
      .when(approve, { now, actor: otherOfficer })
      .thenThrows('not-officer-of-care-team');
  });

  it('a request is decided once; an unknown one is not found', () => {
    const decided: IntakeEvent = {
      type: 'ErasureRefused',
      data: { requestId: 'r1', reason: 'legal-hold', decidedBy: 'pat', agencyId: 'shelter' },
    };
    given(intakeDecider, [...opened, requested('record', ALL), decided])
      .when(approve, { now, actor: officer })
      .thenThrows('erasure-already-decided');
    given(intakeDecider, opened).when(approve, { now, actor: officer }).thenThrows('erasure-request-not-found');
  });

  it('after RecordErased nothing more can be written or decided: record-erased (410)', () => {
    const erased: IntakeEvent[] = [
      ...opened,
      requested('record', ALL),
      { type: 'RecordErased', data: { requestId: 'r1' } },
    ];
    given(intakeDecider, erased)
      .when(
        { type: 'UpdateSection', section: 'story', content: cipher, changedFields: ['narrative'] },
        { now, actor: worker },
      )
      .thenThrows('record-erased', 'gone');
  });

  it('retention expires each configured section that still holds content', () => {
    given(intakeDecider, opened)
      .when(
        {
          type: 'ExpireSections',
          expiries: [
            { section: 'story', inactiveSince: '2024-01-01T00:00:00.000Z', retentionDays: 730 },
            { section: 'legal', inactiveSince: '2024-01-01T00:00:00.000Z', retentionDays: 730 },
          ],
        },
        { now, actor: retention },
      )
      .then([
        {
          type: 'SectionRetentionExpired',
          data: { section: 'story', inactiveSince: '2024-01-01T00:00:00.000Z', retentionDays: 730 },
        },
        { type: 'SectionErased', data: { section: 'story', cause: 'retention', requestId: null } },
      ]);
  });

  it('retention is for the system job only, and finds nothing left after an erasure', () => {
    const expire: IntakeCommand = {
      type: 'ExpireSections',
      expiries: [{ section: 'story', inactiveSince: '2024-01-01T00:00:00.000Z', retentionDays: 730 }],
    };
    given(intakeDecider, opened).when(expire, { now, actor: worker }).thenThrows('not-a-worker');
    given(intakeDecider, [
      ...opened,
      { type: 'SectionErased', data: { section: 'story', cause: 'request', requestId: 'r1' } },
    ])
      .when(expire, { now, actor: retention })
      .thenThrows('nothing-to-erase');
  });
});
