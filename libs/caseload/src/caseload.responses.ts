import { ApiProperty } from '@nestjs/swagger';
import { SECTIONS } from '@harbour/consent';
import { CHECK_IN_DUE_DAYS } from '@harbour/intake';
import { REFERRAL_STATES } from '@harbour/referrals';
import { PURPOSES } from '@harbour/vocabulary';

/** Response shapes of `GET /v1/caseload` (OpenAPI only): opaque ids, section names, dates and states — no content. */

class CaseloadAccessView {
  @ApiProperty({ enum: PURPOSES, example: 'care-coordination' }) purpose!: string;
  @ApiProperty({ enum: SECTIONS, isArray: true, description: 'Sections you may read for this purpose (names only)' })
  sections!: string[];
}

class CaseloadCheckInView {
  @ApiProperty() everyDays!: number;
  @ApiProperty({ format: 'date' }) nextDueOn!: string;
  @ApiProperty({
    enum: ['upcoming', 'due', 'overdue'],
    description: `due: from nextDueOn for ${CHECK_IN_DUE_DAYS} days; overdue: after that. Both mean "not yet held", a reminder for the care team — never a mark on the survivor.`,
  })
  status!: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) lastHeldOn!: string | null;
}

class ExpiringConsentView {
  @ApiProperty({ format: 'uuid' }) consentId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
  @ApiProperty({ enum: PURPOSES, isArray: true }) purposes!: string[];
}

class CaseloadSurvivorView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ type: CaseloadAccessView }) access!: CaseloadAccessView;
  @ApiProperty({
    type: CaseloadCheckInView,
    nullable: true,
    description: 'The next check-in the survivor agreed to (null: no cadence agreed)',
  })
  checkIn!: CaseloadCheckInView | null;
  @ApiProperty({
    description: "The latest check-in said the consents on record no longer reflect the survivor's wishes",
  })
  consentReviewAsked!: boolean;
  @ApiProperty({
    type: [ExpiringConsentView],
    description: 'Consents in force whose window ends within expiringWithinDays',
  })
  consentsExpiring!: ExpiringConsentView[];
  @ApiProperty({ type: [String], description: 'Open referrals of this survivor from or to your agency' })
  openReferralIds!: string[];
}

class IncomingReferralView {
  @ApiProperty({ format: 'uuid' }) referralId!: string;
  @ApiProperty({ enum: REFERRAL_STATES }) state!: string;
  @ApiProperty({ format: 'date-time' }) respondBy!: string;
  @ApiProperty({ description: 'Assigned to you' }) assignedToMe!: boolean;
}

class OutgoingReferralView {
  @ApiProperty({ format: 'uuid' }) referralId!: string;
  @ApiProperty({ enum: REFERRAL_STATES }) state!: string;
  @ApiProperty({ format: 'date-time' }) respondBy!: string;
}

class CaseloadReferralsView {
  @ApiProperty({ type: [IncomingReferralView], description: 'Open referrals to your agency (newest 100)' })
  incoming!: IncomingReferralView[];
  @ApiProperty({ type: [OutgoingReferralView], description: 'Open referrals from your agency (newest 100)' })
  outgoing!: OutgoingReferralView[];
}

export class CaseloadView {
  @ApiProperty({ type: [CaseloadSurvivorView] }) survivors!: CaseloadSurvivorView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Survivors on your care teams, over every page' }) total!: number;
  @ApiProperty({ description: 'HARBOUR_CASELOAD_EXPIRING_DAYS' }) expiringWithinDays!: number;
  @ApiProperty({ type: CaseloadReferralsView }) referrals!: CaseloadReferralsView;
}
