import type { ServiceGender } from '../taxonomy.js';
import { type NeedCategory } from '@harbour/vocabulary';

/** Opening hours: one entry per open period, e.g. { day: 'mo', opens: '09:00', closes: '17:00' }. */
export interface OpeningHours {
  day: 'mo' | 'tu' | 'we' | 'th' | 'fr' | 'sa' | 'su';
  opens: string; // HH:MM, 24 h
  closes: string; // HH:MM, 24 h
}

export interface ServiceAddress {
  street: string;
  city: string;
  region: string; // state/province as written on mail
  postalCode: string;
  country: string; // ISO 3166-1 alpha-2
}

/** One service an agency offers, as listed in the directory. */
export interface ServiceDetails {
  name: string;
  description: string;
  needs: NeedCategory[];
  languages: string[]; // BCP 47
  regions: string[]; // region codes served
  eligibility: { gender: ServiceGender; minAge: number | null; maxAge: number | null };
  hours: OpeningHours[];
  acceptingReferrals: boolean;
  /** How long the agency takes to acknowledge a referral to this service. */
  responseWindowHours: number;
  address: ServiceAddress | null;
  /** A confidential address (e.g. a shelter) is never returned by search; only the agency's own staff see it. */
  addressConfidential: boolean;
}
