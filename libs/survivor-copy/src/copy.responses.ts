import { ApiProperty } from '@nestjs/swagger';
import { SECTIONS } from '@harbour/consent';

/** Response shapes of the survivor's copy (OpenAPI only). */

class AgencyNameView {
  @ApiProperty({ description: 'Agency id (empty when the reader had no agency)' }) agencyId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: no longer in the network' }) name!: string | null;
}

class WithheldSectionView {
  @ApiProperty({ enum: SECTIONS }) section!: string;
  @ApiProperty({ description: 'A fixed word, e.g. section-erased' }) reason!: string;
}

class CopyRecordView {
  @ApiProperty({ description: 'The intake stream version shown' }) version!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Each section with content, as written (shapes: PUT /v1/intakes/{survivorId}/sections/{section})',
  })
  sections!: Record<string, unknown>;
  @ApiProperty({ type: [WithheldSectionView] }) withheld!: WithheldSectionView[];
}

class ConsentVersionView {
  @ApiProperty() version!: number;
  @ApiProperty({ type: [String], enum: SECTIONS }) sections!: string[];
  @ApiProperty({ type: [String] }) purposes!: string[];
  @ApiProperty({ format: 'date-time' }) validFrom!: string;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
  @ApiProperty({ enum: ['verbal', 'written', 'electronic'] }) method!: string;
  @ApiProperty({ description: 'BCP 47 tag the decision was given in' }) language!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: AgencyNameView, description: 'The agency of the worker it was given through' })
  recordedThrough!: AgencyNameView;
}

class ChangeView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['verbal', 'written', 'electronic'] }) method!: string;
  @ApiProperty({ type: AgencyNameView }) agency!: AgencyNameView;
}

class ConsentCopyView {
  @ApiProperty({ format: 'uuid' }) consentId!: string;
  @ApiProperty({
    type: 'object',
    description: '{kind: agency, agency: {agencyId, name}} or {kind: sector, sector}',
    additionalProperties: true,
  })
  recipient!: Record<string, unknown>;
  @ApiProperty({ enum: ['in-force', 'revoked', 'ended', 'not-started'], description: 'When the copy was made' })
  state!: string;
  @ApiProperty({ type: [ConsentVersionView], description: 'Oldest first' }) versions!: ConsentVersionView[];
  @ApiProperty({ type: ChangeView, nullable: true }) revoked!: ChangeView | null;
}

class ExclusionCopyView {
  @ApiProperty({ format: 'uuid' }) exclusionId!: string;
  @ApiProperty({
    type: 'object',
    description: '{kind: sector, sector}, {kind: agency, agency: {agencyId, name}} or {kind: staff, userId, name}',
    additionalProperties: true,
  })
  target!: Record<string, unknown>;
  @ApiProperty({ enum: ['verbal', 'written', 'electronic'] }) method!: string;
  @ApiProperty() language!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: AgencyNameView }) agency!: AgencyNameView;
  @ApiProperty({ type: ChangeView, nullable: true }) lifted!: ChangeView | null;
}

class IntroductionView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() mode!: string;
}

class ReferralCopyView {
  @ApiProperty({ format: 'uuid' }) referralId!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ type: AgencyNameView }) from!: AgencyNameView;
  @ApiProperty({ type: AgencyNameView }) to!: AgencyNameView;
  @ApiProperty({ type: [String] }) needs!: string[];
  @ApiProperty() urgency!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ nullable: true, type: String }) declineReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty({ type: IntroductionView, nullable: true }) introduction!: IntroductionView | null;
}

class DisclosureEntryCopyView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) role!: string | null;
  @ApiProperty({ type: [String] }) sections!: string[];
  @ApiProperty() purpose!: string;
  @ApiProperty({ type: [String], description: 'care-team, consent, break-glass' }) basis!: string[];
}

class DisclosureCopyView {
  @ApiProperty({ type: AgencyNameView }) agency!: AgencyNameView;
  @ApiProperty() reads!: number;
  @ApiProperty({ format: 'date-time' }) firstSeen!: string;
  @ApiProperty({ format: 'date-time' }) lastSeen!: string;
  @ApiProperty({ type: [DisclosureEntryCopyView], description: 'Oldest first' }) entries!: DisclosureEntryCopyView[];
}

export class SurvivorCopyView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ description: "The language of the printable copy's words (en, fr, …)" }) language!: string;
  @ApiProperty({ type: CopyRecordView }) record!: CopyRecordView;
  @ApiProperty({ type: [ConsentCopyView] }) consents!: ConsentCopyView[];
  @ApiProperty({ type: [ExclusionCopyView] }) exclusions!: ExclusionCopyView[];
  @ApiProperty({ type: [ReferralCopyView], description: 'Oldest first' }) referrals!: ReferralCopyView[];
  @ApiProperty({ type: [DisclosureCopyView], description: '"Who has seen my record", by agency' })
  disclosures!: DisclosureCopyView[];
}
