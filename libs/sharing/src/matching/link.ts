import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Injectable } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { CaseAccess, executionOptions, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import { AuditErrors } from '@harbour/audit';
import { type Section, SECTIONS } from '@harbour/consent';
import { AggregateRepository, CurrentState, EventStore } from '@harbour/event-store';
import { DomainError, NotFound, Problems } from '@harbour/kernel';
import {
  AccessGate,
  IntakeErrors,
  intakeDecider,
  type IntakeCommand,
  type IntakeEvent,
  intakeStream,
  onCareTeam,
  workerRole,
} from '@harbour/intake';
import { type Cipher, KeyRing, PrivacyErrors } from '@harbour/privacy';

const UUID = new ParseUUIDPipe();
const LINK_ROUTE = 'POST /v1/intakes/:survivorId/link';

export class LinkDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The existing record the survivor opened to your agency with their share code (its survivorId)',
  })
  @IsUUID()
  recordId!: string;
}

export class IntakeLinkView {
  @ApiProperty({ format: 'uuid', description: 'This intake (the second record)' }) survivorId!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The record it now points to; null once unlinked',
  })
  linkedTo!: string | null;
  @ApiProperty({
    type: [String],
    description: 'Sections filled from the record (link) or restored or removed (unlink)',
  })
  sections!: string[];
  @ApiProperty({ description: "This intake stream's version after the write" }) version!: number;
}

/**
 * Linking a second intake to the record the survivor brought with a share code. The record's
 * sections are read through the gate as the caller (an access event on the record's trail: the
 * code's consent decides what is permitted), encrypted with this survivor's key and written into
 * the second intake with `IntakeLinked`, which closes it; unlinking restores the sections as they
 * were before the link (removing those that were empty) and reopens it.
 */
@Injectable()
export class IntakeLinker {
  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly current: CurrentState,
    private readonly gate: AccessGate,
    private readonly keys: KeyRing,
    private readonly store: EventStore,
  ) {}

  async link(meta: RequestMeta, survivorId: string, recordId: string): Promise<IntakeLinkView> {
    const { principal } = meta;
    const role = workerRole(principal.roles);
    const actor = this.gate.actorOf(principal);
    const { state: second } = await this.current.load(intakeStream(survivorId), intakeDecider);
    if (second.status !== 'open') throw new NotFound('Intake', IntakeErrors.intakeNotFound);
    if (!onCareTeam(second, actor)) throw DomainError.of(IntakeErrors.notOnCareTeam);
    const { state: record } = await this.current.load(intakeStream(recordId), intakeDecider);
    const member =
      record.status === 'open' ? (record.shareMembers ?? []).find((m) => m.agencyId === principal.agencyId) : undefined;
    const fill: Array<{ section: Section; content: Cipher; changedFields: string[] }> = [];
    if (member && recordId !== survivorId && !second.link) {
      // The audited read of the record, exactly as the code's consent allows it to this worker.
      const admissions = await this.gate.admit(
        {
          principal,
          survivorIds: [recordId],
          sections: SECTIONS,
          purpose: 'care-coordination',
          requestId: meta.requestId ?? 'unknown',
          route: LINK_ROUTE,
        },
        async ({ decision, intake }) => {
          if (intake.status !== 'open') return;
          for (const d of decision.sections) {
            const entry = d.decision === 'permit' ? intake.sections[d.section] : undefined;
            if (!entry) continue;
            const content = await this.keys.decrypt<Record<string, unknown>>(
              recordId,
              `intake:${d.section}`,
              entry.content,
            );
            fill.push({
              section: d.section,
              content: await this.keys.encrypt(survivorId, `intake:${d.section}`, content),
              changedFields: Object.keys(content).sort(),
            });
          }
        },
      );
      const admission = admissions.get(recordId)!;
      if (admission.decision.outcome === 'denied') throw this.gate.refusal(admission, IntakeErrors.accessDenied);
    }
    const command: IntakeCommand = {
      type: 'LinkIntake',
      recordId,
      fill,
      facts: {
        redeemedHere: member ? { codeId: member.codeId, consentId: member.consentId } : null,
        recordLinked: record.status === 'open' && Boolean(record.link),
      },
    };
    return this.aggregates.execute({
      streamId: intakeStream(survivorId),
      decider: intakeDecider,
      command,
      ...executionOptions(meta, role, { survivorId, recordId }),
      result: ({ version }) => ({ survivorId, linkedTo: recordId, sections: fill.map((f) => f.section), version }),
    });
  }

  async unlink(meta: RequestMeta, survivorId: string): Promise<IntakeLinkView> {
    const { state } = await this.current.load(intakeStream(survivorId), intakeDecider);
    if (state.status !== 'open') throw new NotFound('Intake', IntakeErrors.intakeNotFound);
    const restore: Array<{ section: Section; content: Cipher }> = [];
    for (const f of state.link?.filled ?? []) {
      if (f.previousVersion === null) continue;
      const [event] = await this.store.readStream(intakeStream(survivorId), f.previousVersion, 1);
      const data = (event as unknown as IntakeEvent | undefined)?.data as { content?: Cipher } | undefined;
      if (event?.type === 'IntakeSectionUpdated' && data?.content)
        restore.push({ section: f.section, content: data.content });
    }
    const sections = state.link?.filled.map((f) => f.section) ?? [];
    return this.aggregates.execute({
      streamId: intakeStream(survivorId),
      decider: intakeDecider,
      command: { type: 'UnlinkIntake', restore },
      ...executionOptions(meta, workerRole(meta.principal.roles), { survivorId, unlink: true }),
      result: ({ version }) => ({ survivorId, linkedTo: null, sections, version }),
    });
  }
}

const LINK_PROBLEMS = [
  IntakeErrors.notAWorker,
  IntakeErrors.intakeNotFound,
  IntakeErrors.notOnCareTeam,
  IntakeErrors.recordErased,
  PrivacyErrors.dataErased,
];

/** Link and unlink a second intake (its care team). */
@ApiTags('share codes')
@ApiBearerAuth()
@RecordsRefusals()
@Controller('intakes')
export class IntakeLinkController {
  constructor(private readonly linker: IntakeLinker) {}

  // Answers ids and section names; the filled content is read through GET /v1/intakes/{id} (audited).
  @Exposes('none')
  @CaseAccess()
  @Roles('caseworker', 'supervisor')
  @Post(':survivorId/link')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Link this second intake to the record the survivor brought with a share code: fills its sections within the code’s consent, then closes it',
  })
  @Problems(
    ...LINK_PROBLEMS,
    IntakeErrors.accessDenied,
    IntakeErrors.intakeLinked,
    IntakeErrors.linkToItself,
    IntakeErrors.linkNeedsShareCode,
    IntakeErrors.linkTargetLinked,
    AuditErrors.accessNotRecorded,
  )
  @ApiOkResponse({ type: IntakeLinkView })
  link(@Param('survivorId', UUID) survivorId: string, @Body() body: LinkDto, @Meta() meta: RequestMeta) {
    return this.linker.link(meta, survivorId, body.recordId);
  }

  @Exposes('none')
  @CaseAccess()
  @Roles('caseworker', 'supervisor')
  @Post(':survivorId/unlink')
  @HttpCode(200)
  @ApiOperation({ summary: 'Undo a link: the intake is its own record again, its sections as they were before' })
  @Problems(...LINK_PROBLEMS, IntakeErrors.intakeNotLinked)
  @ApiOkResponse({ type: IntakeLinkView })
  unlink(@Param('survivorId', UUID) survivorId: string, @Meta() meta: RequestMeta) {
    return this.linker.unlink(meta, survivorId);
  }
}
