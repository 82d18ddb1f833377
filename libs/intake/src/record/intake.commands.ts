import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CurrentState } from '@harbour/event-store';
import { CLOCK, type Clock, DomainError, newId } from '@harbour/kernel';
import { executionOptions, type RequestMeta, StaffDirectory } from '@harbour/auth';
import type { Section } from '@harbour/consent';
import { KeyRing } from '@harbour/privacy';
import { changedFields } from '../sections/changed-fields.js';
import { validateSection } from '../sections/validate.js';
import { intakeDecider, type IntakeCommand, intakeStream } from './intake.decider.js';
import { IntakeErrors } from '../errors.js';
import type { ObtainedHow } from '../erasure/erasure.events.js';
import { type CheckInDue, type CheckInSectionWrite, checkInDue } from '../check-ins/check-in.rules.js';

export interface IntakeResult {
  /** The survivor whose intake was written. */
  id: string;
  survivorId: string;
  version: number;
  changedFields?: string[];
  /** Check-ins: the check-in recorded, what it changed, and where the next one stands. */
  checkInId?: string;
  needsChanged?: boolean;
  goalsUpdated?: boolean;
  nextCheckIn?: CheckInDue | null;
}

export type IntakeChange =
  | { type: 'open' }
  | { type: 'section'; survivorId: string; section: Section; content: unknown }
  | { type: 'assign'; survivorId: string; userId: string }
  | { type: 'schedule'; survivorId: string; everyDays: number | null; startsOn: string | null; agreed: ObtainedHow }
  | {
      type: 'check-in';
      survivorId: string;
      heldOn: string;
      consentReflectsWishes: boolean;
      /** The whole `needs` section as it stands after the check-in (omitted: needs not discussed). */
      needs?: unknown;
      /** The whole `goals` section with the survivor's progress (omitted: goals not discussed). */
      goals?: unknown;
    };

export class ChangeIntake extends Command<IntakeResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly change: IntakeChange,
  ) {
    super();
  }
}

/** The worker role a principal acts in on an intake (supervisor outranks caseworker). */
export const workerRole = (roles: string[]) =>
  roles.includes('supervisor') ? 'supervisor' : roles.includes('caseworker') ? 'caseworker' : undefined;

/**
 * Intake commands. Section contents are validated against their typed shape, compared with the
 * current (decrypted) content to name what changed, and encrypted with the survivor's data key
 * before they reach the decider or the log.
 */
@CommandHandler(ChangeIntake)
export class ChangeIntakeHandler implements ICommandHandler<ChangeIntake> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly current: CurrentState,
    private readonly keys: KeyRing,
    private readonly staff: StaffDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ meta, change }: ChangeIntake): Promise<IntakeResult> {
    const survivorId = change.type === 'open' ? newId() : change.survivorId;
    let command: IntakeCommand;
    switch (change.type) {
      case 'open':
        command = { type: 'OpenIntake', survivorId };
        break;
      case 'section': {
        const write = await this.sectionWrite(survivorId, change.section, change.content);
        command = { type: 'UpdateSection', section: change.section, ...write };
        break;
      }
      case 'schedule':
        command = {
          type: 'ScheduleCheckIns',
          everyDays: change.everyDays,
          startsOn: change.startsOn,
          agreed: change.agreed,
        };
        break;
      case 'check-in':
        command = {
          type: 'RecordCheckIn',
          // Made here, not taken from the request: a repeat with the same Idempotency-Key answers the first result.
          checkInId: newId(),
          heldOn: change.heldOn,
          consentReflectsWishes: change.consentReflectsWishes,
          ...(change.needs !== undefined ? { needs: await this.sectionWrite(survivorId, 'needs', change.needs) } : {}),
          ...(change.goals !== undefined ? { goals: await this.sectionWrite(survivorId, 'goals', change.goals) } : {}),
        };
        break;
      case 'assign': {
        const member = await this.staff.standing(change.userId);
        if (!member) throw DomainError.of(IntakeErrors.staffNotFound);
        command = {
          type: 'AssignCareTeamMember',
          member: { userId: member.userId, agencyId: member.agencyId, active: member.active },
        };
        break;
      }
    }
    return this.repository.execute({
      streamId: intakeStream(survivorId),
      decider: intakeDecider,
      command,
      ...executionOptions(meta, workerRole(meta.principal.roles), change),
      result: ({ version, state, events }) => ({
        id: survivorId,
        survivorId,
        version,
        ...(command.type === 'UpdateSection' ? { changedFields: command.changedFields } : {}),
        ...(command.type === 'RecordCheckIn' || command.type === 'ScheduleCheckIns'
          ? {
              ...checkInFacts(events),
              nextCheckIn: checkInDue(state.status === 'open' ? state.checkIns : undefined, this.clock.now()),
            }
          : {}),
      }),
    });
  }

  /**
   * One section's new content, validated, compared with the current (decrypted) content to name
   * what changed, and encrypted with the survivor's data key.
   */
  private async sectionWrite(survivorId: string, section: Section, body: unknown): Promise<CheckInSectionWrite> {
    const content = validateSection(section, body);
    if (content instanceof DomainError) throw content;
    const { state } = await this.current.load(intakeStream(survivorId), intakeDecider);
    if (state.status === 'open' && state.erased) throw DomainError.of(IntakeErrors.recordErased);
    const entry = state.status === 'open' ? state.sections[section] : undefined;
    const before = entry
      ? await this.keys.decrypt<Record<string, unknown>>(survivorId, `intake:${section}`, entry.content)
      : null;
    return {
      content: await this.keys.encrypt(survivorId, `intake:${section}`, content),
      changedFields: changedFields(before, content as Record<string, unknown>),
    };
  }
}

/** What a recorded check-in says it changed (ids and yes/no only). */
function checkInFacts(events: Array<{ type: string; data: unknown }>) {
  const recorded = events.find((e) => e.type === 'CheckInRecorded')?.data as
    { checkInId: string; needsChanged: boolean; goalsUpdated: boolean } | undefined;
  return recorded
    ? { checkInId: recorded.checkInId, needsChanged: recorded.needsChanged, goalsUpdated: recorded.goalsUpdated }
    : {};
}
