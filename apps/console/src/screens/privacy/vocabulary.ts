/** The audit API's fixed words and shapes (libs/audit, libs/vocabulary). */
export const PRIVACY_ROLES = ['privacy-officer', 'network-privacy-officer'];
export const PURPOSES = [
  'referral',
  'care-coordination',
  'safety-planning',
  'investigation',
  'statistics',
  'impact-story',
] as const;
export const OUTCOMES = ['permitted', 'partial', 'denied'] as const;
export const BASES = ['care-team', 'consent', 'break-glass'] as const;
export const KINDS = ['read', 'log-view'] as const;
export const FLAG_RESOLUTIONS = ['no-concern', 'concern-confirmed'] as const;
export const FINDINGS = ['justified', 'not-justified'] as const;

export interface TrailItem {
  eventId: string;
  position: string;
  kind: string;
  at: string;
  survivorId: string;
  actor: { userId: string; agencyId: string | null; role: string | null };
  purpose: string | null;
  outcome: string;
  sectionsReturned: string[];
  sectionsWithheld: { section: string; reason: string }[];
  basis: { section: string; kind: string; consentId?: string; grantId?: string }[];
  view: string | null;
  requestId: string;
  route: string;
}

export interface TrailPage {
  items: TrailItem[];
  nextCursor: string | null;
}

export interface Flag {
  flagId: string;
  rule: string;
  userId: string;
  agencyId: string | null;
  survivorId: string | null;
  day: string;
  details: Record<string, unknown>;
  raisedAt: string;
  status: string;
  resolution: string | null;
  note: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

export interface BreakGlassGrant {
  grantId: string;
  survivorId: string;
  userId: string;
  agencyId: string;
  openedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
  finding: string | null;
  reviewerId: string | null;
  justification: string | null;
  reads: TrailItem[];
}
