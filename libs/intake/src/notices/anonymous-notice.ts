import { Body, Controller, Post } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, Matches } from 'class-validator';
import { AggregateRepository, type Decider } from '@harbour/event-store';
import { Exposes, CaseAccess, executionOptions, Meta, type RequestMeta, Roles } from '@harbour/auth';
import { BodyExample, DomainError, newId, Problems } from '@harbour/kernel';
import { AGE_BANDS, type AgeBand } from '../sections/common.js';
import { IntakeErrors } from '../errors.js';
import { NoticeWritten } from '../record/record.responses.js';
import { NEED_CATEGORIES, type NeedCategory, REGION_PATTERN } from '@harbour/vocabulary';

/**
 * A de-identified notice for a survivor who declines to be identified: needs, region, age band
 * and month — no person id, no free text. It feeds statistics and nothing else.
 */
export interface AnonymousNotice {
  needs: NeedCategory[];
  region: string;
  ageBand: AgeBand;
  /** YYYY-MM */
  month: string;
}

type NoticeEvent = { type: 'AnonymousNoticeRecorded'; data: AnonymousNotice & { agencyId: string } };
type NoticeCommand = { type: 'RecordAnonymousNotice'; notice: AnonymousNotice };

const noticeDecider: Decider<{ recorded: boolean }, NoticeCommand, NoticeEvent> = {
  initialState: () => ({ recorded: false }),
  decide(command, state, { actor, now }) {
    if (state.recorded) throw DomainError.of(IntakeErrors.noticeExists);
    if (!actor.agencyId)
      throw DomainError.of(IntakeErrors.notAWorker, { message: 'Only agency workers record notices' });
    if (command.notice.month > now.toISOString().slice(0, 7)) {
      throw DomainError.of(IntakeErrors.monthInFuture, {
        fields: [{ field: 'month', problem: 'must not be in the future' }],
      });
    }
    return [{ type: 'AnonymousNoticeRecorded', data: { ...command.notice, agencyId: actor.agencyId } }];
  },
  evolve: () => ({ recorded: true }),
};

@BodyExample({ needs: ['shelter', 'legal'], region: 'on-toronto', ageBand: '25-34', month: '2026-10' })
export class AnonymousNoticeDto implements AnonymousNotice {
  @ArrayMinSize(1) @ArrayMaxSize(18) @ArrayUnique() @IsIn(NEED_CATEGORIES, { each: true }) needs!: NeedCategory[];
  @Matches(REGION_PATTERN, { message: '$property must be a region code' }) region!: string;
  @IsIn(AGE_BANDS) ageBand!: AgeBand;
  @Matches(/^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/, { message: '$property must be a month, YYYY-MM' }) month!: string;
}

export class RecordAnonymousNotice extends Command<{ id: string; noticeId: string; version: number }> {
  constructor(
    readonly meta: RequestMeta,
    readonly notice: AnonymousNotice,
  ) {
    super();
  }
}

@CommandHandler(RecordAnonymousNotice)
export class RecordAnonymousNoticeHandler implements ICommandHandler<RecordAnonymousNotice> {
  constructor(private readonly repository: AggregateRepository) {}

  execute({ meta, notice }: RecordAnonymousNotice) {
    const noticeId = newId();
    return this.repository.execute({
      streamId: `notice-${noticeId}`,
      decider: noticeDecider,
      command: { type: 'RecordAnonymousNotice', notice },
      ...executionOptions(meta, meta.principal.roles.includes('supervisor') ? 'supervisor' : 'caseworker', notice),
      result: ({ version }) => ({ id: noticeId, noticeId, version }),
    });
  }
}

@ApiTags('survivor record')
@ApiBearerAuth()
@Exposes('none') // nothing about any survivor (see libs/auth exposure.ts)
@Controller('anonymous-notices')
export class AnonymousNoticeController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @CaseAccess()
  @Roles('caseworker', 'supervisor')
  @ApiOperation({ summary: 'Record a de-identified notice (statistics only): needs, region, age band, month' })
  @Problems(IntakeErrors.noticeExists, IntakeErrors.notAWorker, IntakeErrors.monthInFuture)
  @ApiCreatedResponse({ type: NoticeWritten, description: 'Created' })
  record(@Body() body: AnonymousNoticeDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(
      new RecordAnonymousNotice(meta, {
        needs: body.needs,
        region: body.region,
        ageBand: body.ageBand,
        month: body.month,
      }),
    );
  }
}
