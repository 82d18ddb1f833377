import { Module } from '@nestjs/common';
import { EventStoreModule } from '@harbour/event-store';
import { PrivacyModule } from '@harbour/privacy';
import { AccessRecorder } from './access/access-recorder.js';
import { AuditController } from './audit.controller.js';
import { BreakGlassProjection } from './break-glass/break-glass.projection.js';
import { BreakGlassService } from './break-glass/break-glass.service.js';
import { FlagsProjection } from './flags/flags.projection.js';
import { FlagsService } from './flags/flags.service.js';
import { LogExporter } from './archive/log-exporter.js';
import { LogImporter } from './archive/log-importer.js';
import { AuditIntegrity } from './notary/audit-integrity.service.js';
import { Notary } from './notary/notary.service.js';
import { AccessTrailProjection } from './trail/access.projection.js';
import { AccessTrailQueries } from './trail/access-trail.queries.js';
import { CareTeams } from './trail/officer-scope.js';

/**
 * The audit context: every survivor-data read is recorded through AccessRecorder (fail closed);
 * the access log, disclosure reports, break-glass, flags and the integrity notary.
 */
@Module({
  imports: [EventStoreModule, PrivacyModule],
  controllers: [AuditController],
  providers: [
    AccessRecorder,
    AccessTrailProjection,
    AccessTrailQueries,
    AuditIntegrity,
    BreakGlassProjection,
    BreakGlassService,
    CareTeams,
    FlagsProjection,
    FlagsService,
    LogExporter,
    LogImporter,
    Notary,
  ],
  exports: [AccessRecorder, AccessTrailQueries, AuditIntegrity, BreakGlassService, LogExporter, LogImporter, Notary],
})
export class AuditModule {}
