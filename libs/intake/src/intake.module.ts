import { Module } from '@nestjs/common';
import { AuditModule } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { NetworkModule } from '@harbour/network';
import { PrivacyModule } from '@harbour/privacy';
import { CheckInController } from './check-ins/check-in.controller.js';
import { ChangeErasureHandler } from './erasure/erasure.commands.js';
import { ErasureController } from './erasure/erasure.controller.js';
import { ErasureProjection } from './erasure/erasure.projection.js';
import { ErasureStatus } from './erasure/erasure-status.js';
import { RetentionService } from './erasure/retention.js';
import { AccessGate } from './gate/access-gate.js';
import { AnonymousNoticeController, RecordAnonymousNoticeHandler } from './notices/anonymous-notice.js';
import { ChangeConsentHandler } from './record/consent.commands.js';
import { ChangeIntakeHandler } from './record/intake.commands.js';
import { IntakeSnapshots } from './record/intake-snapshots.js';
import { RecordController } from './record/record.controller.js';
import { SurvivorRecordReader } from './record/survivor-record.reader.js';

/** The survivor's record: intake, consents, the access gate and the audited read path, anonymous notices, erasure and retention. */
@Module({
  imports: [AuditModule, EventStoreModule, NetworkModule, PrivacyModule],
  controllers: [AnonymousNoticeController, CheckInController, ErasureController, RecordController],
  providers: [
    AccessGate,
    ChangeConsentHandler,
    ChangeErasureHandler,
    ChangeIntakeHandler,
    ErasureProjection,
    ErasureStatus,
    IntakeSnapshots,
    RecordAnonymousNoticeHandler,
    RetentionService,
    SurvivorRecordReader,
  ],
  exports: [AccessGate, ErasureStatus, RetentionService, SurvivorRecordReader],
})
export class IntakeModule {}
