import { Module } from '@nestjs/common';
import { AuditModule, ShareCodeUses } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { IntakeModule } from '@harbour/intake';
import { NetworkModule } from '@harbour/network';
import { PrivacyModule } from '@harbour/privacy';
import {
  ShareCodeAuditController,
  ShareCodeRedemptionController,
  SurvivorShareCodesController,
} from './share-code.controller.js';
import { IssueShareCodeHandler, RedeemShareCodeHandler, RevokeShareCodeHandler } from './share-code.handlers.js';
import { ShareCodeHasher } from './share-code.hasher.js';
import { ShareCodeProjection } from './share-code.projection.js';
import { ShareCodeQueries } from './share-code.queries.js';
import { ShareCodeRepository } from './share-code.repository.js';
import { DuplicateCheck } from './matching/duplicate-check.js';
import { MatchEncodingsProjection } from './matching/match-encodings.projection.js';
import { MatchKey } from './matching/match-key.js';
import { Matcher } from './matching/matcher.js';
import { DuplicateCheckController } from './matching/matching.controller.js';
import { IntakeLinkController, IntakeLinker } from './matching/link.js';

/** Share codes: the survivor's own way to open their record to an agency of their choosing. */
@Module({
  imports: [AuditModule, EventStoreModule, IntakeModule, NetworkModule, PrivacyModule],
  controllers: [
    DuplicateCheckController,
    IntakeLinkController,
    ShareCodeAuditController,
    ShareCodeRedemptionController,
    SurvivorShareCodesController,
  ],
  providers: [
    DuplicateCheck,
    IntakeLinker,
    MatchEncodingsProjection,
    Matcher,
    MatchKey,
    IssueShareCodeHandler,
    RedeemShareCodeHandler,
    RevokeShareCodeHandler,
    ShareCodeHasher,
    ShareCodeProjection,
    ShareCodeQueries,
    { provide: ShareCodeUses, useExisting: ShareCodeQueries },
    ShareCodeRepository,
  ],
  exports: [ShareCodeQueries, ShareCodeRepository, ShareCodeUses],
})
export class SharingModule {}
