import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsObject, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { IsIsoDate, IsPhone, IsText } from './common.js';

export const LEGAL_MATTER_KINDS = ['criminal', 'family', 'immigration', 'civil', 'labour', 'other'] as const;
export type LegalMatterKind = (typeof LEGAL_MATTER_KINDS)[number];
export const LEGAL_ROLES = ['victim', 'witness', 'accused', 'party'] as const;
export type LegalRole = (typeof LEGAL_ROLES)[number];

export class LegalMatterDto {
  @ApiProperty({ enum: LEGAL_MATTER_KINDS })
  @IsIn(LEGAL_MATTER_KINDS)
  kind!: LegalMatterKind;

  @ApiProperty({ enum: LEGAL_ROLES, description: "The survivor's role in the matter." })
  @IsIn(LEGAL_ROLES)
  role!: LegalRole;

  @ApiPropertyOptional({ maxLength: 500, description: 'e.g. "charges laid", "hearing set"' })
  @IsOptional()
  @IsText(500)
  status?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsIsoDate()
  nextDate?: string;
}

export class LawyerDto {
  @IsText(200) name!: string;
  @IsOptional() @IsText(200) organisation?: string;
  @IsOptional() @IsPhone() phone?: string;
  @IsOptional() @MaxLength(254) @IsEmail() email?: string;
}

/** Legal matters the survivor is involved in; `matters` may be empty. */
export class LegalSectionDto {
  @ApiProperty({ type: [LegalMatterDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => LegalMatterDto)
  matters!: LegalMatterDto[];

  @ApiPropertyOptional({ type: LawyerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LawyerDto)
  lawyer?: LawyerDto;
}
