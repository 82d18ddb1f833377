import { Module } from '@nestjs/common';
import { AuditModule } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { NetworkModule } from '@harbour/network';
import { PrivacyModule } from '@harbour/privacy';
import { AccessGate } from './gate/access-gate.js';
import { AnonymousNoticeController, RecordAnonymousNoticeHandler } from './notices/anonymous-notice.js';
import { ChangeConsentHandler } from './record/consent.commands.js';
import { ChangeIntakeHandler } from './record/intake.commands.js';
import { IntakeSnapshots } from './record/intake-snapshots.js';
import { RecordController } from './record/record.controller.js';
import { SurvivorRecordReader } from './record/survivor-record.reader.js';

/** The survivor's record: intake, consents, the access gate and the audited read path, anonymous notices. */
@Module({
  imports: [AuditModule, EventStoreModule, NetworkModule, PrivacyModule],
  controllers: [AnonymousNoticeController, RecordController],
  providers: [
    AccessGate,
    ChangeConsentHandler,
    ChangeIntakeHandler,
    IntakeSnapshots,
    RecordAnonymousNoticeHandler,
    SurvivorRecordReader,
  ],
  exports: [AccessGate, SurvivorRecordReader],
})
export class IntakeModule {}
