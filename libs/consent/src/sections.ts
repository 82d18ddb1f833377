/** The vocabularies of the consent context (DESIGN.md, "The words": Intake, Consent, Purposes). */

/** The thirteen sections of the shared intake (`goals`: the survivor's own goals, issue 14); consent and access are decided per section. */
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
  'goals',
] as const;
export type Section = (typeof SECTIONS)[number];

/** How the survivor's decision was obtained, as a worker records it. */
export const CONSENT_METHODS = ['verbal', 'written', 'electronic'] as const;
/**
 * Every method a consent event may carry: `share-code` is recorded only by a share-code
 * redemption (libs/sharing), never entered by a worker, so the worker-facing list stays as is.
 */
export const RECORDED_CONSENT_METHODS = [...CONSENT_METHODS, 'share-code'] as const;
export type ConsentMethod = (typeof RECORDED_CONSENT_METHODS)[number];

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
