import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccess, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import { SECTIONS, type Section } from '@harbour/consent';
import { Problems, ValidationFailed } from '@harbour/kernel';
import { ChangeConsent, type ConsentChange } from './consent.commands.js';
import { ChangeIntake } from './intake.commands.js';
import {
  AmendmentDto,
  CareTeamMemberDto,
  ConsentDto,
  ExclusionDto,
  MethodDto,
  ReadQueryDto,
  SectionUpdateDto,
} from './record.dto.js';
import { SurvivorRecordReader } from './survivor-record.reader.js';
import { IntakeErrors, RECORD_READ_PROBLEMS } from '../errors.js';
import { ConsentErrors } from '@harbour/consent';
import { PrivacyErrors } from '@harbour/privacy';
import { ConsentWritten, IntakeWritten, SurvivorRecordView } from './record.responses.js';

const UUID = new ParseUUIDPipe();
const plain = <T>(dto: T): T => JSON.parse(JSON.stringify(dto)) as T;
const sectionParam = (value: string): Section => {
  if (!(SECTIONS as readonly string[]).includes(value))
    throw new ValidationFailed([{ field: 'section', problem: `section must be one of: ${SECTIONS.join(', ')}` }]);
  return value as Section;
};

/** The survivor's record: the shared intake and the consents that decide who reads it. */
/** Writes need a worker of an active core agency; reads are decided (and recorded) by the decision point. */
/** Every write answers with ids and versions only: it exposes nothing about the survivor. Its refusals are access events. */
const Worker = () =>
  applyDecorators(CaseAccess(), Roles('caseworker', 'supervisor'), Exposes('none'), RecordsRefusals());

@ApiTags('survivor record')
@ApiBearerAuth()
@Controller('intakes')
export class RecordController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reader: SurvivorRecordReader,
  ) {}

  @Worker()
  @Post()
  @ApiOperation({ summary: "Open a new survivor's intake; the caller's agency joins the care team" })
  @Problems(IntakeErrors.notAWorker, IntakeErrors.intakeExists)
  @ApiCreatedResponse({ type: IntakeWritten, description: 'Created' })
  open(@Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeIntake(meta, { type: 'open' }));
  }

  // No @RecordsRefusals(): the gate records this route's refusals itself (the hot path).
  @Exposes('survivor-data')
  @Get(':survivorId')
  @ApiOperation({
    summary:
      'Read the sections consent allows, for a stated purpose, now or as of an instant (every read, and every refusal, is recorded)',
  })
  @Problems(...RECORD_READ_PROBLEMS)
  @ApiOkResponse({ type: SurvivorRecordView })
  read(@Param('survivorId', UUID) survivorId: string, @Query() query: ReadQueryDto, @Meta() meta: RequestMeta) {
    return this.reader.read({
      principal: meta.principal,
      survivorId,
      purpose: query.purpose,
      sections: query.sections ?? SECTIONS,
      asOf: query.asOf ? new Date(query.asOf) : undefined,
      requestId: meta.requestId ?? 'unknown',
      route: 'GET /v1/intakes/:survivorId',
    });
  }

  @Worker()
  @Put(':survivorId/sections/:section')
  @ApiOperation({
    summary: 'Replace one section (If-Match: the version last read); the event records which fields changed',
  })
  @Problems(
    IntakeErrors.notAWorker,
    IntakeErrors.intakeNotFound,
    IntakeErrors.notOnCareTeam,
    IntakeErrors.nothingChanged,
    IntakeErrors.recordErased,
    IntakeErrors.intakeLinked,
    PrivacyErrors.dataErased,
    PrivacyErrors.masterKeyUnavailable,
  )
  @ApiOkResponse({ type: IntakeWritten })
  updateSection(
    @Param('survivorId', UUID) survivorId: string,
    @Param('section') section: string,
    @Body() body: SectionUpdateDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.commands.execute(
      new ChangeIntake(meta, { type: 'section', survivorId, section: sectionParam(section), content: body.content }),
    );
  }

  @CaseAccess()
  @Roles('supervisor')
  @Exposes('none')
  @RecordsRefusals()
  @Post(':survivorId/care-team')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign a worker of your agency to the care team' })
  @Problems(
    IntakeErrors.intakeNotFound,
    IntakeErrors.notOnCareTeam,
    IntakeErrors.notASupervisor,
    IntakeErrors.notOwnStaff,
    IntakeErrors.staffNotFound,
    IntakeErrors.staffDeactivated,
    IntakeErrors.alreadyOnCareTeam,
    IntakeErrors.intakeLinked,
  )
  @ApiOkResponse({ type: IntakeWritten })
  assign(@Param('survivorId', UUID) survivorId: string, @Body() body: CareTeamMemberDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeIntake(meta, { type: 'assign', survivorId, userId: body.userId }));
  }

  @Worker()
  @Post(':survivorId/consents')
  @ApiOperation({ summary: 'Record a consent the survivor gave (default expiry: 12 months)' })
  @Problems(
    IntakeErrors.intakeNotFound,
    ConsentErrors.notAWorker,
    ConsentErrors.notOnCareTeam,
    ConsentErrors.invalidConsent,
    ConsentErrors.consentExists,
  )
  @ApiCreatedResponse({ type: ConsentWritten, description: 'Created' })
  consent(@Param('survivorId', UUID) survivorId: string, @Body() body: ConsentDto, @Meta() meta: RequestMeta) {
    return this.consentChange(meta, survivorId, { type: 'RecordConsent', ...plain(body) } as ConsentChange);
  }

  @Worker()
  @Post(':survivorId/consents/:consentId/amendments')
  @HttpCode(200)
  @Problems(
    IntakeErrors.intakeNotFound,
    ConsentErrors.notAWorker,
    ConsentErrors.notOnCareTeam,
    ConsentErrors.invalidConsent,
    ConsentErrors.consentNotFound,
    ConsentErrors.consentRevoked,
    ConsentErrors.consentVersionMismatch,
    ConsentErrors.nothingToAmend,
  )
  @ApiOkResponse({ type: ConsentWritten })
  amend(
    @Param('survivorId', UUID) survivorId: string,
    @Param('consentId', UUID) consentId: string,
    @Body() body: AmendmentDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.consentChange(meta, survivorId, { type: 'AmendConsent', consentId, ...plain(body) });
  }

  @Worker()
  @Post(':survivorId/consents/:consentId/revocation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a consent: it stops counting on the very next read' })
  @Problems(
    IntakeErrors.intakeNotFound,
    ConsentErrors.notAWorker,
    ConsentErrors.notOnCareTeam,
    ConsentErrors.invalidConsent,
    ConsentErrors.consentNotFound,
    ConsentErrors.consentAlreadyRevoked,
  )
  @ApiOkResponse({ type: ConsentWritten })
  revoke(
    @Param('survivorId', UUID) survivorId: string,
    @Param('consentId', UUID) consentId: string,
    @Body() body: MethodDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.consentChange(meta, survivorId, {
      type: 'RevokeConsent',
      consentId,
      method: body.method,
    });
  }

  @Worker()
  @Post(':survivorId/exclusions')
  @ApiOperation({ summary: 'Record an exclusion (a sector, an agency or a staff member): it overrides every permit' })
  @Problems(
    IntakeErrors.intakeNotFound,
    ConsentErrors.notAWorker,
    ConsentErrors.notOnCareTeam,
    ConsentErrors.invalidExclusion,
    ConsentErrors.exclusionExists,
  )
  @ApiCreatedResponse({ type: ConsentWritten, description: 'Created' })
  exclude(@Param('survivorId', UUID) survivorId: string, @Body() body: ExclusionDto, @Meta() meta: RequestMeta) {
    return this.consentChange(meta, survivorId, { type: 'RecordExclusion', ...plain(body) } as ConsentChange);
  }

  @Worker()
  @Post(':survivorId/exclusions/:exclusionId/lifting')
  @HttpCode(200)
  @Problems(
    IntakeErrors.intakeNotFound,
    ConsentErrors.notAWorker,
    ConsentErrors.notOnCareTeam,
    ConsentErrors.invalidExclusion,
    ConsentErrors.exclusionNotFound,
    ConsentErrors.exclusionAlreadyLifted,
  )
  @ApiOkResponse({ type: ConsentWritten })
  lift(
    @Param('survivorId', UUID) survivorId: string,
    @Param('exclusionId', UUID) exclusionId: string,
    @Body() body: MethodDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.consentChange(meta, survivorId, {
      type: 'LiftExclusion',
      exclusionId,
      method: body.method,
    });
  }

  private consentChange(meta: RequestMeta, survivorId: string, change: ConsentChange) {
    return this.commands.execute(new ChangeConsent(meta, survivorId, change));
  }
}
