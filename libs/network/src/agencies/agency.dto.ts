import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { TIERS, type Tier } from '../taxonomy.js';
import { IsRegionCodes } from '../validators.js';
import { BodyExample } from '@harbour/kernel';
import { SECTORS, type Sector } from '@harbour/vocabulary';

export class AgencyContactDto {
  @IsString() @Length(1, 200) name!: string;
  @IsEmail() email!: string;
  @IsOptional() @Matches(/^\+?[0-9 ()-]{6,20}$/, { message: '$property must be a phone number' }) phone?: string;
}

/** An organisation's application to join the network. */
@BodyExample({
  name: 'Harbour Light Shelter',
  sector: 'shelter',
  regions: ['on-toronto'],
  contact: { name: 'Jo Example', email: 'jo@example.org' },
  requestedTier: 'core',
})
export class ApplyDto {
  @IsString() @Length(2, 200) name!: string;

  @ApiProperty({ enum: SECTORS })
  @IsIn(SECTORS)
  sector!: Sector;

  @IsRegionCodes()
  regions!: string[];

  @IsObject()
  @ValidateNested()
  @Type(() => AgencyContactDto)
  contact!: AgencyContactDto;

  @ApiProperty({ enum: TIERS })
  @IsIn(TIERS)
  requestedTier!: Tier;
}

@BodyExample({ reason: 'Data-sharing review' })
export class ReasonDto {
  @IsString() @Length(3, 2000) reason!: string;
}

@BodyExample({ reasons: ['Repeated breaches of the data-sharing agreement'] })
export class MotionDto {
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(3, 2000, { each: true })
  reasons!: string[];
}

@BodyExample({ vote: 'for' })
export class VoteDto {
  @ApiProperty({ enum: ['for', 'against'] })
  @IsIn(['for', 'against'])
  vote!: 'for' | 'against';
}

export class AgencyListDto {
  @ApiPropertyOptional({ enum: ['applicant', 'active', 'suspended', 'removed'] })
  @IsOptional()
  @IsIn(['applicant', 'active', 'suspended', 'removed'])
  status?: string;

  @ApiPropertyOptional({ enum: SECTORS })
  @IsOptional()
  @IsIn(SECTORS)
  sector?: Sector;
}
