import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CurrentState } from '@harbour/event-store';
import { DomainError, newId } from '@harbour/kernel';
import { executionOptions, type RequestMeta, StaffDirectory } from '@harbour/auth';
import type { Section } from '@harbour/consent';
import { KeyRing } from '@harbour/privacy';
import { changedFields } from '../sections/changed-fields.js';
import { validateSection } from '../sections/validate.js';
import { intakeDecider, type IntakeCommand, intakeStream } from './intake.decider.js';
import { IntakeErrors } from '../errors.js';

export interface IntakeResult {
  /** The survivor whose intake was written. */
  id: string;
  survivorId: string;
  version: number;
  changedFields?: string[];
}

export type IntakeChange =
  | { type: 'open' }
  | { type: 'section'; survivorId: string; section: Section; content: unknown }
  | { type: 'assign'; survivorId: string; userId: string };

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
  ) {}

  async execute({ meta, change }: ChangeIntake): Promise<IntakeResult> {
    const survivorId = change.type === 'open' ? newId() : change.survivorId;
    let command: IntakeCommand;
    switch (change.type) {
      case 'open':
        command = { type: 'OpenIntake', survivorId };
        break;
      case 'section': {
        const content = validateSection(change.section, change.content);
        if (content instanceof DomainError) throw content;
        const { state } = await this.current.load(intakeStream(survivorId), intakeDecider);
        if (state.status === 'open' && state.erased) throw DomainError.of(IntakeErrors.recordErased);
        const entry = state.status === 'open' ? state.sections[change.section] : undefined;
        const before = entry
          ? await this.keys.decrypt<Record<string, unknown>>(survivorId, `intake:${change.section}`, entry.content)
          : null;
        const changed = changedFields(before, content as Record<string, unknown>);
        command = {
          type: 'UpdateSection',
          section: change.section,
          content: await this.keys.encrypt(survivorId, `intake:${change.section}`, content),
          changedFields: changed,
        };
        break;
      }
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
      result: ({ version }) => ({
        id: survivorId,
        survivorId,
        version,
        ...(command.type === 'UpdateSection' ? { changedFields: command.changedFields } : {}),
      }),
    });
  }
}
