import { DECLINE_REASONS } from './facts/referral-events.js';
import type { ReportsSettings } from './reports.settings.js';
import { GOAL_CATEGORIES } from '@harbour/intake';
import { NEED_CATEGORIES, OFFER_KINDS, PURPOSES, SECTORS, URGENCIES } from '@harbour/vocabulary';

/**
 * What analysts can ask for: the reports over the fact tables, their measures and the
 * dimensions each may be broken down or filtered by. Every dimension has a fixed vocabulary,
 * so a table's shape never depends on the data (an empty row would otherwise say "someone").
 */
export const DIMENSIONS = [
  'region',
  'need',
  'sector',
  'urgency',
  'language',
  'reason',
  'purpose',
  'kind',
  'goal',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface MeasureDef {
  /** SQL condition on the fact row `f`. */
  where: string;
  /** Timing measures also give the median and 90th percentile of this column. */
  days?: 'days_to_accept' | 'days_to_handoff' | 'days_to_first_reached';
  /** Dimensions only this measure has (the decline reason). */
  extraDimensions?: Dimension[];
}

export interface ReportDef {
  table: string;
  /** Survivor-linked facts count only while the survivor's consent permits `statistics`. */
  needsStatisticsConsent: boolean;
  measures: Record<string, MeasureDef>;
  /** Dimension → SQL expression (`null` for `need` when it comes from the fact's need bit set). */
  dimensions: Partial<Record<Dimension, string | null>>;
  /** Fact column holding the need bit set (bit i = NEED_CATEGORIES[i]), when a fact lists several needs. */
  needBits?: string;
}

export const REPORTS: Record<string, ReportDef> = {
  referrals: {
    table: 'reports_referral_facts',
    needsStatisticsConsent: true,
    needBits: 'need_bits',
    measures: {
      requested: { where: 'true' },
      acknowledged: { where: 'f.acknowledged' },
      accepted: { where: 'f.accepted' },
      declined: { where: 'f.declined_reason IS NOT NULL', extraDimensions: ['reason'] },
      expired: { where: 'f.expired' },
      withdrawn: { where: 'f.withdrawn' },
      'handoffs-completed': { where: 'f.handoff_completed' },
      'days-to-acceptance': { where: 'f.days_to_accept IS NOT NULL', days: 'days_to_accept' },
      'days-to-handoff': { where: 'f.days_to_handoff IS NOT NULL', days: 'days_to_handoff' },
    },
    dimensions: {
      region: 'f.region',
      need: null,
      sector: 'f.sector',
      urgency: 'f.urgency',
      language: 'f.language',
      reason: 'f.declined_reason',
    },
  },
  consents: {
    table: 'reports_consent_facts',
    needsStatisticsConsent: true,
    measures: { granted: { where: "f.change = 'granted'" }, revoked: { where: "f.change = 'revoked'" } },
    dimensions: { purpose: 'f.purpose' },
  },
  needs: {
    table: 'reports_need_facts',
    needsStatisticsConsent: true,
    measures: { survivors: { where: 'true' } },
    dimensions: { need: 'f.category', urgency: 'f.urgency' },
  },
  notices: {
    table: 'reports_notice_facts',
    needsStatisticsConsent: false,
    needBits: 'need_bits',
    measures: { notices: { where: 'true' } },
    dimensions: { need: null, region: 'f.region' },
  },
  /** In-kind offers published by member agencies (libs/offers): no survivor behind them. */
  offers: {
    table: 'reports_offer_facts',
    needsStatisticsConsent: false,
    measures: { published: { where: 'true' } },
    dimensions: { region: 'f.region', sector: 'f.sector', kind: 'f.kind' },
  },
  /** Requests from offers, each for one survivor: counted only under their `statistics` consent. */
  'offer-requests': {
    table: 'reports_offer_request_facts',
    needsStatisticsConsent: true,
    measures: {
      requested: { where: 'true' },
      approved: { where: 'f.approved' },
      declined: { where: 'f.declined' },
      given: { where: 'f.given' },
      received: { where: 'f.received' },
      expired: { where: 'f.expired' },
      withdrawn: { where: 'f.withdrawn' },
    },
    dimensions: { region: 'f.region', sector: 'f.sector', kind: 'f.kind' },
  },
  /** Outcome measures (issue 14): the survivor's own goals, by category. */
  goals: {
    table: 'reports_goal_facts',
    needsStatisticsConsent: true,
    measures: {
      set: { where: "f.kind = 'set'" },
      reached: { where: "f.kind = 'reached'" },
      'days-to-first-goal-reached': {
        where: 'f.days_to_first_reached IS NOT NULL',
        days: 'days_to_first_reached',
      },
    },
    dimensions: { region: 'f.region', goal: 'f.category' },
  },
  'check-ins': {
    table: 'reports_check_in_facts',
    needsStatisticsConsent: true,
    measures: { kept: { where: 'true' }, 'needs-changed': { where: 'f.needs_changed' } },
    dimensions: { region: 'f.region' },
  },
  'needs-resolved': {
    table: 'reports_need_resolved_facts',
    needsStatisticsConsent: true,
    measures: { resolved: { where: 'true' } },
    dimensions: { region: 'f.region', need: 'f.category' },
  },
};

export function vocabulary(dimension: Dimension, settings: ReportsSettings): readonly string[] {
  switch (dimension) {
    case 'region':
      return settings.regions;
    case 'need':
      return NEED_CATEGORIES;
    case 'sector':
      return SECTORS;
    case 'urgency':
      return [...URGENCIES, 'unknown'];
    case 'language':
      return [...settings.languages, 'other', 'unknown'];
    case 'reason':
      return DECLINE_REASONS;
    case 'purpose':
      return PURPOSES;
    case 'kind':
      return OFFER_KINDS;
    case 'goal':
      return GOAL_CATEGORIES;
  }
}

export const dimensionsOf = (report: ReportDef, measure: MeasureDef): Dimension[] =>
  (Object.keys(report.dimensions) as Dimension[]).filter(
    (d) => d !== 'reason' || measure.extraDimensions?.includes('reason'),
  );
