/** The fixed vocabularies of the network (DESIGN.md, "The words"). */
export const SECTORS = [
  'victim-services',
  'shelter',
  'health',
  'legal',
  'housing',
  'settlement',
  'indigenous-led',
  'law-enforcement',
  'government',
  'corporate',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

/** Core members may get case access; associates never do. */
export const TIERS = ['core', 'associate'] as const;
export type Tier = (typeof TIERS)[number];

export const AGENCY_STATUSES = ['applicant', 'active', 'suspended', 'removed'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

/** `network-privacy-officer` audits access across the whole network; like `network-admin`, only a network admin grants it. */
export const ROLES = [
  'caseworker',
  'supervisor',
  'privacy-officer',
  'analyst',
  'agency-admin',
  'network-admin',
  'network-privacy-officer',
] as const;
export type Role = (typeof ROLES)[number];

/** Need categories of the service directory and of survivors' structured needs. */
export const NEED_CATEGORIES = [
  'housing',
  'shelter',
  'legal',
  'immigration',
  'health',
  'mental-health',
  'substance-use',
  'counselling',
  'income',
  'employment',
  'education',
  'food',
  'transportation',
  'id-documents',
  'childcare',
  'cultural',
  'peer-support',
  'safety-planning',
] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];

/** Eligibility by gender as services state it. */
export const SERVICE_GENDERS = ['any', 'women', 'men', 'gender-diverse'] as const;
export type ServiceGender = (typeof SERVICE_GENDERS)[number];

/** Region codes are short slugs (e.g. `on-toronto`); the network configures which exist. */
export const REGION_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;
/** Languages are BCP 47 tags (e.g. `en`, `es`, `tl`, `pt-BR`). */
export const LANGUAGE_PATTERN = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
