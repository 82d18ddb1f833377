import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGE_BANDS } from '@harbour/intake';
import { REFERRAL_STATES } from './referral.decider.js';
import { URGENCIES, NEED_CATEGORIES, SECTORS } from '@harbour/vocabulary';

/** Response shapes of the referral routes (OpenAPI only). Every write answers `id` and `version`. */

export class ReferralWritten {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) referralId!: string;
  @ApiProperty({ enum: REFERRAL_STATES }) state!: string;
  @ApiProperty({ description: "The referral stream's version after the write (If-Match for the next one)" })
  version!: number;
}

export class NoticeView {
  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true }) needs!: string[];
  @ApiProperty({ enum: URGENCIES }) urgency!: string;
  @ApiProperty({ nullable: true, type: String, example: 'pt-BR' }) language!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'on-toronto' }) region!: string | null;
  @ApiProperty({ enum: AGE_BANDS, nullable: true, type: String }) ageBand!: string | null;
}

class IntroductionView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() mode!: string;
  @ApiProperty({ type: [String] }) attendees!: string[];
}

export class ReferralView {
  @ApiProperty({ format: 'uuid' }) referralId!: string;
  @ApiProperty({ enum: REFERRAL_STATES }) state!: string;
  @ApiProperty({ format: 'uuid' }) fromAgencyId!: string;
  @ApiProperty({ format: 'uuid' }) toAgencyId!: string;
  @ApiProperty({ enum: SECTORS }) toSector!: string;
  @ApiProperty({ type: NoticeView, description: 'Non-identifying: all the receiving agency sees before it accepts' })
  notice!: NoticeView;
  @ApiProperty({ format: 'date-time' }) respondBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty() version!: number;
  @ApiPropertyOptional({ description: 'Only to the referring agency, and to the receiving agency once it accepted' })
  note?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) assignedCaseworkerId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) declineReason?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) outcome?: string | null;
  @ApiPropertyOptional({ type: IntroductionView, nullable: true }) introduction?: IntroductionView | null;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only when the decision point lets you see this survivor (recorded as an access event)',
  })
  survivorId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) consentId?: string;
  @ApiPropertyOptional() consentVersion?: number;
}

export class ReferralPage {
  @ApiProperty({ type: [ReferralView] }) items!: ReferralView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class ReferralHistory {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ type: [ReferralView] }) items!: ReferralView[];
}

class SuggestedServiceView {
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true }) needs!: string[];
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty() acceptingReferrals!: boolean;
  @ApiProperty() responseWindowHours!: number;
}

class SuggestedAgencyView {
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() agencyName!: string;
  @ApiProperty({ enum: SECTORS }) sector!: string;
  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true }) needs!: string[];
  @ApiProperty({ format: 'uuid', description: 'The consent a referral to it would rest on' }) consentId!: string;
  @ApiProperty({ type: [SuggestedServiceView] }) services!: SuggestedServiceView[];
}

export class ReferralSuggestionsView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true }) openNeeds!: string[];
  @ApiProperty({ type: [SuggestedAgencyView] }) agencies!: SuggestedAgencyView[];
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty() registeredBy!: string;
}

class DeliveryAttemptView {
  @ApiProperty() attempt!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: Number }) statusCode!: number | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() durationMs!: number;
}

class DeliveryView {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ format: 'uuid' }) referralId!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed', 'cancelled'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt!: string | null;
  @ApiProperty({ type: [DeliveryAttemptView] }) attemptLog!: DeliveryAttemptView[];
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) items!: DeliveryView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}
