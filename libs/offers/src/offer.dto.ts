import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { BodyExample } from '@harbour/kernel';
import {
  HANDOVER_MODES,
  type HandoverMode,
  LANGUAGE_PATTERN,
  NEED_CATEGORIES,
  type NeedCategory,
  OFFER_KINDS,
  type OfferKind,
  REGION_PATTERN,
} from '@harbour/vocabulary';
import { MAX_QUANTITY, MAX_RESPONSE_DAYS, type RequestStatus } from './offer.decider.js';
import { DECLINE_REASONS, type OfferDeclineReason } from './offer.events.js';

const GENDER = /^[a-z][a-z-]{0,29}$/;
const MONTH = /^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class CapacityDto {
  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, description: 'Units offered (per month when `per` is month)' })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @ApiPropertyOptional({
    enum: ['total', 'month'],
    description: 'A fixed quantity (default), or a capacity renewed every month',
  })
  @IsOptional()
  @IsIn(['total', 'month'])
  per?: 'total' | 'month';
}

export class ConditionsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 120 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  minAge?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 120 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  maxAge?: number;

  @ApiPropertyOptional({
    type: [String],
    description: 'Gender words as the intake records them (e.g. woman, man, non-binary)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @ArrayUnique()
  @Matches(GENDER, { each: true, message: 'each value in $property must be a lower-case word' })
  genders?: string[];

  @ApiPropertyOptional({ type: [String], description: 'BCP 47 tags of the languages the help is given in' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(LANGUAGE_PATTERN, { each: true, message: 'each value in $property must be a BCP 47 language tag' })
  languages?: string[];
}

@BodyExample({
  kind: 'transit',
  title: 'Monthly bus passes (synthetic)',
  capacity: { quantity: 10, per: 'month' },
  regions: ['on-toronto'],
  conditions: { minAge: 18, languages: ['en', 'es'] },
  handover: 'delivery-to-agency',
  validFrom: '2026-11-01T00:00:00Z',
  validUntil: '2027-10-31T00:00:00Z',
  responseDays: 5,
})
export class OfferDto {
  @ApiProperty({ enum: OFFER_KINDS })
  @IsIn(OFFER_KINDS)
  kind!: OfferKind;

  @ApiProperty({
    maxLength: 200,
    description: 'A short title in the partner’s own words (about the help, never a person)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ type: CapacityDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CapacityDto)
  capacity!: CapacityDto;

  @ApiProperty({ type: [String], example: ['on-toronto'], description: 'Region codes where it is handed over' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(REGION_PATTERN, { each: true, message: 'each value in $property must be a region code' })
  regions!: string[];

  @ApiPropertyOptional({ type: ConditionsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConditionsDto)
  conditions?: ConditionsDto;

  @ApiProperty({ enum: HANDOVER_MODES })
  @IsIn(HANDOVER_MODES)
  handover!: HandoverMode;

  @ApiPropertyOptional({ enum: NEED_CATEGORIES, isArray: true, description: 'Needs it answers (default: the kind’s)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NEED_CATEGORIES.length)
  @ArrayUnique()
  @IsIn(NEED_CATEGORIES, { each: true })
  needs?: NeedCategory[];

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  validFrom!: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  validUntil!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RESPONSE_DAYS, description: 'Days to answer a request (default 7)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RESPONSE_DAYS)
  responseDays?: number;
}

@BodyExample({
  offerId: '0b7c2a4e-5d1f-4c3a-9e8b-2f6d1a0c9e7b',
  need: 'transportation',
  quantity: 1,
  region: 'on-toronto',
})
export class OfferRequestDto {
  @ApiProperty({ format: 'uuid' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: '$property must be a UUID' })
  offerId!: string;

  @ApiProperty({ enum: NEED_CATEGORIES, description: "The survivor's recorded need this is for" })
  @IsIn(NEED_CATEGORIES)
  need!: NeedCategory;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_QUANTITY, description: 'Units (default 1)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity?: number;

  @ApiProperty({ example: 'on-toronto', description: 'Where it is handed over: one of the offer’s regions' })
  @Matches(REGION_PATTERN, { message: '$property must be a region code' })
  region!: string;

  @ApiPropertyOptional({ example: '2026-11-20', description: 'The day it is needed by' })
  @IsOptional()
  @Matches(DAY, { message: '$property must be a day, YYYY-MM-DD' })
  neededBy?: string;

  @ApiPropertyOptional({
    enum: ['agency', 'survivor'],
    description: 'To the requesting agency (default), or to the survivor directly when they chose so',
  })
  @IsOptional()
  @IsIn(['agency', 'survivor'])
  handoverTo?: 'agency' | 'survivor';
}

@BodyExample({ reason: 'no-capacity' })
export class DeclineOfferRequestDto {
  @ApiProperty({ enum: DECLINE_REASONS })
  @IsIn(DECLINE_REASONS)
  reason!: OfferDeclineReason;
}

const STATUSES: RequestStatus[] = [
  'requested',
  'approved',
  'declined',
  'fulfilled',
  'confirmed',
  'expired',
  'withdrawn',
];

export class OfferListQueryDto {
  @ApiPropertyOptional({ enum: OFFER_KINDS })
  @IsOptional()
  @IsIn(OFFER_KINDS)
  kind?: OfferKind;

  @ApiPropertyOptional({ example: 'on-toronto' })
  @IsOptional()
  @Matches(REGION_PATTERN, { message: '$property must be a region code' })
  region?: string;

  @ApiPropertyOptional({ enum: NEED_CATEGORIES })
  @IsOptional()
  @IsIn(NEED_CATEGORIES)
  need?: NeedCategory;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, description: 'At most this many (default 100)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class InboxQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: RequestStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, description: 'At most this many, newest first (default 100)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class SuggestionQueryDto {
  @ApiPropertyOptional({ example: 'on-toronto', description: 'Only offers handed over in this region' })
  @IsOptional()
  @Matches(REGION_PATTERN, { message: '$property must be a region code' })
  region?: string;
}

export class TotalsQueryDto {
  @ApiProperty({ example: '2026-01', description: 'First month, YYYY-MM' })
  @Matches(MONTH, { message: '$property must be a whole month, YYYY-MM' })
  from!: string;

  @ApiProperty({ example: '2026-12', description: 'Last month, YYYY-MM' })
  @Matches(MONTH, { message: '$property must be a whole month, YYYY-MM' })
  to!: string;
}
