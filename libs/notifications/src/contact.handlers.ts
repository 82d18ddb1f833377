import { Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CurrentState } from '@harbour/event-store';
import { DomainError, NotFound } from '@harbour/kernel';
import { actorOf, executionOptions, markRecorded, type RequestMeta } from '@harbour/auth';
import { AccessGate, intakeDecider, intakeStream, onCareTeam, workerRole } from '@harbour/intake';
import { contactDecider, type ContactState } from './contact.decider.js';
import { NotificationErrors as E } from './errors.js';
import { contactStream, type DoNotContactReason } from './notification.events.js';

export interface DoNotContactView {
  survivorId: string;
  doNotContact: boolean;
  reasonCode: DoNotContactReason | null;
  setAt: string | null;
  version: number;
}

const view = (survivorId: string, state: ContactState, version: number): DoNotContactView => ({
  survivorId,
  doNotContact: state.doNotContact,
  reasonCode: state.doNotContact ? state.reasonCode : null,
  setAt: state.doNotContact ? state.setAt : null,
  version,
});

export class SetDoNotContact extends Command<DoNotContactView> {
  constructor(
    readonly meta: RequestMeta,
    readonly survivorId: string,
    readonly reasonCode: DoNotContactReason,
  ) {
    super();
  }
}

export class ClearDoNotContact extends Command<DoNotContactView> {
  constructor(
    readonly meta: RequestMeta,
    readonly survivorId: string,
  ) {
    super();
  }
}

@Injectable()
abstract class ContactWrite {
  constructor(
    protected readonly aggregates: AggregateRepository,
    protected readonly current: CurrentState,
  ) {}

  protected async write(meta: RequestMeta, survivorId: string, set: DoNotContactReason | null) {
    const role = workerRole(meta.principal.roles);
    if (!role) throw DomainError.of(E.notAWorker);
    const { state: intake } = await this.current.load(intakeStream(survivorId), intakeDecider);
    if (intake.status === 'none') throw new NotFound('Intake', E.intakeNotFound);
    const facts = { onCareTeam: onCareTeam(intake, actorOf(meta.principal, role)) };
    return this.aggregates.execute({
      streamId: contactStream(survivorId),
      decider: contactDecider,
      command:
        set === null
          ? { type: 'ClearDoNotContact', survivorId, facts }
          : { type: 'SetDoNotContact', survivorId, reasonCode: set, facts },
      ...executionOptions(meta, role, { survivorId, set }),
      result: ({ state, version }) => view(survivorId, state, version),
    });
  }
}

@CommandHandler(SetDoNotContact)
export class SetDoNotContactHandler extends ContactWrite implements ICommandHandler<SetDoNotContact> {
  execute({ meta, survivorId, reasonCode }: SetDoNotContact): Promise<DoNotContactView> {
    return this.write(meta, survivorId, reasonCode);
  }
}

@CommandHandler(ClearDoNotContact)
export class ClearDoNotContactHandler extends ContactWrite implements ICommandHandler<ClearDoNotContact> {
  execute({ meta, survivorId }: ClearDoNotContact): Promise<DoNotContactView> {
    return this.write(meta, survivorId, null);
  }
}

/** The switch as it stands, for the care team only: read through the gate (section `contact`), so the read is an access event. */
@Injectable()
export class DoNotContactReader {
  constructor(
    private readonly gate: AccessGate,
    private readonly current: CurrentState,
  ) {}

  async read(meta: RequestMeta, survivorId: string, route: string): Promise<DoNotContactView> {
    let answer: DoNotContactView | null = null;
    const admissions = await this.gate.admit(
      {
        principal: meta.principal,
        survivorIds: [survivorId],
        sections: ['contact'],
        purpose: 'care-coordination',
        requestId: meta.requestId ?? 'unknown',
        route,
        careTeamOnly: true,
      },
      async ({ decision }) => {
        if (decision.outcome === 'denied') return;
        const { state, version } = await this.current.load(contactStream(survivorId), contactDecider);
        answer = view(survivorId, state, version);
      },
    );
    const admission = admissions.get(survivorId)!;
    if (!admission.exists) throw markRecorded(new NotFound('Intake', E.intakeNotFound));
    if (!answer) throw this.gate.refusal(admission, E.notOnCareTeam);
    return answer;
  }
}
