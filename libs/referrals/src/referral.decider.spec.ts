import { given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import type { ReferralCommand, RequestFacts } from './referral.commands.js';
import { referralDecider } from './referral.decider.js';
import type { ReferralEvent, ReferralNotice } from './referral.events.js';

// --- fixtures: synthetic agencies and workers, one moment ------------------------------------------

const NOW = new Date('2026-11-02T09:00:00.000Z');
const FROM = 'agency-from';
const TO = 'agency-to';
const R = 'referral-1';
const cw = (userId: string, agencyId: string, role = 'caseworker'): Actor => ({ userId, agencyId, role });
const ana = cw('ana', FROM);
const tom = cw('tom', TO);
const other = cw('olga', 'agency-other');
const system: Actor = { userId: 'system:referral-expiry', agencyId: null, role: 'system' };
const at = (actor: Actor, now = NOW) => ({ now, actor });

const notice: ReferralNotice = {
  needs: ['shelter'],
  urgency: 'high',
  language: 'tl',
  region: 'on-toronto',
  ageBand: '25-34',
};
const facts: RequestFacts = {
  requesterOnCareTeam: true,
  receivingAgency: { status: 'active', tier: 'core', sector: 'shelter' },
  servedNeeds: ['shelter'],
  responseWindowHours: 72,
  consent: { consentId: 'consent-1', version: 2 },
  exclusion: null,
};
const request = (
  over: Partial<Extract<ReferralCommand, { type: 'RequestReferral' }>> = {},
  f: Partial<RequestFacts> = {},
): ReferralCommand => ({
  type: 'RequestReferral',
  referralId: R,
  survivorId: 'survivor-1',
  toAgencyId: TO,
  needs: ['shelter'],
  urgency: 'high',
  note: 'needs a bed tonight',
  notice,
  facts: { ...facts, ...f },
  ...over,
});

const requested: ReferralEvent = {
  type: 'ReferralRequested',
  data: {
    referralId: R,
    survivorId: 'survivor-1',
    fromAgencyId: FROM,
    toAgencyId: TO,
    toSector: 'shelter',
    requestedBy: 'ana',
    needs: ['shelter'],
    urgency: 'high',
    note: 'needs a bed tonight',
    consentId: 'consent-1',
    consentVersion: 2,
    notice,
    respondBy: '2026-11-05T09:00:00.000Z',
  },
};
const acknowledged: ReferralEvent = { type: 'ReferralAcknowledged', data: { referralId: R, by: 'tom' } };
const accepted: ReferralEvent = {
  type: 'ReferralAccepted',
  data: { referralId: R, by: 'tom', assignedCaseworkerId: 'tess' },
};
const declined: ReferralEvent = { type: 'ReferralDeclined', data: { referralId: R, by: 'tom', reason: 'no-capacity' } };
const scheduled: ReferralEvent = {
  type: 'IntroductionScheduled',
  data: { referralId: R, by: 'ana', at: '2026-11-04T15:00:00.000Z', mode: 'in-person', attendees: ['ana', 'tess'] },
};
const confirmedFrom: ReferralEvent = { type: 'HandoffConfirmed', data: { referralId: R, by: 'ana', agencyId: FROM } };
const confirmedTo: ReferralEvent = { type: 'HandoffConfirmed', data: { referralId: R, by: 'tom', agencyId: TO } };
const completed: ReferralEvent = { type: 'HandoffCompleted', data: { referralId: R } };
const closed: ReferralEvent = { type: 'ReferralClosed', data: { referralId: R, by: 'tom', outcome: 'engaged' } };
const withdrawn: ReferralEvent = { type: 'ReferralWithdrawn', data: { referralId: R, by: 'ana', agencyId: FROM } };
const expired: ReferralEvent = { type: 'ReferralExpired', data: { referralId: R } };

/** Histories that end in each state. */
const HISTORY = {
  requested: [requested],
  acknowledged: [requested, acknowledged],
  accepted: [requested, acknowledged, accepted],
  declined: [requested, acknowledged, declined],
  'introduction-scheduled': [requested, acknowledged, accepted, scheduled],
  'handoff-completed': [requested, acknowledged, accepted, scheduled, confirmedFrom, confirmedTo, completed],
  closed: [requested, acknowledged, accepted, scheduled, confirmedFrom, confirmedTo, completed, closed],
  withdrawn: [requested, withdrawn],
  expired: [requested, expired],
} satisfies Record<string, ReferralEvent[]>;
type State = keyof typeof HISTORY;
const assignee = { userId: 'tess', agencyId: TO, active: true, roles: ['caseworker'] };
const staffAgencies = { ana: FROM, tess: TO };
const on = (state: State) => given(referralDecider, HISTORY[state]);

describe('requesting a referral', () => {
  it('records the request with the consent it rests on and the acknowledgement deadline (response window)', () => {
    given(referralDecider).when(request(), at(ana)).then([requested]);
  });

  it.each<[string, Partial<RequestFacts>, string, string]>([
    ['the requester is not on the care team', { requesterOnCareTeam: false }, 'not-on-care-team', 'forbidden'],
    [
      'the receiving agency is unknown',
      { receivingAgency: { status: 'none', tier: null, sector: null } },
      'receiving-agency-not-eligible',
      'invalid',
    ],
    [
      'the receiving agency is an associate',
      { receivingAgency: { status: 'active', tier: 'associate', sector: 'shelter' } },
      'receiving-agency-not-eligible',
      'invalid',
    ],
    [
      'the receiving agency is suspended',
      { receivingAgency: { status: 'suspended', tier: 'core', sector: 'shelter' } },
      'receiving-agency-not-eligible',
      'invalid',
    ],
    [
      'the receiving agency has no service for the needs',
      { servedNeeds: [], responseWindowHours: null },
      'no-service-for-needs',
      'invalid',
    ],
    ['no consent covers the receiving agency for referral', { consent: null }, 'no-referral-consent', 'forbidden'],
    ['the survivor excluded the agency', { exclusion: 'agency' }, 'referral-excluded', 'forbidden'],
    [
      'the survivor excluded the sector (even with a consent)',
      { exclusion: 'sector' },
      'referral-excluded',
      'forbidden',
    ],
  ])('is refused when %s', (_, f, code, kind) => {
    given(referralDecider)
      .when(request({}, f), at(ana))
      .thenThrows(code, kind as never);
  });

  it('names the missing precondition in the error', () => {
    const consent = given(referralDecider)
      .when(request({}, { consent: null }), at(ana))
      .thenThrows('no-referral-consent');
    expect(consent.message).toMatch(/consent .*receiving agency .*'referral'/);
    const agency = given(referralDecider)
      .when(request({}, { receivingAgency: { status: 'applicant', tier: null, sector: 'shelter' } }), at(ana))
      .thenThrows('receiving-agency-not-eligible');
    expect(agency.fields).toEqual([{ field: 'toAgencyId', problem: 'must be an active core member agency' }]);
    const service = given(referralDecider)
      .when(request({}, { servedNeeds: [], responseWindowHours: null }), at(ana))
      .thenThrows('no-service-for-needs');
    expect(service.fields[0].field).toBe('needs');
    expect(
      given(referralDecider)
        .when(request({}, { exclusion: 'sector' }), at(ana))
        .thenThrows('referral-excluded').details,
    ).toEqual({ excluded: 'sector' });
  });

  it("says why no consent covers the agency (the decision point's nearest miss)", () => {
    const e = given(referralDecider)
      .when(request({}, { consent: null, consentMiss: 'consent-revoked' }), at(ana))
      .thenThrows('no-referral-consent', 'forbidden');
    expect(e.details).toEqual({ purpose: 'referral', reason: 'consent-revoked' });
  });

  it('an exclusion wins over a consent and a service: it is reported first', () => {
    given(referralDecider)
      .when(request({}, { exclusion: 'agency', consent: null, servedNeeds: [] }), at(ana))
      .thenThrows('referral-excluded');
  });

  it('refuses bad fields by name', () => {
    const e = given(referralDecider)
      .when(request({ needs: [], urgency: 'soon' as never, note: 'x'.repeat(281), toAgencyId: FROM }), at(ana))
      .thenThrows('invalid-referral', 'invalid');
    expect(e.fields.map((f) => f.field)).toEqual(['needs', 'urgency', 'note', 'toAgencyId']);
  });

  it('only caseworkers and supervisors refer', () => {
    given(referralDecider)
      .when(request(), at(cw('adam', FROM, 'agency-admin')))
      .thenThrows('not-a-worker', 'forbidden');
  });

  it('a referral id is used once', () => {
    on('requested').when(request(), at(ana)).thenThrows('referral-exists', 'conflict');
  });
});

describe('transitions', () => {
  it('requested → acknowledged (receiving agency)', () => {
    on('requested').when({ type: 'AcknowledgeReferral' }, at(tom)).then([acknowledged]);
  });
  it('acknowledged → accepted, with the assigned worker', () => {
    on('acknowledged').when({ type: 'AcceptReferral', assignee }, at(tom)).then([accepted]);
  });
  it('acknowledged → declined, with a reason', () => {
    on('acknowledged').when({ type: 'DeclineReferral', reason: 'no-capacity' }, at(tom)).then([declined]);
  });
  it('accepted → introduction-scheduled (either agency)', () => {
    on('accepted')
      .when(
        {
          type: 'ScheduleIntroduction',
          at: '2026-11-04T15:00:00Z',
          mode: 'in-person',
          attendees: ['ana', 'tess'],
          staffAgencies,
        },
        at(ana),
      )
      .then([scheduled]);
  });
  it('an introduction can be rescheduled', () => {
    const again: ReferralEvent = {
      type: 'IntroductionScheduled',
      data: {
        referralId: R,
        by: 'tom',
        at: '2026-11-06T10:00:00.000Z',
        mode: 'video',
        attendees: ['tess', 'survivor', 'interpreter'],
      },
    };
    on('introduction-scheduled')
      .when(
        {
          type: 'ScheduleIntroduction',
          at: '2026-11-06T10:00:00.000Z',
          mode: 'video',
          attendees: ['tess', 'survivor', 'interpreter'],
          staffAgencies,
        },
        at(tom),
      )
      .then([again]);
  });
  it('the first agency to confirm the handoff does not complete it', () => {
    on('introduction-scheduled').when({ type: 'ConfirmHandoff' }, at(ana)).then([confirmedFrom]);
  });
  it('introduction-scheduled → handoff-completed once both agencies confirmed', () => {
    given(referralDecider, [...HISTORY['introduction-scheduled'], confirmedFrom])
      .when({ type: 'ConfirmHandoff' }, at(tom))
      .then([confirmedTo, completed]);
  });
  it('handoff-completed → closed, with an outcome', () => {
    on('handoff-completed').when({ type: 'CloseReferral', outcome: 'engaged' }, at(tom)).then([closed]);
  });
  it('requested → expired once the response window has passed', () => {
    on('requested')
      .when({ type: 'ExpireReferral' }, at(system, new Date('2026-11-05T09:00:00.000Z')))
      .then([expired]);
  });

  it.each(['requested', 'acknowledged', 'accepted', 'introduction-scheduled', 'handoff-completed'] as State[])(
    '%s → withdrawn, recorded by either agency',
    (state) => {
      on(state).when({ type: 'WithdrawReferral' }, at(ana)).then([withdrawn]);
      on(state)
        .when({ type: 'WithdrawReferral' }, at(tom))
        .then([{ type: 'ReferralWithdrawn', data: { referralId: R, by: 'tom', agencyId: TO } }]);
    },
  );
});

describe('refusals', () => {
  const ILLEGAL: Array<[string, ReferralCommand, Actor, State[]]> = [
    [
      'acknowledge',
      { type: 'AcknowledgeReferral' },
      tom,
      [
        'acknowledged',
        'accepted',
        'declined',
        'introduction-scheduled',
        'handoff-completed',
        'closed',
        'withdrawn',
        'expired',
      ],
    ],
    [
      'accept',
      { type: 'AcceptReferral', assignee },
      tom,
      [
        'requested',
        'accepted',
        'declined',
        'introduction-scheduled',
        'handoff-completed',
        'closed',
        'withdrawn',
        'expired',
      ],
    ],
    [
      'decline',
      { type: 'DeclineReferral', reason: 'other' },
      tom,
      [
        'requested',
        'accepted',
        'declined',
        'introduction-scheduled',
        'handoff-completed',
        'closed',
        'withdrawn',
        'expired',
      ],
    ],
    [
      'schedule',
      {
        type: 'ScheduleIntroduction',
        at: '2026-11-04T15:00:00Z',
        mode: 'phone',
        attendees: ['ana'],
        staffAgencies: { ana: FROM },
      },
      ana,
      ['requested', 'acknowledged', 'declined', 'handoff-completed', 'closed', 'withdrawn', 'expired'],
    ],
    [
      'confirm the handoff',
      { type: 'ConfirmHandoff' },
      ana,
      ['requested', 'acknowledged', 'accepted', 'declined', 'handoff-completed', 'closed', 'withdrawn', 'expired'],
    ],
    [
      'close',
      { type: 'CloseReferral', outcome: 'other' },
      ana,
      ['requested', 'acknowledged', 'accepted', 'declined', 'introduction-scheduled', 'closed', 'withdrawn', 'expired'],
    ],
    ['withdraw', { type: 'WithdrawReferral' }, ana, ['declined', 'closed', 'withdrawn', 'expired']],
    [
      'expire',
      { type: 'ExpireReferral' },
      system,
      [
        'acknowledged',
        'accepted',
        'declined',
        'introduction-scheduled',
        'handoff-completed',
        'closed',
        'withdrawn',
        'expired',
      ],
    ],
  ];
  const cases = ILLEGAL.flatMap(([action, command, actor, states]) =>
    states.map((state) => [action, state, command, actor] as const),
  );

  it.each(cases)('%s from %s is 409 with the current state', (_, state, command, actor) => {
    const error = on(state)
      .when(command, at(actor, new Date('2026-12-01T00:00:00Z')))
      .thenThrows('illegal-transition', 'conflict');
    expect(error.details).toEqual({ currentState: state });
  });

  it('does not expire before the deadline', () => {
    expect(
      on('requested')
        .when({ type: 'ExpireReferral' }, at(system, new Date('2026-11-05T08:59:59.999Z')))
        .thenThrows('not-yet-due', 'conflict').details,
    ).toMatchObject({ currentState: 'requested' });
  });

  it('only the system expires a referral', () => {
    on('requested')
      .when({ type: 'ExpireReferral' }, at(ana, new Date('2026-12-01T00:00:00Z')))
      .thenThrows('not-the-system', 'forbidden');
  });

  it.each<[string, ReferralCommand, State]>([
    ['acknowledge', { type: 'AcknowledgeReferral' }, 'requested'],
    ['accept', { type: 'AcceptReferral', assignee }, 'acknowledged'],
    ['decline', { type: 'DeclineReferral', reason: 'other' }, 'acknowledged'],
  ])('only the receiving agency may %s', (_, command, state) => {
    on(state).when(command, at(ana)).thenThrows('not-the-receiving-agency', 'forbidden');
  });

  it('agencies that are not a party cannot act at all', () => {
    on('requested').when({ type: 'WithdrawReferral' }, at(other)).thenThrows('not-a-party', 'forbidden');
    on('accepted')
      .when(
        { type: 'ScheduleIntroduction', at: '2026-11-04T15:00:00Z', mode: 'phone', attendees: ['survivor'] },
        at(other),
      )
      .thenThrows('not-a-party', 'forbidden');
  });

  it('non-workers cannot act', () => {
    on('requested')
      .when({ type: 'AcknowledgeReferral' }, at(cw('adam', TO, 'agency-admin')))
      .thenThrows('not-a-worker', 'forbidden');
  });

  it('the assignee must be an active worker of the receiving agency', () => {
    on('acknowledged')
      .when({ type: 'AcceptReferral', assignee: null }, at(tom))
      .thenThrows('staff-not-found', 'not-found');
    on('acknowledged')
      .when({ type: 'AcceptReferral', assignee: { ...assignee, agencyId: FROM } }, at(tom))
      .thenThrows('assignee-not-eligible', 'invalid');
    on('acknowledged')
      .when({ type: 'AcceptReferral', assignee: { ...assignee, roles: ['analyst'] } }, at(tom))
      .thenThrows('assignee-not-eligible', 'invalid');
    on('acknowledged')
      .when({ type: 'AcceptReferral', assignee: { ...assignee, active: false } }, at(tom))
      .thenThrows('staff-deactivated', 'conflict');
    const excluded = on('acknowledged')
      .when({ type: 'AcceptReferral', assignee: { ...assignee, excluded: 'staff' } }, at(tom))
      .thenThrows('referral-excluded', 'forbidden');
    expect(excluded.details).toEqual({ excluded: 'staff' });
    on('acknowledged')
      .when({ type: 'AcceptReferral', assignee: { ...assignee, excluded: 'agency' } }, at(tom))
      .thenThrows('referral-excluded', 'forbidden');
  });

  it('an agency confirms a handoff once', () => {
    given(referralDecider, [...HISTORY['introduction-scheduled'], confirmedFrom])
      .when({ type: 'ConfirmHandoff' }, at(ana))
      .thenThrows('handoff-already-confirmed', 'conflict');
  });

  it('refuses bad fields by name', () => {
    expect(
      on('acknowledged')
        .when({ type: 'DeclineReferral', reason: 'bored' as never }, at(tom))
        .thenThrows('invalid-referral', 'invalid').fields[0].field,
    ).toBe('reason');
    const e = on('accepted')
      .when({ type: 'ScheduleIntroduction', at: 'soon', mode: 'carrier-pigeon' as never, attendees: [] }, at(ana))
      .thenThrows('invalid-referral', 'invalid');
    expect(e.fields.map((f) => f.field)).toEqual(['at', 'mode', 'attendees']);
    expect(
      on('handoff-completed')
        .when({ type: 'CloseReferral', outcome: 'meh' as never }, at(ana))
        .thenThrows('invalid-referral', 'invalid').fields[0].field,
    ).toBe('outcome');
    // Attendees are staff of either agency or a role word — a name (or a stranger) is refused by position.
    const names = on('accepted').when(
      {
        type: 'ScheduleIntroduction',
        at: '2026-11-04T15:00:00Z',
        mode: 'phone',
        attendees: ['ana', 'Maria Santos', 'olga'],
        staffAgencies: { ana: FROM, olga: 'agency-other' },
      },
      at(ana),
    );
    expect(names.thenThrows('invalid-referral', 'invalid').fields.map((f) => f.field)).toEqual([
      'attendees.1',
      'attendees.2',
    ]);
  });

  it('acting on a referral that does not exist is 404', () => {
    given(referralDecider).when({ type: 'AcknowledgeReferral' }, at(tom)).thenThrows('referral-not-found', 'not-found');
  });
});
