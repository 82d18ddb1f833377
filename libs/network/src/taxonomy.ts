/** The network context's own vocabularies; the shared words live in @harbour/vocabulary. */
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

/** Eligibility by gender as services state it. */
export const SERVICE_GENDERS = ['any', 'women', 'men', 'gender-diverse'] as const;
export type ServiceGender = (typeof SERVICE_GENDERS)[number];
