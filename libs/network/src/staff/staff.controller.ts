import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@harbour/kernel';
import { Exposes, Meta, type RequestMeta, Roles } from '@harbour/auth';
import { AddStaffDto, ReasonDto, RoleGrantQueryDto, StaffRolesDto } from './staff.dto.js';
import { ChangeStaff } from './staff.commands.js';
import { RoleGrantQueries, StaffQueries } from './staff.queries.js';

const USER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const userIdParam = (value: string) => {
  if (!USER_ID.test(value)) throw new DomainError('invalid', 'validation-failed', 'Invalid user id', {}, [{ field: 'userId', problem: 'must be 1-128 letters, digits or ._:@-' }]);
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
  @ApiOperation({ summary: "Grants of case roles (caseworker, supervisor, privacy officer), newest first: your agency's, or any agency's for a network privacy officer" })
  roleGrants(@Query() query: RoleGrantQueryDto, @Meta() meta: RequestMeta) {
    const network = meta.principal.roles.includes('network-privacy-officer');
    if (!network && query.agencyId && query.agencyId !== meta.principal.agencyId) {
      throw new DomainError('forbidden', 'not-your-agency', "An agency's privacy officer sees their own agency's grants only");
    }
    return this.grants.list(network ? (query.agencyId ?? null) : meta.principal.agencyId, query.limit ?? 100).then((items) => ({ items }));
  }

  @Get('me')
  @ApiOperation({ summary: 'Who the token belongs to, as Harbour sees them now' })
  me(@Meta() meta: RequestMeta) {
    return meta.principal;
  }

  @Get('agencies/:agencyId/staff')
  @Roles('agency-admin', 'network-admin')
  @ApiOperation({ summary: "An agency's staff (its own admins, or a network admin)" })
  list(@Param('agencyId', ParseUUIDPipe) agencyId: string, @Meta() meta: RequestMeta) {
    if (agencyId !== meta.principal.agencyId && !meta.principal.roles.includes('network-admin')) {
      throw new DomainError('forbidden', 'not-staff-manager', "Only the agency's own admins see its staff");
    }
    return this.queries.ofAgency(agencyId);
  }

  @Post('agencies/:agencyId/staff')
  @Roles('agency-admin', 'network-admin')
  @ApiOperation({ summary: 'Add a staff member to an agency' })
  add(@Param('agencyId', ParseUUIDPipe) agencyId: string, @Body() body: AddStaffDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeStaff(meta, { type: 'add', agencyId, ...body }));
  }

  @Put('staff/:userId/roles')
  @Roles('agency-admin', 'network-admin')
  changeRoles(@Param('userId') userId: string, @Body() body: StaffRolesDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeStaff(meta, { type: 'roles', userId: userIdParam(userId), roles: body.roles }));
  }

  @Post('staff/:userId/deactivation')
  @HttpCode(200)
  @Roles('agency-admin', 'network-admin')
  @ApiOperation({ summary: 'Deactivate a staff member: refused from their next request on' })
  deactivate(@Param('userId') userId: string, @Body() body: ReasonDto, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeStaff(meta, { type: 'deactivate', userId: userIdParam(userId), reason: body.reason }));
  }

  @Post('staff/:userId/reactivation')
  @HttpCode(200)
  @Roles('agency-admin', 'network-admin')
  reactivate(@Param('userId') userId: string, @Meta() meta: RequestMeta) {
    return this.commands.execute(new ChangeStaff(meta, { type: 'reactivate', userId: userIdParam(userId) }));
  }
}
