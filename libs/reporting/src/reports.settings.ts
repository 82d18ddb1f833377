import { ConfigError, HarbourConfig } from '@harbour/kernel';
import { MIN_K } from './disclosure/suppression.js';
import { REGION_PATTERN } from '@harbour/vocabulary';

/** Micro-epsilon: budgets and spends are kept as integers so the ledger never drifts. */
export const MICRO = 1_000_000;

export interface ReportsSettings {
  k: number;
  rounding: boolean;
  period: 'month' | 'quarter';
  /** Region code → reporting region. */
  regionOf: ReadonlyMap<string, string>;
  /** Every reporting region, then `other` and `unknown`: a fixed vocabulary. */
  regions: readonly string[];
  languages: readonly string[];
  dpBudgetMicro: number;
}

/** The reporting settings, checked once at boot; a bad value stops start-up naming the variable. */
export function reportsSettings(config: HarbourConfig): ReportsSettings {
  if (!(config.HARBOUR_REPORT_K >= MIN_K))
    throw new ConfigError(['HARBOUR_REPORT_K'], [`HARBOUR_REPORT_K must be at least ${MIN_K}`]);
  const regionOf = new Map<string, string>();
  const names: string[] = [];
  if (config.HARBOUR_REPORT_REGIONS) {
    const bad = () =>
      new ConfigError(
        ['HARBOUR_REPORT_REGIONS'],
        [
          'HARBOUR_REPORT_REGIONS must be a JSON object mapping each reporting region to a list of region codes, each code in one reporting region only',
        ],
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(config.HARBOUR_REPORT_REGIONS);
    } catch {
      throw bad();
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad();
    for (const [name, codes] of Object.entries(parsed)) {
      if (
        !REGION_PATTERN.test(name) ||
        name === 'other' ||
        name === 'unknown' ||
        !Array.isArray(codes) ||
        codes.length === 0
      )
        throw bad();
      for (const code of codes) {
        if (typeof code !== 'string' || !REGION_PATTERN.test(code) || regionOf.has(code)) throw bad();
        regionOf.set(code, name);
      }
      names.push(name);
    }
  }
  const budget = Number(config.HARBOUR_REPORT_DP_BUDGET);
  if (!Number.isFinite(budget) || budget <= 0)
    throw new ConfigError(['HARBOUR_REPORT_DP_BUDGET'], ['HARBOUR_REPORT_DP_BUDGET must be a positive number']);
  return {
    k: config.HARBOUR_REPORT_K,
    rounding: config.HARBOUR_REPORT_ROUNDING,
    period: config.HARBOUR_REPORT_PERIOD === 'quarter' ? 'quarter' : 'month',
    regionOf,
    regions: [...names.sort(), 'other', 'unknown'],
    languages: [...new Set(config.HARBOUR_REPORT_LANGUAGES.split(','))].sort(),
    dpBudgetMicro: Math.round(budget * MICRO),
  };
}

/** Coarsening used by the projections: never a raw code, always a configured group. */
export const reportingRegion = (s: ReportsSettings, region: string | null | undefined) =>
  region ? (s.regionOf.get(region) ?? 'other') : 'unknown';

export function languageGroup(s: ReportsSettings, tag: string | null | undefined): string {
  if (!tag) return 'unknown';
  const primary = tag.split('-')[0].toLowerCase();
  return s.languages.includes(primary) ? primary : 'other';
}

/** First day of the month (UTC) as `YYYY-MM`. */
export const monthOf = (at: Date | string) => new Date(at).toISOString().slice(0, 7);

/** Injection token for the parsed settings. */
export const REPORTS_SETTINGS = Symbol('ReportsSettings');
