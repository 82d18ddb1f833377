import type { DynamicModule, Type } from '@nestjs/common';
import { ActionPlansModule, actionPlanMigrations } from '@harbour/action-plans';
import { AuditModule, auditMigrations } from '@harbour/audit';
import { eventStoreMigrations } from '@harbour/event-store';
import { IntakeModule, intakeMigrations } from '@harbour/intake';
import { NetworkModule, networkMigrations } from '@harbour/network';
import { NotificationsModule, notificationsMigrations } from '@harbour/notifications';
import { PrivacyModule, privacyMigrations } from '@harbour/privacy';
import { ReferralsModule, referralMigrations } from '@harbour/referrals';
import { ReportsModule, reportsMigrations } from '@harbour/reporting';
import { SurvivorCopyModule } from '@harbour/survivor-copy';
import { SharingModule, sharingMigrations } from '@harbour/sharing';
import { OffersModule, offersMigrations } from '@harbour/offers';
import { CaseloadModule, caseloadMigrations } from '@harbour/caseload';
import { StoriesModule } from '@harbour/stories';
import { ConsoleModule, consoleMigrations } from '@harbour/console';

/**
 * The one list of bounded-context modules. The API and the operator CLI both import it (from here, so neither app imports the other), so a
 * context's projections are registered (and rebuildable) in every process that runs Harbour.
 */
export const contextModules: Array<Type<unknown> | DynamicModule> = [
  PrivacyModule,
  NetworkModule,
  AuditModule,
  IntakeModule,
  ReferralsModule,
  SharingModule,
  OffersModule,
  NotificationsModule,
  StoriesModule,
  ReportsModule,
  SurvivorCopyModule,
  ActionPlansModule,
  CaseloadModule,
  ConsoleModule,
];

/** Every migration of every bounded context, in the order they must run. */
export const migrations = [
  ...eventStoreMigrations,
  ...networkMigrations,
  ...privacyMigrations,
  ...auditMigrations,
  ...intakeMigrations,
  ...referralMigrations,
  ...sharingMigrations,
  ...offersMigrations,
  ...caseloadMigrations,
  ...notificationsMigrations,
  ...reportsMigrations,
  ...actionPlanMigrations,
  ...consoleMigrations,
];
