import { type ConsentState, decideAccess, type DenyReason, SECTIONS } from '@harbour/consent';
import type { AgencyState } from '@harbour/network';

export interface ReferralConsentCheck {
  /** The consent a referral to this agency would rest on (one naming the agency is preferred to its sector's). */
  consent: { consentId: string; version: number } | null;
  /** An exclusion in force that shuts the agency out. */
  exclusion: 'agency' | 'sector' | null;
  /** Why no consent covers it (the decision point's nearest miss), when none does. */
  reason: DenyReason | null;
}

/**
 * Does the survivor's consent let this agency receive a referral? Asked of THE decision point
 * (`decideAccess`) on behalf of a worker of the receiving agency, for purpose `referral`, as if
 * it were off the care team: so exclusions win, and revocation, validity and purpose are judged
 * exactly as for any read.
 */
export function checkReferralConsent(consents: ConsentState, agencyId: string, agency: AgencyState, at: Date): ReferralConsentCheck {
  if (agency.status === 'none') return { consent: null, exclusion: null, reason: 'agency-not-eligible' };
  const decision = decideAccess({
    actor: { userId: 'referral-check', agencyId, role: 'caseworker' },
    agency: { status: agency.status, tier: agency.tier, sector: agency.sector },
    careTeam: { agencyIds: [] },
    consents,
    sections: SECTIONS,
    purpose: 'referral',
    at,
  });
  const reasons = decision.sections.flatMap((d) => (d.decision === 'deny' ? [d.reason] : []));
  const exclusion = reasons.includes('excluded-agency') ? 'agency' : reasons.includes('excluded-sector') ? 'sector' : null;
  const permit = decision.sections.find((d) => d.decision === 'permit' && d.basis.kind === 'consent');
  const consent = permit?.decision === 'permit' && permit.basis.kind === 'consent' ? { consentId: permit.basis.consentId, version: permit.basis.version } : null;
  const reason = consent ? null : (reasons.find((r) => r !== 'section-not-consented') ?? reasons[0] ?? 'no-consent');
  return { consent, exclusion, reason };
}
