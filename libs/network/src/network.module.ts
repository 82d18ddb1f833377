import { Module } from '@nestjs/common';
import { EventStoreModule } from '@harbour/event-store';
import { StaffDirectory } from '@harbour/auth';
import { AgenciesController } from './agencies/agencies.controller.js';
import { AgenciesProjection } from './agencies/agencies.projection.js';
import { AgencyLookup } from './agencies/agency-lookup.js';
import { ChangeAgencyHandler } from './agencies/agency.handlers.js';
import { AgencyQueries } from './agencies/agency.queries.js';
import { MotionCloser } from './agencies/motion-closer.js';
import { NetworkBootstrap } from './bootstrap/network-bootstrap.js';
import { DirectoryController } from './directory/directory.controller.js';
import { ChangeServiceHandler } from './directory/directory.commands.js';
import { DirectoryProjection } from './directory/directory.projection.js';
import { DirectoryQueries } from './directory/directory.queries.js';
import { NetworkStaffDirectory } from './staff/staff-directory.js';
import { ChangeStaffHandler } from './staff/staff.commands.js';
import { StaffController } from './staff/staff.controller.js';
import { StaffProjection } from './staff/staff.projection.js';
import { RoleGrantQueries, StaffQueries } from './staff/staff.queries.js';

/** Member agencies and their governance, staff, and the service directory. */
@Module({
  imports: [EventStoreModule],
  controllers: [AgenciesController, DirectoryController, StaffController],
  providers: [
    AgenciesProjection,
    AgencyLookup,
    AgencyQueries,
    ChangeAgencyHandler,
    ChangeServiceHandler,
    ChangeStaffHandler,
    DirectoryProjection,
    DirectoryQueries,
    MotionCloser,
    NetworkBootstrap,
    NetworkStaffDirectory,
    RoleGrantQueries,
    StaffProjection,
    StaffQueries,
    { provide: StaffDirectory, useExisting: NetworkStaffDirectory },
  ],
  exports: [AgencyLookup, AgencyQueries, DirectoryQueries, NetworkBootstrap, StaffDirectory, StaffQueries],
})
export class NetworkModule {}
