import { Module } from '@nestjs/common';
import { AuditModule } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { IntakeModule } from '@harbour/intake';
import { NetworkModule } from '@harbour/network';
import { ReferralsModule } from '@harbour/referrals';
import { SurvivorCopyController } from './copy.controller.js';
import { SurvivorCopyService } from './copy.service.js';

/** The survivor's own copy: a read across the record, consent, referrals and the access log (no events of its own). */
@Module({
  imports: [AuditModule, EventStoreModule, IntakeModule, NetworkModule, ReferralsModule],
  controllers: [SurvivorCopyController],
  providers: [SurvivorCopyService],
  exports: [SurvivorCopyService],
})
export class SurvivorCopyModule {}
