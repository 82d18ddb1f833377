import { SERVICE_GENDERS, type ServiceGender } from '../../taxonomy.js';
import { stableId } from './stable-id.js';
import type { HsdsAttribute, HsdsTaxonomy, HsdsTaxonomyTerm } from './types.js';
import { NEED_CATEGORIES, type NeedCategory } from '@harbour/vocabulary';

/**
 * Harbour's own vocabularies, published inside HSDS attributes as taxonomy terms.
 * The URIs are identifiers, not web pages: `urn:harbour:` is not a registered URN namespace,
 * so change them if the network publishes its taxonomy at a URL it owns.
 */
export const NEEDS_TAXONOMY: HsdsTaxonomy = {
  id: stableId('taxonomy', 'needs'),
  name: 'Harbour need categories',
  description: 'The need categories of the Harbour service directory and of survivors\u2019 structured needs.',
  uri: 'urn:harbour:taxonomy:needs',
  version: '1',
};

/** Facts about a service that HSDS has no field for (gender eligibility, response window). */
export const PROPERTIES_TAXONOMY: HsdsTaxonomy = {
  id: stableId('taxonomy', 'service-properties'),
  name: 'Harbour service properties',
  description:
    'Facts about a Harbour directory service that HSDS 3.0 has no field for; the attribute value carries the fact.',
  uri: 'urn:harbour:taxonomy:service-properties',
  version: '1',
};

export const GENDER_TERM = 'eligible-gender';
export const RESPONSE_WINDOW_TERM = 'response-window-hours';

const PROPERTY_TERMS: Record<string, string> = {
  [GENDER_TERM]: 'Eligible gender',
  [RESPONSE_WINDOW_TERM]: 'Referral response window (hours)',
};

function term(taxonomy: HsdsTaxonomy, code: string, name: string): HsdsTaxonomyTerm {
  return {
    id: stableId('taxonomy-term', taxonomy.uri!, code),
    code,
    name,
    description: `${name} (${taxonomy.name})`,
    taxonomy: taxonomy.name,
    taxonomy_id: taxonomy.id,
    taxonomy_detail: taxonomy,
    term_uri: `${taxonomy.uri}:${code}`,
  };
}

/** An attribute linking a service to one term; `linkType` says what the term describes. */
export function attribute(serviceId: string, linkType: string, t: HsdsTaxonomyTerm, value?: string): HsdsAttribute {
  return {
    id: stableId('attribute', serviceId, t.id),
    link_id: serviceId,
    link_type: linkType,
    link_entity: 'service',
    taxonomy_term_id: t.id,
    taxonomy_term: t,
    ...(value === undefined ? {} : { value }),
  };
}

export const needTerm = (need: NeedCategory): HsdsTaxonomyTerm =>
  term(NEEDS_TAXONOMY, need, need.charAt(0).toUpperCase() + need.slice(1).replace(/-/g, ' '));

export const propertyTerm = (code: string): HsdsTaxonomyTerm =>
  term(PROPERTIES_TAXONOMY, code, PROPERTY_TERMS[code] ?? code);

/** Lower case, runs of anything else than letters and digits become one hyphen. */
export const slug = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** A term from any taxonomy names one of our needs when its code or name does, e.g. "Mental Health". */
export function needOf(t: HsdsTaxonomyTerm | undefined): NeedCategory | undefined {
  if (!t) return undefined;
  for (const text of [t.code, t.name]) {
    const s = text === undefined ? '' : slug(text);
    if ((NEED_CATEGORIES as readonly string[]).includes(s)) return s as NeedCategory;
  }
  return undefined;
}

/** Our property terms are recognised only inside our own taxonomy, by code. */
export function propertyOf(t: HsdsTaxonomyTerm | undefined): string | undefined {
  const ours = t?.taxonomy_id === PROPERTIES_TAXONOMY.id || t?.taxonomy_detail?.uri === PROPERTIES_TAXONOMY.uri;
  return ours && t?.code !== undefined && t.code in PROPERTY_TERMS ? t.code : undefined;
}

export const isGender = (value: unknown): value is ServiceGender =>
  (SERVICE_GENDERS as readonly unknown[]).includes(value);
