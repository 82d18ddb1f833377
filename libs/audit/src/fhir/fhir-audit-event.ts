import type { TrailItem } from '../trail/access-trail.queries.js';

/**
 * Access events as FHIR R4 AuditEvent resources (mapping: docs/fhir-audit-event.md). Plain JSON
 * objects typed loosely: the tests check them with a maintained FHIR validator.
 */
export const HARBOUR_SYSTEM = 'https://harbour.example.org/fhir';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const PURPOSE_OF_USE = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const ROLE_CLASS = 'http://terminology.hl7.org/CodeSystem/extra-security-role-type';

/** Harbour purposes as HL7 v3 PurposeOfUse codes (the Harbour code rides along in its own system). */
const PURPOSE: Record<string, { code: string; display: string }> = {
  referral: { code: 'TREAT', display: 'treatment' },
  'care-coordination': { code: 'CAREMGT', display: 'care management' },
  'safety-planning': { code: 'TREAT', display: 'treatment' },
  investigation: { code: 'HLEGAL', display: 'legal' },
  statistics: { code: 'HRESCH', display: 'healthcare research' },
};
/** 0 success; 4 minor failure (the read was refused: nothing was shown). */
const OUTCOME: Record<string, '0' | '4'> = { permitted: '0', partial: '0', denied: '4' };

export type FhirResource = Record<string, unknown> & { resourceType: string };

export function toAuditEvent(item: TrailItem, sourceSite: string): FhirResource {
  const isView = item.kind === 'log-view';
  const breakGlass = item.basis.some((b) => b.kind === 'break-glass');
  const purpose = item.purpose ? PURPOSE[item.purpose] : undefined;
  const purposeOfEvent = item.purpose
    ? [
        {
          coding: [
            ...(purpose
              ? [
                  {
                    system: PURPOSE_OF_USE,
                    code: breakGlass ? 'ETREAT' : purpose.code,
                    display: breakGlass ? 'Emergency Treatment' : purpose.display,
                  },
                ]
              : []),
            { system: `${HARBOUR_SYSTEM}/purpose`, code: item.purpose },
          ],
        },
      ]
    : undefined;
  const policies = item.basis.flatMap((b) =>
    b.kind === 'consent'
      ? [`urn:harbour:consent:${b.consentId}:v${b.version}`]
      : b.kind === 'break-glass'
        ? [`urn:harbour:break-glass:${b.grantId}`]
        : [],
  );
  return {
    resourceType: 'AuditEvent',
    id: item.eventId,
    type: isView
      ? { system: DCM, code: '110101', display: 'Audit Log Used' }
      : { system: DCM, code: '110110', display: 'Patient Record' },
    subtype: [{ system: RESTFUL, code: 'read', display: 'read' }],
    action: 'R',
    // The activity ran from the decision to the record (events older than decidedAt have no period).
    ...(item.decidedAt ? { period: { start: item.decidedAt, end: item.at } } : {}),
    recorded: item.at,
    outcome: OUTCOME[item.outcome] ?? '4',
    ...(item.outcome === 'denied' ? { outcomeDesc: 'Refused: no section could be shown for this purpose' } : {}),
    ...(purposeOfEvent ? { purposeOfEvent } : {}),
    agent: [
      {
        type: { coding: [{ system: ROLE_CLASS, code: 'humanuser', display: 'human user' }] },
        role: item.actor.role ? [{ coding: [{ system: `${HARBOUR_SYSTEM}/role`, code: item.actor.role }] }] : undefined,
        who: { identifier: { system: `${HARBOUR_SYSTEM}/staff`, value: item.actor.userId } },
        requestor: true,
        ...(policies.length ? { policy: policies } : {}),
        ...(purposeOfEvent ? { purposeOfUse: purposeOfEvent } : {}),
      },
      ...(item.actor.agencyId
        ? [
            {
              type: { coding: [{ system: ROLE_CLASS, code: 'dataprocessor', display: 'data processor' }] },
              who: { identifier: { system: `${HARBOUR_SYSTEM}/agency`, value: item.actor.agencyId } },
              requestor: false,
            },
          ]
        : []),
    ].map(prune),
    source: {
      site: sourceSite,
      observer: { display: 'Harbour access recorder' },
      type: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
          code: '4',
          display: 'Application Server',
        },
      ],
    },
    entity: [
      {
        what: { identifier: { system: `${HARBOUR_SYSTEM}/survivor`, value: item.survivorId } },
        type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
        role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
        ...(isView
          ? {}
          : {
              detail: [
                ...item.sectionsReturned.map((s) => ({ type: 'section-returned', valueString: s })),
                ...item.sectionsWithheld.map((w) => ({
                  type: 'section-withheld',
                  valueString: `${w.section}:${w.reason}`,
                })),
                ...(item.consentStreamVersion === null
                  ? []
                  : [{ type: 'consent-stream-version', valueString: String(item.consentStreamVersion) }]),
              ],
            }),
      },
      {
        what: { identifier: { system: `${HARBOUR_SYSTEM}/request`, value: item.requestId } },
        type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
        description: item.route,
        ...requestDetail(item, isView),
      },
    ].map(prune),
  };
}

/** The request entity's details: the log view, and the caller's own X-Request-Id (labelled apart from Harbour's). */
function requestDetail(item: TrailItem, isView: boolean): { detail?: Array<{ type: string; valueString: string }> } {
  const detail = [
    ...(isView && item.view ? [{ type: 'view', valueString: item.view }] : []),
    ...(item.clientRequestId ? [{ type: 'client-request-id', valueString: item.clientRequestId }] : []),
  ];
  return detail.length ? { detail } : {};
}

/** A searchset Bundle of AuditEvents, newest first, with the next page as a link. */
export function auditEventBundle(
  items: TrailItem[],
  sourceSite: string,
  self: string,
  next: string | null,
): FhirResource {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: [{ relation: 'self', url: self }, ...(next ? [{ relation: 'next', url: next }] : [])],
    entry: items.map((item) => ({ fullUrl: `urn:uuid:${item.eventId}`, resource: toAuditEvent(item, sourceSite) })),
  };
}

/** Drop keys whose value is undefined or an empty array (FHIR forbids empty elements). */
function prune<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}
