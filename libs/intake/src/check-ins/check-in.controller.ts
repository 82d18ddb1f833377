import { applyDecorators, Body, Controller, Param, ParseUUIDPipe, Post, Put, HttpCode } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccess, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import { Problems } from '@harbour/kernel';
import { PrivacyErrors } from '@harbour/privacy';
import { ChangeIntake } from '../record/intake.commands.js';
import { IntakeErrors } from '../errors.js';
import { CheckInDto, CheckInScheduleDto } from './check-in.dto.js';
import { CheckInWritten } from './check-in.responses.js';

const UUID = new ParseUUIDPipe();
/** Care-team writes that answer with ids, versions and dates only; their refusals are access events. */
const Worker = () =>
  applyDecorators(CaseAccess(), Roles('caseworker', 'supervisor'), Exposes('none'), RecordsRefusals());

/** Check-ins with the survivor: the cadence they agreed to, and what each check-in found. */
@ApiTags('check-ins')
@ApiBearerAuth()
@Controller('intakes')
export class CheckInController {
  constructor(private readonly commands: CommandBus) {}

  @Worker()
  @Put(':survivorId/check-ins/schedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the check-in cadence the survivor agreed to (or none)' })
  @Problems(
    IntakeErrors.notAWorker,
    IntakeErrors.intakeNotFound,
    IntakeErrors.notOnCareTeam,
    IntakeErrors.invalidCheckIn,
    IntakeErrors.nothingChanged,
    IntakeErrors.recordErased,
  )
  @ApiOkResponse({ type: CheckInWritten })
  schedule(@Param('survivorId', UUID) survivorId: string, @Body() body: CheckInScheduleDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(
      new ChangeIntake(meta, {
        type: 'schedule',
        survivorId,
        everyDays: body.everyDays ?? null,
        startsOn: body.startsOn ?? null,
        agreed: body.agreed,
      }),
    );
  }

  @Worker()
  @Post(':survivorId/check-ins')
  @ApiOperation({
    summary:
      "Record a check-in: whether needs changed (the needs section is written), goal progress (the goals section), and whether consent still reflects the survivor's wishes",
  })
  @Problems(
    IntakeErrors.notAWorker,
    IntakeErrors.intakeNotFound,
    IntakeErrors.notOnCareTeam,
    IntakeErrors.invalidCheckIn,
    IntakeErrors.recordErased,
    PrivacyErrors.dataErased,
    PrivacyErrors.masterKeyUnavailable,
  )
  @ApiCreatedResponse({ type: CheckInWritten, description: 'Created' })
  record(@Param('survivorId', UUID) survivorId: string, @Body() body: CheckInDto, @Meta() meta: RequestMeta) {
    const plain = JSON.parse(JSON.stringify(body)) as CheckInDto;
    return this.commands.execute(
      new ChangeIntake(meta, {
        type: 'check-in',
        survivorId,
        heldOn: plain.heldOn,
        consentReflectsWishes: plain.consentReflectsWishes,
        ...(plain.needs !== undefined ? { needs: plain.needs } : {}),
        ...(plain.goals !== undefined ? { goals: plain.goals } : {}),
      }),
    );
  }
}
