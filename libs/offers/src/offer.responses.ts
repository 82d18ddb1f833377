import { ApiProperty } from '@nestjs/swagger';
import { HANDOVER_MODES, NEED_CATEGORIES, OFFER_KINDS, SECTORS } from '@harbour/vocabulary';
import { DECLINE_REASONS } from './offer.events.js';

/** Response shapes of the offers routes (OpenAPI only). No partner-facing shape has a survivor field. */

const REQUEST_STATUSES = ['requested', 'approved', 'declined', 'fulfilled', 'confirmed', 'expired', 'withdrawn'];

export class OfferWritten {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty({ enum: ['published', 'withdrawn'] }) status!: string;
  @ApiProperty({ description: 'Units left to request now (this month, for a monthly capacity)' }) remaining!: number;
  @ApiProperty({ description: "The offer stream's version after the write" }) version!: number;
}

export class OfferRequestWritten {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ enum: REQUEST_STATUSES }) status!: string;
  @ApiProperty({ description: "The offer stream's version after the write" }) version!: number;
}

class CapacityView {
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: ['total', 'month'] }) per!: string;
}

class ConditionsView {
  @ApiProperty({ type: Number, nullable: true }) minAge!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxAge!: number | null;
  @ApiProperty({ type: [String] }) genders!: string[];
  @ApiProperty({ type: [String] }) languages!: string[];
}

export class OfferView {
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty() agencyId!: string;
  @ApiProperty({ type: String, nullable: true }) agencyName!: string | null;
  @ApiProperty({ enum: SECTORS }) sector!: string;
  @ApiProperty({ enum: OFFER_KINDS }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: CapacityView }) capacity!: CapacityView;
  @ApiProperty({ description: 'Units left to request now' }) remaining!: number;
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty({ type: ConditionsView }) conditions!: ConditionsView;
  @ApiProperty({ enum: HANDOVER_MODES }) handover!: string;
  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true }) needs!: string[];
  @ApiProperty({ format: 'date-time' }) validFrom!: string;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
  @ApiProperty() responseDays!: number;
  @ApiProperty({ enum: ['open', 'upcoming', 'ended', 'withdrawn'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
}

export class OfferListView {
  @ApiProperty({ type: [OfferView] }) items!: OfferView[];
}

class AgencyRef {
  @ApiProperty() agencyId!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
}

/** What the offering partner sees of a request: notice level, never the survivor. */
export class PartnerRequestView {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ format: 'uuid' }) offerId!: string;
  @ApiProperty({ enum: OFFER_KINDS }) kind!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() region!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) neededBy!: string | null;
  @ApiProperty({ enum: HANDOVER_MODES }) handover!: string;
  @ApiProperty({
    enum: ['agency', 'survivor'],
    description: 'survivor: the requesting agency arranges direct handover',
  })
  handoverTo!: string;
  @ApiProperty({ type: AgencyRef, description: 'The agency it is handed over to (or through)' })
  requestingAgency!: AgencyRef;
  @ApiProperty({ enum: REQUEST_STATUSES }) status!: string;
  @ApiProperty({ type: String, enum: DECLINE_REASONS, nullable: true }) declineReason!: string | null;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time' }) respondBy!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) fulfilledAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) confirmedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
}

export class PartnerInboxView {
  @ApiProperty({ type: [PartnerRequestView] }) items!: PartnerRequestView[];
}

export class CareTeamRequestView extends PartnerRequestView {
  @ApiProperty({ enum: NEED_CATEGORIES }) need!: string;
  @ApiProperty({ type: AgencyRef }) offeringAgency!: AgencyRef;
  @ApiProperty({ type: String, nullable: true }) title!: string | null;
}

export class SurvivorOfferRequestsView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ type: [CareTeamRequestView] }) items!: CareTeamRequestView[];
}

export class SuggestedOfferView extends OfferView {
  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true }) matchedNeeds!: string[];
  @ApiProperty({ enum: ['age', 'gender'], isArray: true, description: 'Conditions to check with the survivor' })
  conditionsToCheck!: string[];
}

export class OfferSuggestionsView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true }) openNeeds!: string[];
  @ApiProperty({ type: String, nullable: true }) region!: string | null;
  @ApiProperty({ type: [SuggestedOfferView] }) offers!: SuggestedOfferView[];
}

class TotalsFigures {
  @ApiProperty() offers!: number;
  @ApiProperty() requests!: number;
  @ApiProperty() unitsRequested!: number;
  @ApiProperty() unitsApproved!: number;
  @ApiProperty({ description: 'Units handed over (fulfilled, confirmed or not)' }) unitsGiven!: number;
  @ApiProperty() unitsConfirmed!: number;
  @ApiProperty() declined!: number;
  @ApiProperty() expired!: number;
  @ApiProperty() withdrawn!: number;
}

class TotalsRow extends TotalsFigures {
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ enum: OFFER_KINDS }) kind!: string;
}

export class OfferTotalsView {
  @ApiProperty() agencyId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [TotalsRow] }) items!: TotalsRow[];
  @ApiProperty({ type: TotalsFigures }) total!: TotalsFigures;
}
