import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Exposes, Meta, type RequestMeta, Roles } from '@harbour/auth';
import { DirectorySearchDto } from './directory-search.dto.js';
import { DirectoryQueries } from './directory.queries.js';
import { ChangeService } from './directory.commands.js';
import { ServiceDto, toServiceDetails } from './service.dto.js';
import { Problems } from '@harbour/kernel';
import { NetworkErrors } from '../errors.js';
import { ServicePage, ServiceView, ServiceWritten } from '../network.responses.js';

@ApiTags('service directory')
@ApiBearerAuth()
@Exposes('none') // nothing about any survivor (see libs/auth exposure.ts)
@Controller()
export class DirectoryController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: DirectoryQueries,
  ) {}

  @Get('directory/services')
  @ApiOperation({ summary: 'Search services of active member agencies (confidential addresses are never returned)' })
  @ApiOkResponse({ type: ServicePage })
  search(@Query() filters: DirectorySearchDto) {
    return this.queries.search(filters);
  }

  @Get('services/:serviceId')
  @ApiOperation({ summary: "One service; a confidential address is shown only to the owning agency's staff" })
  @Problems(NetworkErrors.serviceNotFound)
  @ApiOkResponse({ type: ServiceView })
  get(@Param('serviceId', ParseUUIDPipe) serviceId: string, @Meta() meta: RequestMeta) {
    return this.queries.get(serviceId, meta.principal.agencyId);
  }

  @Post('services')
  @Roles('agency-admin')
  @ApiOperation({ summary: "List a service of the caller's agency" })
  @Problems(
    NetworkErrors.notServiceOwner,
    NetworkErrors.ageRangeInverted,
    NetworkErrors.hoursInverted,
    NetworkErrors.serviceExists,
    NetworkErrors.agencyNotActive,
    NetworkErrors.agencyNotFound,
  )
  @ApiCreatedResponse({ type: ServiceWritten, description: 'Created' })
  list(@Body() body: ServiceDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeService(meta, { type: 'list', details: toServiceDetails(body) }));
  }

  @Put('services/:serviceId')
  @Roles('agency-admin')
  @ApiOperation({ summary: 'Replace a service listing (If-Match: the version last read)' })
  @Problems(
    NetworkErrors.serviceNotFound,
    NetworkErrors.serviceWithdrawn,
    NetworkErrors.notServiceOwner,
    NetworkErrors.ageRangeInverted,
    NetworkErrors.hoursInverted,
  )
  @ApiOkResponse({ type: ServiceWritten })
  update(@Param('serviceId', ParseUUIDPipe) serviceId: string, @Body() body: ServiceDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(
      new ChangeService(meta, { type: 'update', serviceId, details: toServiceDetails(body) }),
    );
  }

  @Delete('services/:serviceId')
  @HttpCode(200)
  @Roles('agency-admin')
  @ApiOperation({ summary: 'Withdraw a service from the directory' })
  @Problems(NetworkErrors.serviceNotFound, NetworkErrors.serviceWithdrawn, NetworkErrors.notServiceOwner)
  @ApiOkResponse({ type: ServiceWritten })
  withdraw(@Param('serviceId', ParseUUIDPipe) serviceId: string, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeService(meta, { type: 'withdraw', serviceId }));
  }
}
