import { given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import { type ConsentWatchCommand, consentWatchDecider } from './consent-watch.decider.js';
import { contactDecider } from './contact.decider.js';
import type { ConsentWatchEvent, ContactEvent } from './notification.events.js';
import { CONSENT_NOTIFICATIONS } from './consent.notifications.js';
import { type NotificationType, subjectOf } from './notification-types.js';

const now = new Date('2026-11-20T09:00:00Z');
const job: Actor = { userId: 'system:consent-reminders', agencyId: null, role: 'system' };
const ana: Actor = { userId: 'ana', agencyId: 'care', role: 'caseworker' };
const ctx = { now, actor: job };

const remind = (
  over: Partial<Extract<ConsentWatchCommand, { type: 'RecordReviewReminder' }>> = {},
): ConsentWatchCommand => ({
  type: 'RecordReviewReminder',
  survivorId: 's1',
  consentId: 'k1',
  version: 1,
  validUntil: '2026-12-01T00:00:00.000Z',
  leadDays: 14,
  agencyIds: ['care', 'care', 'legal'],
  ...over,
});
const reminded = (validUntil = '2026-12-01T00:00:00.000Z', version = 1): ConsentWatchEvent => ({
  type: 'ConsentReviewReminderRecorded',
  data: {
    survivorId: 's1',
    consentId: 'k1',
    version,
    validUntil,
    leadDays: 14,
    agencyIds: ['care', 'legal'],
    recordedAt: now.toISOString(),
  },
});
const end = (reason: 'expired' | 'revoked' = 'revoked'): ConsentWatchCommand => ({
  type: 'RecordAccessEnded',
  survivorId: 's1',
  consentId: 'k1',
  version: 2,
  reason,
  endedAt: '2026-11-20T08:00:00.000Z',
  agencyIds: ['shelter'],
});
const ended: ConsentWatchEvent = {
  type: 'ConsentAccessEndedRecorded',
  data: {
    survivorId: 's1',
    consentId: 'k1',
    version: 2,
    reason: 'revoked',
    endedAt: '2026-11-20T08:00:00.000Z',
    agencyIds: ['shelter'],
    recordedAt: now.toISOString(),
  },
};

describe('consent watch: one reminder per consent per window, one end per consent', () => {
  it('given nothing, a consent ending within the lead gets a reminder to its care team (each agency once)', () => {
    given(consentWatchDecider, []).when(remind(), ctx).then([reminded()]);
  });

  it('given a reminder for this window, a second sweep (after a restart, or in another process) records nothing', () => {
    given(consentWatchDecider, [reminded()]).when(remind(), ctx).then([]);
  });

  it('given a reminder, an amendment that moves the window gets a new reminder for the new window', () => {
    given(consentWatchDecider, [reminded()])
      .when(remind({ validUntil: '2027-01-01T00:00:00.000Z', version: 2 }), ctx)
      .then([reminded('2027-01-01T00:00:00.000Z', 2)]);
  });

  it('given no care team agency, nobody is reminded and nothing is recorded', () => {
    given(consentWatchDecider, [])
      .when(remind({ agencyIds: [] }), ctx)
      .then([]);
  });

  it('given nothing, a revocation records one access-ended notice for the agencies whose access ended', () => {
    given(consentWatchDecider, [reminded()]).when(end(), ctx).then([ended]);
  });

  it('given an end already recorded, neither another end nor a reminder is recorded', () => {
    given(consentWatchDecider, [ended]).when(end('expired'), ctx).then([]);
    given(consentWatchDecider, [ended]).when(remind(), ctx).then([]);
  });
});

const set: ContactEvent = {
  type: 'DoNotContactSet',
  data: {
    survivorId: 's1',
    reasonCode: 'safety-risk',
    setBy: { userId: 'ana', agencyId: 'care' },
    setAt: now.toISOString(),
  },
};

describe('do not contact: the care team sets and clears it, with a reason code', () => {
  const team = { onCareTeam: true };
  it('given nothing, the care team sets it', () => {
    given(contactDecider, [])
      .when({ type: 'SetDoNotContact', survivorId: 's1', reasonCode: 'safety-risk', facts: team }, { now, actor: ana })
      .then([set]);
  });

  it('given nothing, a worker off the care team is refused', () => {
    given(contactDecider, [])
      .when(
        { type: 'SetDoNotContact', survivorId: 's1', reasonCode: 'safety-risk', facts: { onCareTeam: false } },
        { now, actor: ana },
      )
      .thenThrows('not-on-care-team', 'forbidden');
  });

  it('given nothing, an unknown reason code is refused (no free text)', () => {
    given(contactDecider, [])
      .when(
        { type: 'SetDoNotContact', survivorId: 's1', reasonCode: 'she said so' as never, facts: team },
        { now, actor: ana },
      )
      .thenThrows('invalid-do-not-contact', 'invalid');
  });

  it('given it is set, setting it again is a conflict; clearing it clears it; clearing twice is a conflict', () => {
    given(contactDecider, [set])
      .when({ type: 'SetDoNotContact', survivorId: 's1', reasonCode: 'other', facts: team }, { now, actor: ana })
      .thenThrows('do-not-contact-already-set', 'conflict');
    const cleared: ContactEvent = {
      type: 'DoNotContactCleared',
      data: { survivorId: 's1', clearedBy: { userId: 'ana', agencyId: 'care' }, clearedAt: now.toISOString() },
    };
    given(contactDecider, [set])
      .when({ type: 'ClearDoNotContact', survivorId: 's1', facts: team }, { now, actor: ana })
      .then([cleared]);
    given(contactDecider, [set, cleared])
      .when({ type: 'ClearDoNotContact', survivorId: 's1', facts: team }, { now, actor: ana })
      .thenThrows('do-not-contact-not-set', 'conflict');
  });
});

describe('notification subjects: the declared ids, dates and codes, or nothing', () => {
  const [due, invitation, accessEnded] = CONSENT_NOTIFICATIONS;
  it('keeps only the declared fields (never agency lists or anything else in the event)', () => {
    expect(subjectOf(due as NotificationType, reminded().data)).toEqual({
      survivorId: 's1',
      consentId: 'k1',
      consentVersion: 1,
      validUntil: '2026-12-01T00:00:00.000Z',
    });
    expect(subjectOf(invitation as NotificationType, reminded().data)).toEqual({
      survivorId: 's1',
      consentId: 'k1',
      validUntil: '2026-12-01T00:00:00.000Z',
    });
    // The survivor id is not sent to agencies whose access ended: they may not be on the care team.
    expect(subjectOf(accessEnded as NotificationType, ended.data)).toEqual({
      consentId: 'k1',
      consentVersion: 2,
      reason: 'revoked',
      endedAt: '2026-11-20T08:00:00.000Z',
    });
  });

  it('refuses a subject holding anything but a token (a name, free text): the event is not notified at all', () => {
    const leaky: NotificationType = {
      eventType: 'X',
      type: 'x',
      audience: 'agency',
      fields: ['planId'],
      recipients: () => ['a'],
      subject: (d) => ({ planId: d.planId as string }),
      summary: 'x',
    };
    expect(subjectOf(leaky, { planId: 'Maria Synthetic-Santos' })).toBeNull();
    expect(subjectOf(leaky, { planId: undefined })).toBeNull();
    expect(subjectOf(leaky, { planId: '6f1c0a4e-0000-4000-8000-000000000001' })).toEqual({
      planId: '6f1c0a4e-0000-4000-8000-000000000001',
    });
  });
});
