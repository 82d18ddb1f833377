import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccess, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import { AuditErrors } from '@harbour/audit';
import { Problems } from '@harbour/kernel';
import { PrivacyErrors } from '@harbour/privacy';
import { SharingErrors as E } from '../errors.js';
import { DuplicateCheck } from './duplicate-check.js';
import { DuplicateCheckView } from './matching.responses.js';

const UUID = new ParseUUIDPipe();

/** Possible-duplicate hints: no search, only "this person may already have a record". */
@ApiTags('share codes')
@ApiBearerAuth()
@RecordsRefusals()
@Controller('intakes')
export class DuplicateCheckController {
  constructor(private readonly duplicates: DuplicateCheck) {}

  // Reads the intake's own identity section (care team only, an access event); answers a yes/no.
  @Exposes('survivor-data')
  @CaseAccess()
  @Roles('caseworker', 'supervisor')
  @Get(':survivorId/duplicate-check')
  @ApiOperation({
    summary:
      'May this person already have a record in the network? (care team; audited) Answers yes or no with advice: never which record or agency',
  })
  @Problems(E.intakeNotFound, E.accessDenied, E.recordErased, AuditErrors.accessNotRecorded, PrivacyErrors.dataErased)
  @ApiOkResponse({ type: DuplicateCheckView })
  check(@Param('survivorId', UUID) survivorId: string, @Meta() meta: RequestMeta) {
    return this.duplicates.check(meta.principal, survivorId, meta.requestId ?? 'unknown');
  }
}
