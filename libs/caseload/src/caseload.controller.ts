import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditErrors } from '@harbour/audit';
import { CaseAccess, Exposes, Meta, type RequestMeta, Roles } from '@harbour/auth';
import { Problems } from '@harbour/kernel';
import { CaseloadQueryDto } from './caseload.dto.js';
import { CaseloadQueries } from './caseload.queries.js';
import { CaseloadView } from './caseload.responses.js';

@ApiTags('caseload')
@ApiBearerAuth()
@Controller('caseload')
export class CaseloadController {
  constructor(private readonly queries: CaseloadQueries) {}

  @CaseAccess()
  @Roles('caseworker', 'supervisor')
  @Exposes('survivor-data')
  @Get()
  @ApiOperation({
    summary:
      'Your caseload: survivors on your care teams (opaque ids, which sections you may see), check-ins due, consents expiring soon, open referrals — one access event per survivor shown',
  })
  @Problems(AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: CaseloadView })
  list(@Query() query: CaseloadQueryDto, @Meta() meta: RequestMeta) {
    return this.queries.list(meta.principal, query.page, query.pageSize, meta.requestId ?? 'unknown');
  }
}
