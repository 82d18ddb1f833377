/** The network's fixed words as the API takes them (libs/vocabulary, libs/network taxonomy). */
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
export const TIERS = ['core', 'associate'] as const;
export const AGENCY_STATUSES = ['applicant', 'active', 'suspended', 'removed'] as const;
export const ROLES = [
  'caseworker',
  'supervisor',
  'privacy-officer',
  'analyst',
  'agency-admin',
  'network-admin',
  'network-privacy-officer',
] as const;
export const NEEDS = [
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
export const GENDERS = ['any', 'women', 'men', 'gender-diverse'] as const;
export const DAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const;

export const ADMIN_ROLES = ['network-admin', 'agency-admin'];

export interface AgencyView {
  agencyId: string;
  name: string;
  sector: string;
  regions: string[];
  requestedTier: string;
  tier: string | null;
  status: string;
  endorsements: number;
  admittedVia: string | null;
  appliedAt: string;
  updatedAt: string;
}

export interface StaffView {
  userId: string;
  agencyId: string;
  displayName: string;
  email: string;
  roles: string[];
  active: boolean;
}

export interface ServiceView {
  serviceId: string;
  agencyId: string;
  agencyName: string;
  name: string;
  description: string;
  needs: string[];
  languages: string[];
  regions: string[];
  eligibility: { gender: string; minAge: number | null; maxAge: number | null };
  hours: { day: string; opens: string; closes: string }[];
  acceptingReferrals: boolean;
  responseWindowHours: number;
  address: { street: string; city: string; region: string; postalCode: string; country: string } | null;
  addressConfidential: boolean;
}

export interface AgencyNotification {
  notificationId: string;
  kind: string;
  subjectAgencyId: string;
  motionId: string | null;
  details: unknown;
  createdAt: string;
}
