import { Module } from '@nestjs/common';
import { AuditModule } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { NetworkModule } from '@harbour/network';
import { PrivacyModule } from '@harbour/privacy';
import { RefusalLog } from '@harbour/auth';
import { IntakeModule } from '@harbour/intake';
import { ReferralExpirySweeper } from './expiry-sweeper.js';
import { ReferralController, ReferralWebhookController, SurvivorReferralsController } from './referral.controller.js';
import { ActOnReferralHandler, RequestReferralHandler } from './referral.handlers.js';
import { ReferralListProjection } from './referral.projection.js';
import { ReferralQueries } from './referral.queries.js';
import { ReferralRepository } from './referral.repository.js';
import { ReferralSuggestions } from './suggestions.js';
import { RouteRefusals } from './route-refusals.js';
import { WebhookDispatcher } from './webhooks/webhook.dispatcher.js';
import { WebhookRegistry } from './webhooks/webhook.registry.js';

/** Warm referrals: the referral aggregate, its queries, expiry, and webhook notifications. */
@Module({
  imports: [AuditModule, EventStoreModule, IntakeModule, NetworkModule, PrivacyModule],
  controllers: [ReferralController, ReferralWebhookController, SurvivorReferralsController],
  providers: [
    ActOnReferralHandler,
    ReferralExpirySweeper,
    ReferralListProjection,
    ReferralQueries,
    ReferralRepository,
    ReferralSuggestions,
    RequestReferralHandler,
    RouteRefusals,
    { provide: RefusalLog, useExisting: RouteRefusals },
    WebhookDispatcher,
    WebhookRegistry,
  ],
  exports: [RefusalLog, ReferralExpirySweeper, ReferralQueries, ReferralRepository, WebhookDispatcher, WebhookRegistry],
})
export class ReferralsModule {}
