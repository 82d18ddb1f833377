import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, Problems, ValidationFailed } from '@harbour/kernel';
import { Exposes, Meta, type RequestMeta, Roles } from '@harbour/auth';
import { AddStaffDto, DeactivationDto, RoleGrantQueryDto, StaffRolesDto } from './staff.dto.js';
import { ChangeStaff } from './staff.commands.js';
import { RoleGrantQueries, StaffQueries } from './staff.queries.js';
import { NetworkErrors } from '../errors.js';
import { PrincipalView, RoleGrantsView, StaffView, StaffWritten } from '../network.responses.js';

const USER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const userIdParam = (value: string) => {
  if (!USER_ID.test(value))
    throw new ValidationFailed(
      [{ field: 'userId', problem: 'must be 1-128 letters, digits or ._:@-' }],
      'Invalid user id',
    );
  return value;
};

@ApiTags('staff')
@ApiBearerAuth()
@Exposes('none') // nothing about any survivor (see libs/auth exposure.ts)
@Controller()
export class StaffController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: StaffQueries,
    private readonly grants: RoleGrantQueries,
  ) {}

  @Get('audit/role-grants')
  @Roles('privacy-officer', 'network-privacy-officer')
  @ApiOperation({
    summary:
      "Grants of case roles (caseworker, supervisor, privacy officer), newest first: your agency's, or any agency's for a network privacy officer",
  })
  @Problems(NetworkErrors.notYourAgency)
  @ApiOkResponse({ type: RoleGrantsView })
  roleGrants(@Query() query: RoleGrantQueryDto, @Meta() meta: RequestMeta) {
    const network = meta.principal.roles.includes('network-privacy-officer');
    if (!network && query.agencyId && query.agencyId !== meta.principal.agencyId)
      throw DomainError.of(NetworkErrors.notYourAgency);
    return this.grants
      .list(network ? (query.agencyId ?? null) : meta.principal.agencyId, query.limit ?? 100)
      .then((items) => ({ items }));
  }

  @Get('me')
  @ApiOperation({ summary: 'Who the token belongs to, as Harbour sees them now' })
  @ApiOkResponse({ type: PrincipalView })
  me(@Meta() meta: RequestMeta): PrincipalView {
    // Exactly the documented view: the principal also carries the request's clientRequestId,
    // the caller's own X-Request-Id, which is no fact about who they are (the fuzz suite found it echoed).
    const { userId, agencyId, roles, agencyStatus, agencyTier } = meta.principal;
    return { userId, agencyId, roles, agencyStatus, agencyTier };
  }

  @Get('agencies/:agencyId/staff')
  @Roles('agency-admin', 'network-admin')
  @ApiOperation({ summary: "An agency's staff (its own admins, or a network admin)" })
  @Problems(NetworkErrors.notStaffManager)
  @ApiOkResponse({ type: [StaffView] })
  list(@Param('agencyId', ParseUUIDPipe) agencyId: string, @Meta() meta: RequestMeta) {
    if (agencyId !== meta.principal.agencyId && !meta.principal.roles.includes('network-admin')) {
      throw DomainError.of(NetworkErrors.notStaffManager, { message: "Only the agency's own admins see its staff" });
    }
    return this.queries.ofAgency(agencyId);
  }

  @Post('agencies/:agencyId/staff')
  @Roles('agency-admin', 'network-admin')
  @ApiOperation({ summary: 'Add a staff member to an agency' })
  @Problems(
    NetworkErrors.notStaffManager,
    NetworkErrors.networkAdminOnly,
    NetworkErrors.agencyAdminOnly,
    NetworkErrors.agencyHasAdmin,
    NetworkErrors.staffExists,
    NetworkErrors.agencyNotFound,
    NetworkErrors.agencyRemoved,
  )
  @ApiCreatedResponse({ type: StaffWritten, description: 'Created' })
  add(@Param('agencyId', ParseUUIDPipe) agencyId: string, @Body() body: AddStaffDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeStaff(meta, { type: 'add', agencyId, ...body }));
  }

  @Put('staff/:userId/roles')
  @Roles('agency-admin', 'network-admin')
  @Problems(
    NetworkErrors.staffNotFound,
    NetworkErrors.notStaffManager,
    NetworkErrors.networkAdminOnly,
    NetworkErrors.agencyAdminOnly,
    NetworkErrors.agencyHasAdmin,
  )
  @ApiOkResponse({ type: StaffWritten })
  changeRoles(@Param('userId') userId: string, @Body() body: StaffRolesDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(
      new ChangeStaff(meta, { type: 'roles', userId: userIdParam(userId), roles: body.roles }),
    );
  }

  @Post('staff/:userId/deactivation')
  @HttpCode(200)
  @Roles('agency-admin', 'network-admin')
  @ApiOperation({ summary: 'Deactivate a staff member: refused from their next request on' })
  @Problems(
    NetworkErrors.staffNotFound,
    NetworkErrors.notStaffManager,
    NetworkErrors.staffAlreadyDeactivated,
    NetworkErrors.cannotDeactivateSelf,
  )
  @ApiOkResponse({ type: StaffWritten })
  deactivate(@Param('userId') userId: string, @Body() body: DeactivationDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(
      new ChangeStaff(meta, { type: 'deactivate', userId: userIdParam(userId), reason: body.reason }),
    );
  }

  @Post('staff/:userId/reactivation')
  @HttpCode(200)
  @Roles('agency-admin', 'network-admin')
  @Problems(NetworkErrors.staffNotFound, NetworkErrors.notStaffManager, NetworkErrors.staffAlreadyActive)
  @ApiOkResponse({ type: StaffWritten })
  reactivate(@Param('userId') userId: string, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeStaff(meta, { type: 'reactivate', userId: userIdParam(userId) }));
  }
}
