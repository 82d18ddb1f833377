import type { AccessDecision } from '@harbour/consent';
import type { AccessBasis, AccessRecord } from './access.events.js';

/** The decision point's per-section answer as the fields of an access record. */
export function accessFromDecision(
  decision: AccessDecision,
): Pick<AccessRecord, 'sectionsReturned' | 'sectionsWithheld' | 'basis' | 'outcome'> {
  const sectionsReturned: string[] = [];
  const sectionsWithheld: Array<{ section: string; reason: string }> = [];
  const basis: AccessBasis[] = [];
  for (const d of decision.sections) {
    if (d.decision === 'permit') {
      sectionsReturned.push(d.section);
      // A referral's permit rests on its bound consent: recorded as that consent (id and version).
      basis.push(
        d.basis.kind === 'consent' || d.basis.kind === 'referral'
          ? { section: d.section, kind: 'consent', consentId: d.basis.consentId, version: d.basis.version }
          : d.basis.kind === 'break-glass'
            ? { section: d.section, kind: 'break-glass', grantId: d.basis.grantId }
            : { section: d.section, kind: 'care-team' },
      );
    } else {
      sectionsWithheld.push({ section: d.section, reason: d.reason });
    }
  }
  return { sectionsReturned, sectionsWithheld, basis, outcome: decision.outcome };
}
