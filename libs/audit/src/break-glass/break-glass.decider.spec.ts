import { given } from '@harbour/event-store';
import type { Cipher } from '@harbour/privacy';
import { breakGlassDecider, type BreakGlassEvent } from './break-glass.decider.js';

const cipher = { v: 1, kid: 'k', iv: 'aXY=', ct: 'Y3Q=', tag: 'dGFn' } as unknown as Cipher;
const SUP = { userId: 'sup-1', agencyId: 'agency-a', role: 'supervisor' };
const PO = { userId: 'po-1', agencyId: 'agency-a', role: 'privacy-officer' };
const T0 = new Date('2026-11-02T09:00:00.000Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);
const open = (over: Record<string, unknown> = {}) => ({
  type: 'OpenBreakGlass' as const,
  grantId: 'g-1',
  survivorId: 's-1',
  justification: cipher,
  justificationLength: 60,
  hours: 4,
  intakeExists: true,
  ...over,
});
const opened: BreakGlassEvent = {
  type: 'BreakGlassOpened',
  data: {
    grantId: 'g-1',
    survivorId: 's-1',
    userId: 'sup-1',
    agencyId: 'agency-a',
    justification: cipher,
    openedAt: T0.toISOString(),
    expiresAt: hours(4).toISOString(),
  },
};

describe('break-glass: open', () => {
  it('a supervisor opens it for 4 hours by default', () => {
    given(breakGlassDecider).when(open(), { now: T0, actor: SUP }).then([opened]);
  });
  it('for at most 24 hours', () => {
    given(breakGlassDecider)
      .when(open({ hours: 25 }), { now: T0, actor: SUP })
      .thenThrows('validation-failed', 'invalid');
    const [e] = given(breakGlassDecider)
      .when(open({ hours: 24 }), { now: T0, actor: SUP })
      .then([{ ...opened, data: { ...opened.data, expiresAt: hours(24).toISOString() } }]);
    expect(e).toBeDefined();
  });
  it('needs a written justification of at least 40 characters', () => {
    const error = given(breakGlassDecider)
      .when(open({ justificationLength: 39 }), { now: T0, actor: SUP })
      .thenThrows('validation-failed');
    expect(error.fields).toEqual([{ field: 'justification', problem: 'must be at least 40 characters' }]);
  });
  it('only a supervisor, only on an existing intake, one open grant at a time', () => {
    given(breakGlassDecider)
      .when(open(), { now: T0, actor: { ...SUP, role: 'caseworker' } })
      .thenThrows('not-a-supervisor', 'forbidden');
    given(breakGlassDecider)
      .when(open({ intakeExists: false }), { now: T0, actor: SUP })
      .thenThrows('intake-not-found', 'not-found');
    given(breakGlassDecider, [opened])
      .when(open({ grantId: 'g-2' }), { now: hours(1), actor: SUP })
      .thenThrows('break-glass-already-open', 'conflict');
    // Once that one has expired, a new one may be opened.
    given(breakGlassDecider, [opened])
      .when(open({ grantId: 'g-2' }), { now: hours(5), actor: SUP })
      .then([
        {
          type: 'BreakGlassOpened',
          data: { ...opened.data, grantId: 'g-2', openedAt: hours(5).toISOString(), expiresAt: hours(9).toISOString() },
        },
      ]);
  });
});

describe('break-glass: end', () => {
  it('the opener closes it early; the end is an event', () => {
    given(breakGlassDecider, [opened])
      .when({ type: 'CloseBreakGlass', grantId: 'g-1' }, { now: hours(1), actor: SUP })
      .then([
        {
          type: 'BreakGlassClosed',
          data: {
            grantId: 'g-1',
            survivorId: 's-1',
            reason: 'closed',
            closedBy: 'sup-1',
            closedAt: hours(1).toISOString(),
          },
        },
      ]);
    given(breakGlassDecider, [opened])
      .when({ type: 'CloseBreakGlass', grantId: 'g-1' }, { now: hours(1), actor: { ...SUP, userId: 'sup-2' } })
      .thenThrows('not-the-opener', 'forbidden');
  });
  it('expiry is recorded at the expiry instant, only once it has passed', () => {
    const system = { userId: 'system:break-glass', agencyId: null, role: 'system' };
    given(breakGlassDecider, [opened])
      .when({ type: 'ExpireBreakGlass', grantId: 'g-1' }, { now: hours(3), actor: system })
      .thenThrows('break-glass-not-expired', 'conflict');
    given(breakGlassDecider, [opened])
      .when({ type: 'ExpireBreakGlass', grantId: 'g-1' }, { now: hours(6), actor: system })
      .then([
        {
          type: 'BreakGlassClosed',
          data: {
            grantId: 'g-1',
            survivorId: 's-1',
            reason: 'expired',
            closedBy: 'system:break-glass',
            closedAt: hours(4).toISOString(),
          },
        },
      ]);
  });
});

describe('break-glass: review', () => {
  const closed: BreakGlassEvent = {
    type: 'BreakGlassClosed',
    data: { grantId: 'g-1', survivorId: 's-1', reason: 'closed', closedBy: 'sup-1', closedAt: hours(1).toISOString() },
  };
  const review = (officerScope: 'agency' | 'network' = 'agency') => ({
    type: 'ReviewBreakGlass' as const,
    grantId: 'g-1',
    finding: 'justified' as const,
    note: cipher,
    officerScope,
  });

  it('a privacy officer records one finding once it has ended', () => {
    given(breakGlassDecider, [opened])
      .when(review(), { now: hours(1), actor: PO })
      .thenThrows('break-glass-still-open', 'conflict');
    const reviewed: BreakGlassEvent = {
      type: 'BreakGlassReviewed',
      data: {
        grantId: 'g-1',
        survivorId: 's-1',
        finding: 'justified',
        note: cipher,
        reviewerId: 'po-1',
        reviewerAgencyId: 'agency-a',
        reviewedAt: hours(2).toISOString(),
      },
    };
    given(breakGlassDecider, [opened, closed])
      .when(review(), { now: hours(2), actor: PO })
      .then([reviewed]);
    given(breakGlassDecider, [opened, closed, reviewed])
      .when(review(), { now: hours(3), actor: PO })
      .thenThrows('break-glass-reviewed', 'conflict');
    // Expired without an explicit end event counts as ended too.
    given(breakGlassDecider, [opened])
      .when(review(), { now: hours(5), actor: PO })
      .then([{ ...reviewed, data: { ...reviewed.data, reviewedAt: hours(5).toISOString() } }]);
  });
  it("an agency privacy officer reviews only their own agency's grants; nobody reviews their own", () => {
    given(breakGlassDecider, [opened, closed])
      .when(review('agency'), { now: hours(2), actor: { ...PO, agencyId: 'agency-z' } })
      .thenThrows('break-glass-not-found', 'not-found');
    given(breakGlassDecider, [opened, closed])
      .when(review('network'), {
        now: hours(2),
        actor: { ...PO, agencyId: 'agency-z', role: 'network-privacy-officer' },
      })
      .then([
        {
          type: 'BreakGlassReviewed',
          data: {
            grantId: 'g-1',
            survivorId: 's-1',
            finding: 'justified',
            note: cipher,
            reviewerId: 'po-1',
            reviewerAgencyId: 'agency-z',
            reviewedAt: hours(2).toISOString(),
          },
        },
      ]);
    given(breakGlassDecider, [opened, closed])
      .when(review('network'), { now: hours(2), actor: { ...SUP } })
      .thenThrows('own-break-glass', 'forbidden');
  });
});
