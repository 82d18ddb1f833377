import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { IsIsoDate, IsText } from './common.js';

export const IMMIGRATION_STATUSES = [
  'citizen',
  'permanent-resident',
  'temporary-resident',
  'refugee-claimant',
  'undocumented',
  'unknown',
] as const;
export type ImmigrationStatus = (typeof IMMIGRATION_STATUSES)[number];

export const IMMIGRATION_DOCUMENT_KINDS = [
  'passport',
  'visa',
  'work-permit',
  'study-permit',
  'temporary-resident-permit',
  'refugee-claim',
  'permanent-resident-card',
  'other',
] as const;
export type ImmigrationDocumentKind = (typeof IMMIGRATION_DOCUMENT_KINDS)[number];

/** A document the status rests on; numbers are deliberately not collected. */
export class ImmigrationDocumentDto {
  @ApiProperty({ enum: IMMIGRATION_DOCUMENT_KINDS })
  @IsIn(IMMIGRATION_DOCUMENT_KINDS)
  kind!: ImmigrationDocumentKind;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsIsoDate()
  expires?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsText(500)
  notes?: string;
}

export class DeadlineDto {
  @ApiProperty({ maxLength: 200, description: 'e.g. "work permit renewal"' })
  @IsText(200)
  what!: string;

  @ApiProperty({ format: 'date' })
  @IsIsoDate()
  date!: string;
}

export class ImmigrationSectionDto {
  @ApiProperty({ enum: IMMIGRATION_STATUSES })
  @IsIn(IMMIGRATION_STATUSES)
  status!: ImmigrationStatus;

  @ApiPropertyOptional({ type: [ImmigrationDocumentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ImmigrationDocumentDto)
  documents?: ImmigrationDocumentDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  hasLawyer?: boolean;

  @ApiPropertyOptional({ type: [DeadlineDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DeadlineDto)
  deadlines?: DeadlineDto[];
}
