import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SECTIONS, type Section } from '@harbour/consent';
import { BodyExample } from '@harbour/kernel';
import { LANGUAGE_PATTERN, type Purpose } from '@harbour/vocabulary';
import { MAX_VALID_DAYS } from './share-code.decider.js';

/** A share code is for the survivor's services: never `investigation` or `statistics`. */
const CODE_PURPOSES = ['referral', 'care-coordination', 'safety-planning'] as const;

@BodyExample({ sections: ['needs', 'preferences'], purposes: ['care-coordination'], language: 'tl', validDays: 90 })
export class NewShareCodeDto {
  @ApiPropertyOptional({ description: 'Sections the code may open (default: needs, preferences)' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @IsIn(SECTIONS, { each: true })
  sections?: Section[];

  @ApiPropertyOptional({ description: 'Purposes it is for (default: care-coordination)' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(CODE_PURPOSES, { each: true })
  purposes?: Purpose[];

  @ApiProperty({ description: "The survivor's language for the printed card (BCP 47)", example: 'tl' })
  @Matches(LANGUAGE_PATTERN, { message: '$property must be a BCP 47 language tag' })
  language!: string;

  @ApiPropertyOptional({ description: `Days until it expires (default 90, at most ${MAX_VALID_DAYS})` })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_VALID_DAYS)
  validDays?: number;
}

@BodyExample({ code: '7KQ2-M9XD-4HTR-0WPN' })
export class RedemptionDto {
  @ApiProperty({
    description: 'The code as the survivor shows it; case, spaces and dashes do not matter',
    example: '7KQ2-M9XD-4HTR-0WPN',
  })
  @IsString()
  @MaxLength(64)
  code!: string;
}

export class OfficerQueryDto {
  @ApiPropertyOptional({ description: 'At most this many codes, newest first (default 50)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
