import type { Tier } from '../taxonomy.js';
import { type Sector } from '@harbour/vocabulary';

/** The organisation's contact for its membership (not survivor data). */
export interface AgencyContact {
  name: string;
  email: string;
  phone?: string;
}

export type RemovalVote = 'for' | 'against';

/** The count that decided a removal motion. */
export interface MotionTally {
  motionId: string;
  votesFor: number;
  votesAgainst: number;
  /** Number of eligible voters in the snapshot taken at tabling. */
  eligible: number;
}

/** What a removal motion is about and when it is voted on (times as ISO strings). */
export interface MotionTerms {
  motionId: string;
  tabledBy: string;
  reasons: string[];
  eligibleVoters: string[];
  votingOpensAt: string;
  votingClosesAt: string;
}

/** Facts of a member agency (stream `agency-<id>`); schema version 1, times as ISO strings. */
export type AgencyEvent =
  | {
      type: 'AgencyApplied';
      data: {
        agencyId: string;
        name: string;
        sector: Sector;
        regions: string[];
        contact: AgencyContact;
        requestedTier: Tier;
      };
    }
  | { type: 'AgencyEndorsed'; data: { endorserAgencyId: string; endorsedBy: string } }
  | {
      type: 'AgencyAdmitted';
      data: { tier: Tier; via: 'endorsements' } | { tier: Tier; via: 'bootstrap'; admittedBy: string };
    }
  | { type: 'AgencySuspended'; data: { reason: string } }
  | { type: 'AgencyReinstated'; data: { reason: string } }
  | { type: 'RemovalMotionTabled'; data: MotionTerms }
  | { type: 'AgencyNotifiedOfRemovalMotion'; data: { motionId: string; notifiedAt: string } }
  | { type: 'RemovalVoteCast'; data: { motionId: string; voterAgencyId: string; vote: RemovalVote } }
  | { type: 'RemovalMotionCarried'; data: MotionTally }
  | { type: 'RemovalMotionFailed'; data: MotionTally }
  | { type: 'AgencyRemoved'; data: { motionId: string } };

export type AgencyEventType = AgencyEvent['type'];
