import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { SECTIONS } from '@harbour/consent';
import { SECTION_DTOS } from '../sections/validate.js';
import { PURPOSES } from '@harbour/vocabulary';

/** Response shapes of the survivor-record routes (OpenAPI only). Every write answers `id` and `version`. */

export class IntakeWritten {
  @ApiProperty({ format: 'uuid', description: 'The survivor whose intake was written' }) id!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ description: "The intake stream's version after the write (If-Match for the next one)" })
  version!: number;
  @ApiPropertyOptional({ type: [String], description: 'Section writes: which fields changed (names only)' })
  changedFields?: string[];
}

export class ConsentWritten {
  @ApiProperty({ format: 'uuid', description: 'The consent or exclusion written' }) id!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) consentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) exclusionId?: string;
  @ApiPropertyOptional({ description: "The consent's own version (referrals bind to consentId and consentVersion)" })
  consentVersion?: number;
  @ApiProperty({ description: "The survivor's consent stream version after the write" }) version!: number;
}

export class NoticeWritten {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) noticeId!: string;
  @ApiProperty() version!: number;
}

class WithheldSectionView {
  @ApiProperty({ enum: SECTIONS }) section!: string;
  @ApiProperty({ example: 'no-consent', description: "The decision point's reason, a fixed word" }) reason!: string;
}

class SectionBasisView {
  @ApiProperty({ enum: SECTIONS }) section!: string;
  @ApiProperty({ enum: ['permit', 'deny'] }) decision!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'permit: care-team, consent (id, version) or break-glass (grant id)',
  })
  basis?: Record<string, unknown>;
  @ApiPropertyOptional() reason?: string;
}

@ApiExtraModels(...Object.values(SECTION_DTOS))
export class SurvivorRecordView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) asOf!: string | null;
  @ApiProperty({ description: 'The intake stream version this answer reflects' }) version!: number;
  @ApiProperty({ enum: PURPOSES }) purpose!: string;
  @ApiProperty({
    type: 'object',
    description: 'The sections consent allows, each in its own shape; the others are in `withheld`',
    properties: Object.fromEntries(SECTIONS.map((s) => [s, { allOf: [{ $ref: getSchemaPath(SECTION_DTOS[s]) }] }])),
  })
  sections!: Record<string, unknown>;
  @ApiProperty({ type: [WithheldSectionView] }) withheld!: WithheldSectionView[];
  @ApiProperty({ type: [SectionBasisView] }) basis!: SectionBasisView[];
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'Set when this intake was closed as a second record of a survivor who brought their existing one (a link): read that record instead',
  })
  linkedTo!: string | null;
}
