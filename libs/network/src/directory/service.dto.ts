import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SERVICE_GENDERS, type ServiceGender } from '../taxonomy.js';
import type { OpeningHours, ServiceAddress, ServiceDetails } from './service-details.js';
import { IsRegionCodes } from '../validators.js';
import { BodyExample } from '@harbour/kernel';
import { LANGUAGE_PATTERN, NEED_CATEGORIES, type NeedCategory } from '@harbour/vocabulary';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export class EligibilityDto {
  @ApiProperty({ enum: SERVICE_GENDERS })
  @IsIn(SERVICE_GENDERS)
  gender!: ServiceGender;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  minAge: number | null = null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  maxAge: number | null = null;
}

export class OpeningHoursDto implements OpeningHours {
  @IsIn(['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'])
  day!: OpeningHours['day'];

  @Matches(TIME, { message: '$property must be HH:MM (24 h)' })
  opens!: string;

  @Matches(TIME, { message: '$property must be HH:MM (24 h)' })
  closes!: string;
}

export class AddressDto implements ServiceAddress {
  @IsString() @Length(1, 200) street!: string;
  @IsString() @Length(1, 100) city!: string;
  @IsString() @Length(1, 100) region!: string;
  @IsString() @Length(1, 20) postalCode!: string;
  @Matches(/^[A-Z]{2}$/, { message: '$property must be an ISO 3166-1 alpha-2 code' }) country!: string;
}

/** A service as an agency lists it in the directory. */
@BodyExample({
  name: 'Emergency shelter beds',
  description: 'Short-stay beds',
  needs: ['shelter'],
  languages: ['en', 'es'],
  regions: ['on-toronto'],
  eligibility: { gender: 'women', minAge: 18, maxAge: null },
  hours: [{ day: 'mo', opens: '00:00', closes: '23:59' }],
  acceptingReferrals: true,
  responseWindowHours: 24,
  address: { street: '1 Hidden Way', city: 'Toronto', region: 'ON', postalCode: 'M1M 1M1', country: 'CA' },
  addressConfidential: true,
})
export class ServiceDto implements ServiceDetails {
  @IsString() @Length(1, 200) name!: string;
  @IsString() @Length(0, 2000) description!: string;

  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(NEED_CATEGORIES, { each: true })
  needs!: NeedCategory[];

  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(LANGUAGE_PATTERN, { each: true, message: 'each value in $property must be a BCP 47 language tag' })
  languages!: string[];

  @IsRegionCodes()
  regions!: string[];

  @IsObject()
  @ValidateNested()
  @Type(() => EligibilityDto)
  eligibility!: EligibilityDto;

  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OpeningHoursDto)
  hours!: OpeningHoursDto[];

  @IsBoolean()
  acceptingReferrals!: boolean;

  @IsInt()
  @Min(1)
  @Max(24 * 30)
  responseWindowHours!: number;

  @ApiPropertyOptional({ type: AddressDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address: AddressDto | null = null;

  @IsBoolean()
  addressConfidential!: boolean;
}

/** Plain data for the event (no class instances in the log). */
export const toServiceDetails = (dto: ServiceDto): ServiceDetails => JSON.parse(JSON.stringify(dto)) as ServiceDetails;
