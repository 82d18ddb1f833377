import type { Actor } from '@harbour/kernel';

/** The one stream holding every access event about a survivor. */
export const accessStream = (survivorId: string): string => `access-${survivorId}`;

export const SURVIVOR_DATA_ACCESSED = 'SurvivorDataAccessed';
export const SURVIVOR_DATA_ACCESSED_SCHEMA = 1;

export type AccessOutcome = 'permitted' | 'partial' | 'denied';
export const ACCESS_OUTCOMES: readonly AccessOutcome[] = ['permitted', 'partial', 'denied'];

/** On what grounds one returned section was shown. */
export type AccessBasis =
  | { section: string; kind: 'care-team' }
  | { section: string; kind: 'consent'; consentId: string; version: number }
  | { section: string; kind: 'break-glass'; grantId: string };

export interface WithheldSection {
  section: string;
  /** Why it was withheld, as a fixed word (e.g. the decision point's DenyReason). */
  reason: string;
}

/**
 * Payload of `SurvivorDataAccessed`, schema version 1: the record of one read (or refused
 * read) of one survivor's data, in stream `access-<survivorId>`. Names sections, never
 * their content.
 */
export interface SurvivorDataAccessedV1 {
  survivorId: string;
  actor: Actor;
  sectionsReturned: string[];
  sectionsWithheld: WithheldSection[];
  purpose: string;
  basis: AccessBasis[];
  outcome: AccessOutcome;
  requestId: string;
  /** The route template, e.g. `GET /v1/intakes/:id` (never the concrete URL or its query). */
  route: string;
  /** ISO instant the event was recorded (the recorder's clock, or the caller's `at`). */
  at: string;
  /**
   * Added later in v1 (optional: older events lack them). ISO instant the decision point was
   * asked (the gate's clock): a read decided before a revocation but committed after it shows
   * `decidedAt` before the revocation and the consent stream version it read.
   */
  decidedAt?: string;
  /**
   * Version of the survivor's `consent-<survivorId>` stream the decision read (-1: no consent
   * recorded yet). With `decidedAt`, it proves which consents the read was decided under.
   */
  consentStreamVersion?: number;
  /**
   * The caller's own `X-Request-Id`, kept for the caller's correlation only: never Harbour's
   * `requestId`, and never trusted as one (the caller chose it).
   */
  clientRequestId?: string;
}

export interface SurvivorDataAccessedEvent {
  type: typeof SURVIVOR_DATA_ACCESSED;
  data: SurvivorDataAccessedV1;
}

/**
 * What a caller hands to AccessRecorder.record. Every field is a name, an id, an enum or a
 * time: there is deliberately no field that could carry section content (no `unknown`, no
 * free text, no nested objects beyond the fixed ones), and the recorder copies only these
 * fields, checked against narrow patterns, so anything else passed at run time is dropped.
 */
export interface AccessRecord {
  survivorId: string;
  actor: Readonly<Actor>;
  sectionsReturned: readonly string[];
  sectionsWithheld: readonly Readonly<WithheldSection>[];
  purpose: string;
  basis: readonly Readonly<AccessBasis>[];
  outcome: AccessOutcome;
  requestId: string;
  route: string;
  /** When the event is recorded (default: the recorder's clock). */
  at?: Date;
  /** The instant the decision point was asked (absent for refusals made outside it). */
  decidedAt?: Date;
  /** The consent stream version the decision read (-1: none yet). */
  consentStreamVersion?: number;
  /** The caller's `X-Request-Id` (a plain token), for their correlation only. */
  clientRequestId?: string | null;
}

export const ACCESS_LOG_VIEWED = 'AccessLogViewed';
export const ACCESS_LOG_VIEWED_SCHEMA = 1;

/** Which view of the access log exposed this survivor's trail. */
export type AccessLogView =
  'trail' | 'disclosure-report' | 'fhir-export' | 'break-glass-review' | 'retention-due' | 'share-code-uses';
export const ACCESS_LOG_VIEWS: readonly AccessLogView[] = [
  'trail',
  'disclosure-report',
  'fhir-export',
  'break-glass-review',
  'retention-due',
  'share-code-uses',
];

/**
 * Payload of `AccessLogViewed`, schema version 1, in stream `access-<survivorId>`: someone looked
 * at (part of) this survivor's access trail — who, through which view, when. Ids and names only.
 */
export interface AccessLogViewedV1 {
  survivorId: string;
  viewer: Actor;
  view: AccessLogView;
  requestId: string;
  route: string;
  at: string;
}

/** What a caller hands to AccessRecorder.recordLogViews (one per survivor whose trail was shown). */
export interface AccessLogViewRecord {
  survivorId: string;
  viewer: Readonly<Actor>;
  view: AccessLogView;
  requestId: string;
  route: string;
  at?: Date;
}
