import { Global, Module } from '@nestjs/common';
import { AccessRecorder } from './access/access-recorder.js';

/** The audit context: every survivor-data read is recorded through AccessRecorder (fail closed). */
@Global()
@Module({
  providers: [AccessRecorder],
  exports: [AccessRecorder],
})
export class AuditModule {}
