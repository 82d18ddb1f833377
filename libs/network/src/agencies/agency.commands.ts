import type { AgencyStatus, Tier } from '../taxonomy.js';
import type { AgencyContact, RemovalVote } from './agency.events.js';
import { type Sector } from '@harbour/vocabulary';

/**
 * Another agency's standing as the caller read it just now (from that agency's stream).
 * The decider is pure, so facts about other streams come in on the command.
 */
export interface PeerStanding {
  agencyId: string;
  status: AgencyStatus;
  tier: Tier;
}

/** What may be asked of a member agency. Who asks and when come in the DecisionContext. */
export type AgencyCommand =
  | {
      type: 'ApplyForMembership';
      /** The new stream's id: needed in state so the agency can't endorse or table against itself. */
      agencyId: string;
      name: string;
      sector: Sector;
      regions: string[];
      contact: AgencyContact;
      requestedTier: Tier;
    }
  | { type: 'EndorseApplication'; endorser: PeerStanding }
  | { type: 'AdmitByNetworkAdmin'; activeCoreAgencies: number }
  | { type: 'SuspendAgency'; reason: string }
  | { type: 'ReinstateAgency'; reason: string }
  | {
      type: 'TableRemovalMotion';
      motionId: string;
      tabler: PeerStanding;
      reasons: string[];
      /** Ids of all active core agencies now; the agency in question is dropped by the decider. */
      eligibleVoters: string[];
      noticePeriodHours: number;
      votingPeriodHours: number;
    }
  | { type: 'CastRemovalVote'; motionId: string; voter: PeerStanding; vote: RemovalVote }
  /** `closer` is required when an agency admin (not a network admin) closes. */
  | { type: 'CloseRemovalMotion'; motionId: string; closer?: PeerStanding };

export type AgencyCommandType = AgencyCommand['type'];
