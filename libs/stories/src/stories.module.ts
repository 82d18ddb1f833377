import { Module } from '@nestjs/common';
import { AuditModule } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { IntakeModule } from '@harbour/intake';
import { PrivacyModule } from '@harbour/privacy';
import { ImpactStoryController } from './story.controller.js';
import { ImpactStories } from './story.service.js';

/** Impact stories: drafts under the survivor's consent for `impact-story`, checked against the record before export. */
@Module({
  imports: [AuditModule, EventStoreModule, IntakeModule, PrivacyModule],
  controllers: [ImpactStoryController],
  providers: [ImpactStories],
  exports: [ImpactStories],
})
export class StoriesModule {}
