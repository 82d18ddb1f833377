import type { ExclusionRecord } from './consent.decider.js';
import { type Sector } from '@harbour/vocabulary';

/** Who an exclusion could name: a staff member, their agency, and its sector. */
export interface ExclusionSubject {
  userId: string | null;
  agencyId: string | null;
  sector: Sector | null;
}

/**
 * THE exclusion rule: which exclusion in force shuts this subject out, most specific first
 * (the person, then their agency, then its sector), or null. Lifted exclusions never count.
 * The decision point and every check that is not a read (accepting a referral) use this.
 */
export function exclusionOf(
  exclusions: readonly ExclusionRecord[],
  subject: ExclusionSubject,
): 'staff' | 'agency' | 'sector' | null {
  const live = exclusions.filter((x) => x.status === 'in-force');
  const names = (kind: 'staff' | 'agency' | 'sector') =>
    live.some(
      (x) =>
        (kind === 'staff' &&
          x.target.kind === 'staff' &&
          subject.userId !== null &&
          x.target.userId === subject.userId) ||
        (kind === 'agency' &&
          x.target.kind === 'agency' &&
          subject.agencyId !== null &&
          x.target.agencyId === subject.agencyId) ||
        (kind === 'sector' &&
          x.target.kind === 'sector' &&
          subject.sector !== null &&
          x.target.sector === subject.sector),
    );
  return names('staff') ? 'staff' : names('agency') ? 'agency' : names('sector') ? 'sector' : null;
}
