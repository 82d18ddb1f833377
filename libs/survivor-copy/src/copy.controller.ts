import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { CaseAccess, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import { RECORD_READ_PROBLEMS } from '@harbour/intake';
import { Problems } from '@harbour/kernel';
import { type CopyFormat, CopyQueryDto } from './copy.dto.js';
import { SurvivorCopyView } from './copy.responses.js';
import { SurvivorCopyService } from './copy.service.js';
import { COPY_CSP, copyHtml } from './html.js';
import { Words } from './translations.js';

const UUID = new ParseUUIDPipe();
const MEDIA: Record<string, CopyFormat> = { 'application/json': 'json', 'text/html': 'html' };

/** `?format=` wins; else the Accept header (negotiator weighs q-values); JSON by default. */
function formatOf(query: CopyQueryDto, request: FastifyRequest): CopyFormat {
  if (query.format) return query.format;
  const chosen = new Negotiator({ headers: { accept: request.headers.accept ?? '*/*' } }).mediaType(Object.keys(MEDIA));
  return (chosen && MEDIA[chosen]) || 'json';
}

@ApiTags('survivor record')
@ApiBearerAuth()
@ApiExtraModels(SurvivorCopyView)
@Controller('intakes')
export class SurvivorCopyController {
  constructor(private readonly copies: SurvivorCopyService) {}

  @CaseAccess()
  @Roles('caseworker', 'supervisor')
  @Exposes('survivor-data')
  @RecordsRefusals()
  @Get(':survivorId/copy')
  @ApiOperation({
    summary:
      "The survivor's own copy (care team): the record now, every consent decision, the referrals, and who has seen the record — JSON, or a printable page in the survivor's language (an access event)",
  })
  @Problems(...RECORD_READ_PROBLEMS)
  @ApiOkResponse({
    description: 'JSON (default), or printable HTML with Accept: text/html or format=html',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SurvivorCopyView) } },
      'text/html': { schema: { type: 'string' } },
    },
  })
  async copy(
    @Param('survivorId', UUID) survivorId: string,
    @Query() query: CopyQueryDto,
    @Meta() meta: RequestMeta,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const format = formatOf(query, request);
    const copy = await this.copies.produce({
      principal: meta.principal,
      survivorId,
      language: query.lang,
      requestId: meta.requestId ?? 'unknown',
    });
    void reply.header('Vary', 'Accept');
    if (format === 'json') return copy;
    void reply.type('text/html; charset=utf-8').header('Content-Security-Policy', COPY_CSP);
    return copyHtml(copy, new Words(copy.language));
  }
}
