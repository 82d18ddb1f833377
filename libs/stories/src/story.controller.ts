import { applyDecorators, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccess, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import { AuditErrors } from '@harbour/audit';
import { Problems } from '@harbour/kernel';
import { StoryErrors as E } from './errors.js';
import { StoryTextDto } from './story.dto.js';
import { StoryTextView, StoryWrittenView } from './story.responses.js';
import { ImpactStories } from './story.service.js';

const UUID = new ParseUUIDPipe();
const Worker = () => applyDecorators(CaseAccess(), Roles('caseworker', 'supervisor'));
const GATE = [E.intakeNotFound, E.notAWorker, E.notConsented, E.recordErased, AuditErrors.accessNotRecorded];

/** Impact stories: drafted only under the survivor's consent for `impact-story`; exported only when clean (docs/privacy.md). */
@ApiTags('impact stories')
@ApiBearerAuth()
@RecordsRefusals()
@Exposes('survivor-data') // every route passes the gate for `impact-story`: one access event per request
@Controller('intakes')
export class ImpactStoryController {
  constructor(private readonly stories: ImpactStories) {}

  @Worker()
  @Post(':survivorId/impact-stories')
  @ApiOperation({
    summary:
      "Draft an impact story from the survivor's record (needs their consent for impact-story); answers what kinds of record values it still contains",
  })
  @Problems(...GATE)
  @ApiCreatedResponse({ type: StoryWrittenView, description: 'Created' })
  draft(@Param('survivorId', UUID) survivorId: string, @Body() body: StoryTextDto, @Meta() meta: RequestMeta) {
    return this.stories.draft(meta, survivorId, body.text);
  }

  @Worker()
  @Get(':survivorId/impact-stories/:storyId')
  @ApiOperation({ summary: "Read your agency's draft, with what the checker finds now" })
  @Problems(...GATE, E.storyNotFound)
  @ApiOkResponse({ type: StoryTextView })
  read(
    @Param('survivorId', UUID) survivorId: string,
    @Param('storyId', UUID) storyId: string,
    @Meta() meta: RequestMeta,
  ) {
    return this.stories.read(meta, survivorId, storyId);
  }

  @Worker()
  @Put(':survivorId/impact-stories/:storyId')
  @ApiOperation({ summary: "Revise your agency's draft" })
  @Problems(...GATE, E.storyNotFound)
  @ApiOkResponse({ type: StoryWrittenView })
  revise(
    @Param('survivorId', UUID) survivorId: string,
    @Param('storyId', UUID) storyId: string,
    @Body() body: StoryTextDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.stories.revise(meta, survivorId, storyId, body.text);
  }

  @Worker()
  @Post(':survivorId/impact-stories/:storyId/export')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Export the story: refused (409, the kinds found) while it holds any identity, contact or dependants value or an exact date or place of the record; recorded',
  })
  @Problems(...GATE, E.storyNotFound, E.identifying)
  @ApiOkResponse({ type: StoryTextView })
  export(
    @Param('survivorId', UUID) survivorId: string,
    @Param('storyId', UUID) storyId: string,
    @Meta() meta: RequestMeta,
  ) {
    return this.stories.export(meta, survivorId, storyId);
  }
}
