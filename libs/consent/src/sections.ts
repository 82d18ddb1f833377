/** The vocabularies of the consent context (DESIGN.md, "The words": Intake, Consent, Purposes). */

/** The twelve sections of the shared intake; consent and access are decided per section. */
export const SECTIONS = [
  'identity',
  'contact',
  'safety',
  'immigration',
  'health',
  'legal',
  'housing',
  'income',
  'dependants',
  'story',
  'needs',
  'preferences',
] as const;
export type Section = (typeof SECTIONS)[number];

/** How the survivor's decision was obtained. */
export const CONSENT_METHODS = ['verbal', 'written', 'electronic'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** Roles that work with survivors: only they record consent decisions or read intake sections. */
export const WORKER_ROLES = ['caseworker', 'supervisor'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

/** A consent lasts this many months when the survivor gives no end date. */
export const DEFAULT_CONSENT_MONTHS = 12;

export const isSection = (value: unknown): value is Section => (SECTIONS as readonly unknown[]).includes(value);
export const isWorkerRole = (value: unknown): value is WorkerRole =>
  (WORKER_ROLES as readonly unknown[]).includes(value);

/** The one stream holding every consent and exclusion decision of a survivor. */
export const consentStream = (survivorId: string) => `consent-${survivorId}`;
