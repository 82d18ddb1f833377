import { Module } from '@nestjs/common';
import { AuditModule } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { IntakeModule } from '@harbour/intake';
import { NetworkModule } from '@harbour/network';
import { PrivacyModule } from '@harbour/privacy';
import { OffersController, SurvivorOffersController } from './offer.controller.js';
import { OfferExpirySweeper } from './offer.expiry.js';
import {
  ActOnOfferRequestHandler,
  AmendOfferHandler,
  PublishOfferHandler,
  RequestFromOfferHandler,
  WithdrawOfferHandler,
} from './offer.handlers.js';
import { OfferProjection } from './offer.projection.js';
import { OfferQueries } from './offer.queries.js';
import { OfferRepository } from './offer.repository.js';
import { OfferSuggestions } from './offer.suggestions.js';

/** In-kind offers: member agencies' help, requested for survivors' needs without identifying anyone. */
@Module({
  imports: [AuditModule, EventStoreModule, IntakeModule, NetworkModule, PrivacyModule],
  controllers: [OffersController, SurvivorOffersController],
  providers: [
    ActOnOfferRequestHandler,
    AmendOfferHandler,
    OfferExpirySweeper,
    OfferProjection,
    OfferQueries,
    OfferRepository,
    OfferSuggestions,
    PublishOfferHandler,
    RequestFromOfferHandler,
    WithdrawOfferHandler,
  ],
  exports: [OfferExpirySweeper, OfferQueries, OfferRepository],
})
export class OffersModule {}
