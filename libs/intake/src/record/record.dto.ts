import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CONSENT_METHODS, type ConsentMethod, SECTIONS, type Section } from '@harbour/consent';
import { BodyExample } from '@harbour/kernel';
import { PURPOSES, type Purpose, LANGUAGE_PATTERN, SECTORS, type Sector } from '@harbour/vocabulary';

const USER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const list = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

export class SectionUpdateDto {
  @ApiProperty({ description: 'The whole section, in its typed shape (see the section schemas)' })
  @IsObject()
  content!: Record<string, unknown>;
}

@BodyExample({ userId: 'tess' })
export class CareTeamMemberDto {
  @Matches(USER_ID, { message: '$property must be a staff user id' })
  userId!: string;
}

export class ReadQueryDto {
  @ApiProperty({ enum: PURPOSES })
  @IsIn(PURPOSES)
  purpose!: Purpose;

  @ApiPropertyOptional({ description: 'Comma-separated sections (default: all)', example: 'needs,preferences' })
  @IsOptional()
  @Transform(list)
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(SECTIONS, { each: true })
  sections?: Section[];

  @ApiPropertyOptional({ description: 'Read the intake as it stood at this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class RecipientDto {
  @IsIn(['agency', 'sector'])
  kind!: 'agency' | 'sector';

  @ValidateIf((r: RecipientDto) => r.kind === 'agency')
  @IsUUID()
  agencyId?: string;

  @ValidateIf((r: RecipientDto) => r.kind === 'sector')
  @IsIn(SECTORS)
  sector?: Sector;
}

class ConsentTermsDto {
  @ArrayMinSize(1) @ArrayMaxSize(12) @ArrayUnique() @IsIn(SECTIONS, { each: true }) sections!: Section[];
  @ArrayMinSize(1) @ArrayMaxSize(6) @ArrayUnique() @IsIn(PURPOSES, { each: true }) purposes!: Purpose[];
  @IsOptional() @IsISO8601({ strict: true }) validFrom?: string;
  @IsOptional() @IsISO8601({ strict: true }) validUntil?: string;
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  @Matches(LANGUAGE_PATTERN, { message: '$property must be a BCP 47 language tag' }) language!: string;
}

/** A consent as the survivor gave it. */
@BodyExample({
  recipient: { kind: 'agency', agencyId: '00000000-0000-4000-8000-0000000000a1' },
  sections: ['needs', 'preferences'],
  purposes: ['referral'],
  validUntil: '2027-11-02T00:00:00Z',
  method: 'verbal',
  language: 'en',
})
export class ConsentDto extends ConsentTermsDto {
  @IsObject()
  @ValidateNested()
  @Type(() => RecipientDto)
  recipient!: RecipientDto;
}

@BodyExample({ sections: ['needs', 'preferences', 'housing'], method: 'written', language: 'en' })
export class AmendmentDto {
  @IsOptional() @ArrayMinSize(1) @ArrayUnique() @IsIn(SECTIONS, { each: true }) sections?: Section[];
  @IsOptional() @ArrayMinSize(1) @ArrayUnique() @IsIn(PURPOSES, { each: true }) purposes?: Purpose[];
  @IsOptional() @IsISO8601({ strict: true }) validFrom?: string;
  @IsOptional() @IsISO8601({ strict: true }) validUntil?: string;
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  @Matches(LANGUAGE_PATTERN, { message: '$property must be a BCP 47 language tag' }) language!: string;
}

@BodyExample({ method: 'verbal' })
export class MethodDto {
  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
}

export class ExclusionTargetDto {
  @IsIn(['agency', 'sector', 'staff'])
  kind!: 'agency' | 'sector' | 'staff';

  @ValidateIf((t: ExclusionTargetDto) => t.kind === 'agency') @IsUUID() agencyId?: string;
  @ValidateIf((t: ExclusionTargetDto) => t.kind === 'sector') @IsIn(SECTORS) sector?: Sector;
  @ValidateIf((t: ExclusionTargetDto) => t.kind === 'staff')
  @Matches(USER_ID, { message: '$property must be a staff user id' })
  userId?: string;
}

@BodyExample({ target: { kind: 'sector', sector: 'law-enforcement' }, method: 'verbal', language: 'en' })
export class ExclusionDto {
  @IsObject()
  @ValidateNested()
  @Type(() => ExclusionTargetDto)
  target!: ExclusionTargetDto;

  @IsIn(CONSENT_METHODS) method!: ConsentMethod;
  @Matches(LANGUAGE_PATTERN, { message: '$property must be a BCP 47 language tag' }) language!: string;
}
