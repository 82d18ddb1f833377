import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccess, Exposes, Meta, RecordsRefusals, type RequestMeta, Roles } from '@harbour/auth';
import { AuditErrors } from '@harbour/audit';
import { Problems } from '@harbour/kernel';
import { ClearDoNotContact, DoNotContactReader, SetDoNotContact } from './contact.handlers.js';
import { NotificationErrors as E } from './errors.js';
import { DoNotContactDto, NotificationListDto } from './notifications.dto.js';
import { NotificationQueries } from './notifications.queries.js';
import { DoNotContactStateView, NotificationPageView, NotificationReadView } from './notifications.responses.js';

const UUID = new ParseUUIDPipe();
const Worker = () => applyDecorators(CaseAccess(), Roles('caseworker', 'supervisor'));

/** The agency's notifications: ids, types and dates only (docs/notifications.md). */
@ApiTags('notifications')
@ApiBearerAuth()
@Exposes('none') // ids, types, dates and codes only: nothing of any record
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly queries: NotificationQueries) {}

  @Get()
  @ApiOperation({ summary: "Your agency's notifications, newest first (ids, types and dates only)" })
  @ApiOkResponse({ type: NotificationPageView })
  list(@Query() query: NotificationListDto, @Meta() meta: RequestMeta) {
    return this.queries.list(meta.principal.agencyId, query.page, query.pageSize, query.unread === true);
  }

  @Post(':notificationId/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of your agency’s notifications read (for everyone at the agency)' })
  @Problems(E.notificationNotFound)
  @ApiOkResponse({ type: NotificationReadView })
  read(@Param('notificationId', UUID) notificationId: string, @Meta() meta: RequestMeta) {
    return this.queries.markRead(meta.principal.agencyId, notificationId, meta.principal.userId);
  }
}

/** The survivor's "do not contact" safety switch (care team). */
@ApiTags('notifications')
@ApiBearerAuth()
@RecordsRefusals()
@Controller('intakes')
export class DoNotContactController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reader: DoNotContactReader,
  ) {}

  @Exposes('survivor-data')
  @Worker()
  @Get(':survivorId/do-not-contact')
  @ApiOperation({ summary: "Whether the survivor's do-not-contact switch is set (care team; an access event)" })
  @Problems(E.intakeNotFound, E.notOnCareTeam, AuditErrors.accessNotRecorded)
  @ApiOkResponse({ type: DoNotContactStateView })
  get(@Param('survivorId', UUID) survivorId: string, @Meta() meta: RequestMeta) {
    return this.reader.read(meta, survivorId, 'GET /v1/intakes/:survivorId/do-not-contact');
  }

  @Exposes('none')
  @Worker()
  @Put(':survivorId/do-not-contact')
  @ApiOperation({
    summary:
      'Set do-not-contact (care team, with a reason code): nothing meant for the survivor is sent while it is set',
  })
  @Problems(E.intakeNotFound, E.notAWorker, E.notOnCareTeam, E.doNotContactAlreadySet, E.invalidDoNotContact)
  @ApiOkResponse({ type: DoNotContactStateView })
  set(@Param('survivorId', UUID) survivorId: string, @Body() body: DoNotContactDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new SetDoNotContact(meta, survivorId, body.reasonCode));
  }

  @Exposes('none')
  @Worker()
  @Delete(':survivorId/do-not-contact')
  @ApiOperation({ summary: 'Clear do-not-contact (care team)' })
  @Problems(E.intakeNotFound, E.notAWorker, E.notOnCareTeam, E.doNotContactNotSet)
  @ApiOkResponse({ type: DoNotContactStateView })
  clear(@Param('survivorId', UUID) survivorId: string, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ClearDoNotContact(meta, survivorId));
  }
}
