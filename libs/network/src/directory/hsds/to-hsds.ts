import type { ServiceDetails } from '../service-details.js';
import { attribute, GENDER_TERM, needTerm, propertyTerm, RESPONSE_WINDOW_TERM } from './harbour-terms.js';
import { stableId } from './stable-id.js';
import type { HsdsOrganization, HsdsService, HsdsServiceAtLocation } from './types.js';
import { validateHsds } from './validate.js';

export interface HsdsAgency {
  id: string;
  name: string;
  description?: string | null;
  email?: string | null;
  website?: string | null;
}

export type DirectoryService = { id: string } & ServiceDetails;

/**
 * One agency and its directory services as an HSDS 3.0 organization document (the shape of
 * the standard's /organizations/{id} response). The result is checked against the
 * standard's schemas before it is returned: a failure there is our bug, so it throws.
 */
export function toHsds(agency: HsdsAgency, services: DirectoryService[]): HsdsOrganization {
  const doc: HsdsOrganization = {
    id: agency.id,
    name: agency.name,
    description: agency.description ?? '', // required by HSDS; we may have none
    ...(agency.email ? { email: agency.email } : {}),
    ...(agency.website ? { website: agency.website } : {}),
    services: services.map((s) => service(agency.id, s)),
  };
  const problems = validateHsds('organization', doc);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.field} ${p.problem}`).join('; ');
    throw new Error(`toHsds produced a document HSDS 3.0 rejects: ${list}`);
  }
  return doc;
}

function service(organizationId: string, s: DirectoryService): HsdsService {
  const { eligibility: e } = s;
  return {
    id: s.id,
    organization_id: organizationId,
    name: s.name,
    description: s.description,
    // HSDS has no "accepting referrals"; a listed service that takes none is, for
    // referrers, temporarily closed. fromHsds reads only 'active' as accepting.
    status: s.acceptingReferrals ? 'active' : 'temporarily closed',
    eligibility_description: eligibilityText(s),
    ...(e.minAge === null ? {} : { minimum_age: e.minAge }),
    ...(e.maxAge === null ? {} : { maximum_age: e.maxAge }),
    // One weekly schedule per opening period; times are local wall-clock HH:MM (we hold no zone).
    schedules: s.hours.map((h, i) => ({
      id: stableId(s.id, 'schedule', String(i)),
      service_id: s.id,
      freq: 'WEEKLY' as const,
      byday: h.day.toUpperCase(),
      opens_at: h.opens,
      closes_at: h.closes,
    })),
    service_areas: s.regions.map((r) => ({ id: stableId(s.id, 'service-area', r), service_id: s.id, name: r })),
    languages: s.languages.map((code) => ({
      id: stableId(s.id, 'language', code),
      service_id: s.id,
      code,
      name: languageName(code),
    })),
    attributes: [
      ...s.needs.map((n) => attribute(s.id, 'need', needTerm(n))),
      attribute(s.id, 'eligibility', propertyTerm(GENDER_TERM), e.gender),
      attribute(s.id, 'referral', propertyTerm(RESPONSE_WINDOW_TERM), String(s.responseWindowHours)),
    ],
    // A CONFIDENTIAL ADDRESS (e.g. a shelter) MUST NEVER BE EXPORTED: an HSDS document is
    // published to anyone. Such a service goes out with no location at all.
    ...(s.address && !s.addressConfidential ? { service_at_locations: [location(organizationId, s)] } : {}),
  };
}

function location(organizationId: string, s: DirectoryService): HsdsServiceAtLocation {
  const a = s.address!;
  const locationId = stableId(s.id, 'location');
  return {
    id: stableId(s.id, 'service-at-location'),
    service_id: s.id,
    location_id: locationId,
    location: {
      id: locationId,
      location_type: 'physical',
      organization_id: organizationId,
      name: s.name,
      addresses: [
        {
          id: stableId(s.id, 'address'),
          location_id: locationId,
          address_1: a.street,
          city: a.city,
          state_province: a.region,
          postal_code: a.postalCode,
          country: a.country,
          address_type: 'physical',
        },
      ],
    },
  };
}

/** Human-readable eligibility; the machine-readable gender travels in an attribute. */
function eligibilityText({ eligibility: { gender, minAge, maxAge } }: ServiceDetails): string {
  const who = { any: 'People of any gender', women: 'Women', men: 'Men', 'gender-diverse': 'Gender-diverse people' }[
    gender
  ];
  const ages =
    minAge !== null && maxAge !== null
      ? `aged ${minAge} to ${maxAge}`
      : minAge !== null
        ? `aged ${minAge} and over`
        : maxAge !== null
          ? `aged up to ${maxAge}`
          : '';
  return ages ? `${who}, ${ages}.` : `${who}.`;
}

const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

function languageName(code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code; // not a tag ICU can read; the code alone is still valid HSDS
  }
}
