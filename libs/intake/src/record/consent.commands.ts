import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CurrentState } from '@harbour/event-store';
import { NotFound, newId } from '@harbour/kernel';
import { executionOptions, type RequestMeta } from '@harbour/auth';
import { type ConsentCommand, consentDecider, consentStream } from '@harbour/consent';
import { workerRole } from './intake.commands.js';
import { intakeDecider, intakeStream } from './intake.decider.js';
import { IntakeErrors } from '../errors.js';

type WithoutCareTeam<T> = T extends unknown ? Omit<T, 'careTeamAgencyIds' | 'consentId' | 'exclusionId'> : never;

/** A consent decision as the survivor gave it, recorded by a worker on their care team. */
export type ConsentChange = WithoutCareTeam<Exclude<ConsentCommand, { type: 'RecordShareCodeConsent' }>> & {
  consentId?: string;
  exclusionId?: string;
};

export interface ConsentResult {
  /** The consent or exclusion written. */
  id: string;
  survivorId: string;
  consentId?: string;
  exclusionId?: string;
  /** The consent's own version (bumped by amendments); referrals bind to (consentId, consentVersion). */
  consentVersion?: number;
  version: number;
}

export class ChangeConsent extends Command<ConsentResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly survivorId: string,
    readonly change: ConsentChange,
  ) {
    super();
  }
}

@CommandHandler(ChangeConsent)
export class ChangeConsentHandler implements ICommandHandler<ChangeConsent> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly current: CurrentState,
  ) {}

  async execute({ meta, survivorId, change }: ChangeConsent): Promise<ConsentResult> {
    const { state: intake } = await this.current.load(intakeStream(survivorId), intakeDecider);
    if (intake.status === 'none') throw new NotFound('Intake', IntakeErrors.intakeNotFound);
    const ids =
      change.type === 'RecordConsent'
        ? { consentId: newId() }
        : change.type === 'RecordExclusion'
          ? { exclusionId: newId() }
          : { consentId: change.consentId, exclusionId: change.exclusionId };
    const command = { ...change, ...ids, careTeamAgencyIds: intake.careTeamAgencyIds } as ConsentCommand;
    return this.repository.execute({
      streamId: consentStream(survivorId),
      decider: consentDecider,
      command,
      ...executionOptions(meta, workerRole(meta.principal.roles), { survivorId, change }),
      result: ({ state, version }) => {
        const consent = ids.consentId ? state.consents.find((c) => c.consentId === ids.consentId) : undefined;
        return {
          id: (ids.consentId ?? ids.exclusionId)!,
          survivorId,
          ...ids,
          ...(consent ? { consentVersion: consent.version } : {}),
          version,
        };
      },
    });
  }
}
