import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { AGE_BANDS, type AgeBand, IsCountryCode, IsIsoDate, IsText, NotTogetherWith } from './common.js';

export const IDENTITY_DOCUMENT_KINDS = ['passport', 'national-id', 'work-permit', 'other'] as const;
export type IdentityDocumentKind = (typeof IDENTITY_DOCUMENT_KINDS)[number];
/** Who holds the document now: an employer holding it is a trafficking indicator. */
export const DOCUMENT_HOLDERS = ['survivor', 'employer', 'unknown'] as const;
export type DocumentHolder = (typeof DOCUMENT_HOLDERS)[number];

export class IdentityDocumentDto {
  @ApiProperty({ enum: IDENTITY_DOCUMENT_KINDS })
  @IsIn(IDENTITY_DOCUMENT_KINDS)
  kind!: IdentityDocumentKind;

  @ApiProperty({ enum: DOCUMENT_HOLDERS })
  @IsIn(DOCUMENT_HOLDERS)
  heldBy!: DocumentHolder;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsIsoDate()
  expires?: string;
}

/** Who the survivor is. Only `preferredName` is required: the name they want to be called. */
export class IdentitySectionDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsText(200)
  legalName?: string;

  @ApiProperty({ maxLength: 200 })
  @IsText(200)
  preferredName!: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsIsoDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({ enum: AGE_BANDS, description: 'When the date of birth is unknown or withheld; not both.' })
  @IsOptional()
  @IsIn(AGE_BANDS)
  @NotTogetherWith('dateOfBirth')
  ageBand?: AgeBand;

  @ApiPropertyOptional({ maxLength: 100, description: 'As the survivor describes it.' })
  @IsOptional()
  @IsText(100)
  gender?: string;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsText(50)
  pronouns?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @IsCountryCode()
  nationality?: string;

  @ApiPropertyOptional({ type: [IdentityDocumentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IdentityDocumentDto)
  identityDocuments?: IdentityDocumentDto[];
}
