import { Module } from '@nestjs/common';
import { AuditModule } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { IntakeModule } from '@harbour/intake';
import { NetworkModule } from '@harbour/network';
import { ReferralsModule } from '@harbour/referrals';
import { CaseloadController } from './caseload.controller.js';
import { CaseloadProjection } from './caseload.projection.js';
import { CaseloadQueries } from './caseload.queries.js';

/** A caseworker's caseload: a read over intake, consent and referrals, with its own care-team read model. */
@Module({
  imports: [AuditModule, EventStoreModule, IntakeModule, NetworkModule, ReferralsModule],
  controllers: [CaseloadController],
  providers: [CaseloadProjection, CaseloadQueries],
  exports: [CaseloadQueries],
})
export class CaseloadModule {}
