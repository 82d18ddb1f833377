import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '@harbour/event-store';
import { newId } from '@harbour/kernel';
import { executionOptions, type RequestMeta } from '@harbour/auth';
import type { Section } from '@harbour/consent';
import { KeyRing } from '@harbour/privacy';
import { workerRole } from '../record/intake.commands.js';
import { intakeDecider, type IntakeCommand, intakeStream } from '../record/intake.decider.js';
import type { ApprovalReason, ErasureScope, ObtainedHow, RefusalReason } from './erasure.events.js';

export interface ErasureResult {
  /** The erasure request. */
  id: string;
  survivorId: string;
  requestId: string;
  /** The intake stream's version after the write. */
  version: number;
  /** After a decision: what was carried out (`record`, the erased sections, or nothing on refusal). */
  erased?: 'record' | Section[];
}

export type ErasureChange =
  | { type: 'request'; scope: ErasureScope; sections: Section[]; obtainedHow: ObtainedHow }
  | { type: 'approve'; requestId: string; reason: ApprovalReason }
  | { type: 'refuse'; requestId: string; reason: RefusalReason };

export class ChangeErasure extends Command<ErasureResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly survivorId: string,
    readonly change: ErasureChange,
  ) {
    super();
  }
}

/** The officer role a principal decides in (the network's outranks an agency's). */
const officerRole = (roles: string[]) =>
  roles.includes('network-privacy-officer')
    ? 'network-privacy-officer'
    : roles.includes('privacy-officer')
      ? 'privacy-officer'
      : roles[0];

/**
 * Erasure requests and decisions on the intake stream. An approved whole-record erasure
 * destroys the survivor's data key right after RecordErased is appended; the erasure projection
 * destroys it again (idempotent) if this process stopped in between.
 */
@CommandHandler(ChangeErasure)
export class ChangeErasureHandler implements ICommandHandler<ChangeErasure> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly keys: KeyRing,
  ) {}

  async execute({ meta, survivorId, change }: ChangeErasure): Promise<ErasureResult> {
    const requestId = change.type === 'request' ? newId() : change.requestId;
    const command: IntakeCommand =
      change.type === 'request'
        ? {
            type: 'RequestErasure',
            requestId,
            scope: change.scope,
            sections: change.sections,
            obtainedHow: change.obtainedHow,
          }
        : change.type === 'approve'
          ? { type: 'DecideErasure', requestId, approve: true, reason: change.reason }
          : { type: 'DecideErasure', requestId, approve: false, reason: change.reason };
    const role = change.type === 'request' ? workerRole(meta.principal.roles) : officerRole(meta.principal.roles);
    const result = await this.repository.execute({
      streamId: intakeStream(survivorId),
      decider: intakeDecider,
      command,
      ...executionOptions(meta, role, { survivorId, change }),
      result: ({ events, version }): ErasureResult => {
        const sections = events.flatMap((e) => (e.type === 'SectionErased' ? [e.data.section] : []));
        const record = events.some((e) => e.type === 'RecordErased');
        return {
          id: requestId,
          survivorId,
          requestId,
          version,
          ...(change.type === 'approve' ? { erased: record ? 'record' : sections } : {}),
        };
      },
    });
    if (result.erased === 'record') await this.keys.destroy(survivorId);
    return result;
  }
}
