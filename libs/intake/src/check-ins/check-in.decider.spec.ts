import { given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import { type IntakeEvent, type IntakeState, intakeDecider } from '../record/intake.decider.js';
import { checkInDue } from './check-in.rules.js';

const now = new Date('2026-12-02T12:00:00Z');
const ana: Actor = { userId: 'ana', agencyId: 'shelter', role: 'caseworker' };
const lee: Actor = { userId: 'lee', agencyId: 'legal', role: 'caseworker' };
const cipher = { v: 1, kid: 'k', iv: 'aXY=', ct: 'Y3Q=', tag: 'dGFn' } as const;

const opened: IntakeEvent[] = [
  { type: 'IntakeOpened', data: { survivorId: 's1', agencyId: 'shelter', openedBy: 'ana' } },
];
const fortnightly: IntakeEvent = {
  type: 'CheckInScheduleSet',
  data: { everyDays: 14, startsOn: '2026-12-01', agreed: 'verbal', setBy: 'ana', agencyId: 'shelter' },
};
const held = (heldOn: string, over: Partial<{ needsChanged: boolean; goalsUpdated: boolean }> = {}): IntakeEvent => ({
  type: 'CheckInRecorded',
  data: {
    checkInId: 'c1',
    heldOn,
    needsChanged: false,
    goalsUpdated: false,
    consentReflectsWishes: true,
    recordedBy: 'ana',
    agencyId: 'shelter',
    ...over,
  },
});
const fold = (events: IntakeEvent[]): IntakeState => events.reduce(intakeDecider.evolve, intakeDecider.initialState());
const scheduleOf = (events: IntakeEvent[]) => {
  const state = fold(events);
  return state.status === 'open' ? state.checkIns : undefined;
};

describe('check-ins decider', () => {
  it('the care team sets the cadence the survivor agreed to', () => {
    given(intakeDecider, opened)
      .when({ type: 'ScheduleCheckIns', everyDays: 14, startsOn: '2026-12-01', agreed: 'verbal' }, { now, actor: ana })
      .then([fortnightly]);
  });

  it('the survivor may want no check-ins at all', () => {
    given(intakeDecider, [...opened, fortnightly])
      .when({ type: 'ScheduleCheckIns', everyDays: null, startsOn: null, agreed: 'written' }, { now, actor: ana })
      .then([
        {
          type: 'CheckInScheduleSet',
          data: { everyDays: null, startsOn: null, agreed: 'written', setBy: 'ana', agencyId: 'shelter' },
        },
      ]);
    expect(
      checkInDue(
        scheduleOf([
          ...opened,
          fortnightly,
          { ...fortnightly, data: { ...fortnightly.data, everyDays: null, startsOn: null } },
        ]),
        now,
      ),
    ).toBeNull();
  });

  it('refuses a cadence without a start, a start without a cadence, an out-of-range cadence, naming the field', () => {
    for (const [everyDays, startsOn, field] of [
      [14, null, 'startsOn'],
      [null, '2026-12-01', 'startsOn'],
      [0, '2026-12-01', 'everyDays'],
      [400, '2026-12-01', 'everyDays'],
    ] as const)
      expect(
        given(intakeDecider, opened)
          .when({ type: 'ScheduleCheckIns', everyDays, startsOn, agreed: 'verbal' }, { now, actor: ana })
          .thenThrows('invalid-check-in')
          .fields.map((f) => f.field),
      ).toEqual([field]);
  });

  it('setting the same cadence again changes nothing', () => {
    given(intakeDecider, [...opened, fortnightly])
      .when({ type: 'ScheduleCheckIns', everyDays: 14, startsOn: '2026-12-01', agreed: 'verbal' }, { now, actor: ana })
      .thenThrows('nothing-changed');
  });

  it('only the care team schedules or records check-ins', () => {
    given(intakeDecider, opened)
      .when({ type: 'ScheduleCheckIns', everyDays: 14, startsOn: '2026-12-01', agreed: 'verbal' }, { now, actor: lee })
      .thenThrows('not-on-care-team');
    given(intakeDecider, opened)
      .when(
        { type: 'RecordCheckIn', checkInId: 'c1', heldOn: '2026-12-01', consentReflectsWishes: true },
        { now, actor: lee },
      )
      .thenThrows('not-on-care-team');
  });

  it('a check-in that changed needs and goals writes both sections, then the check-in, in one append', () => {
    given(intakeDecider, [...opened, fortnightly])
      .when(
        {
          type: 'RecordCheckIn',
          checkInId: 'c1',
          heldOn: '2026-12-02',
          consentReflectsWishes: false,
          needs: { content: cipher, changedFields: ['needs'] },
          goals: { content: cipher, changedFields: ['goals'] },
        },
        { now, actor: ana },
      )
      .then([
        { type: 'IntakeSectionUpdated', data: { section: 'needs', content: cipher, changedFields: ['needs'] } },
        { type: 'IntakeSectionUpdated', data: { section: 'goals', content: cipher, changedFields: ['goals'] } },
        {
          type: 'CheckInRecorded',
          data: {
            checkInId: 'c1',
            heldOn: '2026-12-02',
            needsChanged: true,
            goalsUpdated: true,
            consentReflectsWishes: false,
            recordedBy: 'ana',
            agencyId: 'shelter',
          },
        },
      ]);
  });

  it('needs given unchanged are not written, and the check-in says they did not change', () => {
    given(intakeDecider, [...opened, fortnightly])
      .when(
        {
          type: 'RecordCheckIn',
          checkInId: 'c1',
          heldOn: '2026-12-02',
          consentReflectsWishes: true,
          needs: { content: cipher, changedFields: [] },
        },
        { now, actor: ana },
      )
      .then([held('2026-12-02')]);
  });

  it('refuses a check-in dated in the future', () => {
    const error = given(intakeDecider, opened)
      .when(
        { type: 'RecordCheckIn', checkInId: 'c1', heldOn: '2026-12-03', consentReflectsWishes: true },
        { now, actor: ana },
      )
      .thenThrows('invalid-check-in');
    expect(error.fields).toEqual([{ field: 'heldOn', problem: 'must not be in the future' }]);
  });

  it('due and overdue come from the cadence; a late check-in resets it and nothing counts what was not held', () => {
    const at = (day: string) => new Date(`${day}T09:00:00Z`);
    expect(checkInDue(scheduleOf([...opened, fortnightly]), at('2026-11-30'))).toMatchObject({
      nextDueOn: '2026-12-01',
      status: 'upcoming',
    });
    expect(checkInDue(scheduleOf([...opened, fortnightly]), at('2026-12-07'))).toMatchObject({ status: 'due' });
    expect(checkInDue(scheduleOf([...opened, fortnightly]), at('2026-12-08'))).toMatchObject({ status: 'overdue' });
    const late = scheduleOf([...opened, fortnightly, held('2026-12-20')]);
    expect(checkInDue(late, at('2026-12-21'))).toEqual({
      everyDays: 14,
      nextDueOn: '2027-01-03',
      status: 'upcoming',
      lastHeldOn: '2026-12-20',
    });
    expect(late).toEqual({
      everyDays: 14,
      startsOn: '2026-12-01',
      lastHeldOn: '2026-12-20',
      held: 1,
      consentReflectsWishes: true,
    });
    expect(Object.keys(late!)).not.toContain('missed');
  });

  it('an older check-in recorded late does not move the next one back', () => {
    const schedule = scheduleOf([...opened, fortnightly, held('2026-12-20'), held('2026-12-10')]);
    expect(schedule).toMatchObject({ lastHeldOn: '2026-12-20', held: 2 });
  });
});
