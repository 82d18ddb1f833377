import { Module } from '@nestjs/common';
import { AuditModule } from '@harbour/audit';
import { EventStoreModule } from '@harbour/event-store';
import { NetworkModule } from '@harbour/network';
import { PrivacyModule } from '@harbour/privacy';
import { IntakeModule } from '@harbour/intake';
import { HarbourConfig } from '@harbour/kernel';
import { PrivacyBudget } from './dp/privacy-budget.js';
import { ConsentFactsProjection } from './facts/consent-facts.projection.js';
import { NeedFactsProjection } from './facts/need-facts.projection.js';
import { OutcomeFactsProjection } from './facts/outcome-facts.projection.js';
import { NoticeFactsProjection } from './facts/notice-facts.projection.js';
import { OfferFactsProjection } from './facts/offer-facts.projection.js';
import { ReferralFactsProjection } from './facts/referral-facts.projection.js';
import { ReportsController } from './http/reports.controller.js';
import { ReportReader } from './report-reader.js';
import { ReportService } from './report.service.js';
import { REPORTS_SETTINGS, reportsSettings } from './reports.settings.js';

/** Aggregate reports for analysts: de-identified fact tables, disclosure control, differential privacy. */
@Module({
  imports: [AuditModule, EventStoreModule, IntakeModule, NetworkModule, PrivacyModule],
  controllers: [ReportsController],
  providers: [
    ConsentFactsProjection,
    NeedFactsProjection,
    NoticeFactsProjection,
    OfferFactsProjection,
    OutcomeFactsProjection,
    PrivacyBudget,
    ReferralFactsProjection,
    ReportReader,
    ReportService,
    { provide: REPORTS_SETTINGS, inject: [HarbourConfig], useFactory: reportsSettings },
  ],
  exports: [ReportService],
})
export class ReportsModule {}
