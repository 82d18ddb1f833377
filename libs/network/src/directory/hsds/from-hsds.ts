import type { FieldProblem } from '@harbour/kernel';
import type { OpeningHours, ServiceAddress, ServiceDetails } from '../service-details.js';
import { GENDER_TERM, isGender, needOf, propertyOf, RESPONSE_WINDOW_TERM, slug } from './harbour-terms.js';
import type { HsdsAddress, HsdsLocation, HsdsOrganization, HsdsService } from './types.js';
import { assertHsds, HsdsInvalid } from './validate.js';
import { LANGUAGE_PATTERN, REGION_PATTERN, type NeedCategory } from '@harbour/vocabulary';

export const DEFAULT_RESPONSE_WINDOW_HOURS = 72;

export interface ImportedOrganization {
  externalId: string;
  name: string;
  description: string;
  email: string | null;
  website: string | null;
}

export type ImportedService = { externalId: string } & ServiceDetails;

export interface HsdsImport {
  organization: ImportedOrganization;
  services: ImportedService[];
  /** Services that cannot be listed (e.g. no recognised need), by JSON Pointer; not imported. */
  refused: FieldProblem[];
  /** What was ignored or defaulted, by JSON Pointer; never a value from the document. */
  warnings: string[];
}

/**
 * Reads an HSDS 3.0 organization document (organization with nested `services`) or, with
 * kind 'service', one service document with its nested `organization`. The document is
 * checked against the standard's schemas first; an invalid one is refused whole.
 */
export function fromHsds(doc: unknown, kind: 'organization' | 'service' = 'organization'): HsdsImport {
  assertHsds(kind, doc);
  let org: HsdsOrganization;
  let entries: Array<[string, HsdsService]>;
  if (kind === 'service') {
    const s = doc as HsdsService;
    if (!s.organization)
      throw new HsdsInvalid([{ field: '/organization', problem: 'is required to import a service on its own' }]);
    org = s.organization;
    entries = [['', s]];
  } else {
    org = doc as HsdsOrganization;
    entries = (org.services ?? []).map((s, i) => [`/services/${i}`, s]);
  }
  const result: HsdsImport = {
    organization: {
      externalId: org.id,
      name: org.name,
      description: org.description,
      email: org.email ?? null,
      website: org.website ?? null,
    },
    services: [],
    refused: [],
    warnings: [],
  };
  const locations = new Map((org.locations ?? []).map((l) => [l.id, l]));
  for (const [path, s] of entries) {
    const mapped = service(path, s, locations, result);
    if (mapped) result.services.push(mapped);
  }
  return result;
}

type Found = Pick<HsdsImport, 'refused' | 'warnings'>;

function service(
  path: string,
  s: HsdsService,
  locations: Map<string, HsdsLocation>,
  out: Found,
): ImportedService | null {
  const warn = (where: string, what: string) => out.warnings.push(`${path}${where}: ${what}`);
  const needs: NeedCategory[] = [];
  let gender: ServiceDetails['eligibility']['gender'] = 'any';
  let responseWindowHours: number | null = null;
  for (const [i, a] of (s.attributes ?? []).entries()) {
    const need = needOf(a.taxonomy_term);
    const property = propertyOf(a.taxonomy_term);
    if (need) {
      if (!needs.includes(need)) needs.push(need);
    } else if (property === GENDER_TERM && isGender(a.value)) {
      gender = a.value;
    } else if (property === RESPONSE_WINDOW_TERM && /^[1-9][0-9]{0,3}$/.test(a.value ?? '')) {
      responseWindowHours = Number(a.value);
    } else {
      warn(`/attributes/${i}`, 'not a Harbour need category or service property; ignored');
    }
  }
  if (needs.length === 0) {
    // Search and referrals work by need: a service with none cannot be listed.
    out.refused.push({
      field: `${path}/attributes`,
      problem: 'names no Harbour need category; the service cannot be listed',
    });
    return null;
  }
  if (responseWindowHours === null) warn('', `no response window; defaulted to ${DEFAULT_RESPONSE_WINDOW_HOURS} hours`);
  if (s.description === undefined) warn('/description', 'missing; imported as empty');
  return {
    externalId: s.id,
    name: s.name,
    description: s.description ?? '',
    needs,
    languages: languages(s, warn),
    regions: regions(s, warn),
    eligibility: { gender, minAge: s.minimum_age ?? null, maxAge: s.maximum_age ?? null },
    hours: hours(s, warn),
    // Only 'active' takes referrals; inactive, defunct and temporarily closed do not.
    acceptingReferrals: s.status === 'active',
    responseWindowHours: responseWindowHours ?? DEFAULT_RESPONSE_WINDOW_HOURS,
    address: address(s, locations, warn),
    // HSDS has no notion of a confidential address, and whatever came in was published
    // already; staff must flag shelters themselves after an import.
    addressConfidential: false,
  };
}

type Warn = (where: string, what: string) => void;

function languages(s: HsdsService, warn: Warn): string[] {
  const out: string[] = [];
  (s.languages ?? []).forEach((l, i) => {
    if (l.code === undefined || !LANGUAGE_PATTERN.test(l.code))
      return warn(`/languages/${i}/code`, 'missing or not a language code; ignored');
    if (!out.includes(l.code)) out.push(l.code);
  });
  return out;
}

/** A region is the slug of the area's name, or of a plain-text extent (never a polygon). */
function regions(s: HsdsService, warn: Warn): string[] {
  const out: string[] = [];
  (s.service_areas ?? []).forEach((area, i) => {
    const texts = [area.name, area.extent_type === undefined || area.extent_type === 'text' ? area.extent : undefined];
    const region = texts.map((t) => (t === undefined ? '' : slug(t))).find((r) => REGION_PATTERN.test(r));
    if (region === undefined) return warn(`/service_areas/${i}`, 'names no region code; ignored');
    if (!out.includes(region)) out.push(region);
  });
  return out;
}

const DAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const;
const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$/;

/** Weekly schedules with plain days and both times become opening hours; others are skipped. */
function hours(s: HsdsService, warn: Warn): OpeningHours[] {
  const out: OpeningHours[] = [];
  (s.schedules ?? []).forEach((sc, i) => {
    const days = (sc.byday ?? '').split(',').map((d) => d.trim().toLowerCase());
    const opens = TIME.exec(sc.opens_at ?? '');
    const closes = TIME.exec(sc.closes_at ?? '');
    if (
      (sc.freq ?? 'WEEKLY') !== 'WEEKLY' ||
      !days.every((d) => (DAYS as readonly string[]).includes(d)) ||
      !opens ||
      !closes
    ) {
      return warn(`/schedules/${i}`, 'not a weekly schedule with days and opening times; ignored');
    }
    if (opens[5] || closes[5]) warn(`/schedules/${i}`, 'time zone ignored; times read as local');
    for (const day of days as OpeningHours['day'][])
      out.push({ day, opens: `${opens[1]}:${opens[2]}`, closes: `${closes[1]}:${closes[2]}` });
  });
  return out;
}

/** The first physical (else postal) address of the service's locations; ServiceDetails holds one. */
function address(s: HsdsService, locations: Map<string, HsdsLocation>, warn: Warn): ServiceAddress | null {
  const all: HsdsAddress[] = (s.service_at_locations ?? [])
    .flatMap((sal) => sal.location ?? (sal.location_id ? locations.get(sal.location_id) : undefined) ?? [])
    .flatMap((l) => l.addresses ?? []);
  const chosen = all.find((a) => a.address_type === 'physical') ?? all.find((a) => a.address_type === 'postal');
  if (!chosen) return null;
  if (all.length > 1)
    warn('/service_at_locations', 'more than one address; only the first physical (else postal) one imported');
  return {
    street: [chosen.address_1, chosen.address_2].filter((part) => part).join(', '),
    city: chosen.city,
    region: chosen.state_province,
    postalCode: chosen.postal_code,
    country: chosen.country,
  };
}
