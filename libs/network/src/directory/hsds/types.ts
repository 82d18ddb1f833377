/**
 * The parts of HSDS 3.0 objects Harbour writes or reads. The schemas allow more fields;
 * these types only name the ones we touch. Everything optional is optional in HSDS too.
 */
export interface HsdsTaxonomy {
  id: string;
  name: string;
  description: string;
  uri?: string;
  version?: string;
}

export interface HsdsTaxonomyTerm {
  id: string;
  name: string;
  description: string;
  code?: string;
  taxonomy?: string;
  taxonomy_id?: string;
  taxonomy_detail?: HsdsTaxonomy;
  term_uri?: string;
}

export interface HsdsAttribute {
  id: string;
  link_id?: string;
  link_type?: string;
  link_entity?: string;
  taxonomy_term_id?: string;
  taxonomy_term?: HsdsTaxonomyTerm;
  value?: string;
}

export interface HsdsLanguage {
  id: string;
  service_id?: string;
  name?: string;
  code?: string;
}

export interface HsdsServiceArea {
  id: string;
  service_id?: string;
  name?: string;
  description?: string;
  extent?: string;
  extent_type?: string;
}

export interface HsdsSchedule {
  id: string;
  service_id?: string;
  freq?: 'WEEKLY' | 'MONTHLY';
  byday?: string;
  opens_at?: string;
  closes_at?: string;
  description?: string;
}

export interface HsdsAddress {
  id: string;
  location_id?: string;
  address_1: string;
  address_2?: string;
  city: string;
  state_province: string;
  postal_code: string;
  country: string;
  address_type: 'physical' | 'postal' | 'virtual';
}

export interface HsdsLocation {
  id: string;
  location_type: 'physical' | 'postal' | 'virtual';
  organization_id?: string;
  name?: string;
  addresses?: HsdsAddress[];
}

export interface HsdsServiceAtLocation {
  id: string;
  service_id?: string;
  location_id?: string;
  location?: HsdsLocation;
}

export interface HsdsService {
  id: string;
  organization_id?: string;
  name: string;
  description?: string;
  status: 'active' | 'inactive' | 'defunct' | 'temporarily closed';
  eligibility_description?: string;
  minimum_age?: number;
  maximum_age?: number;
  schedules?: HsdsSchedule[];
  service_areas?: HsdsServiceArea[];
  service_at_locations?: HsdsServiceAtLocation[];
  languages?: HsdsLanguage[];
  attributes?: HsdsAttribute[];
  organization?: HsdsOrganization;
}

export interface HsdsOrganization {
  id: string;
  name: string;
  description: string;
  email?: string;
  website?: string;
  locations?: HsdsLocation[];
  /** Not in organization.json, but nested by the standard's /organizations/{id} response. */
  services?: HsdsService[];
}
