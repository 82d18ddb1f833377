import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, ValidateNested } from 'class-validator';
import { AGE_BANDS, type AgeBand } from './common.js';

export const DEPENDANT_RELATIONSHIPS = ['child', 'parent', 'partner', 'other'] as const;
export type DependantRelationship = (typeof DEPENDANT_RELATIONSHIPS)[number];

/** A dependant, without name: the age band and situation are what services need. */
export class DependantDto {
  @ApiProperty({ enum: DEPENDANT_RELATIONSHIPS })
  @IsIn(DEPENDANT_RELATIONSHIPS)
  relationship!: DependantRelationship;

  @ApiProperty({ enum: AGE_BANDS })
  @IsIn(AGE_BANDS)
  ageBand!: AgeBand;

  @IsBoolean()
  livesWithSurvivor!: boolean;

  @IsBoolean()
  atRisk!: boolean;
}

/** `dependants` may be empty: "no dependants" is an answer too. */
export class DependantsSectionDto {
  @ApiProperty({ type: [DependantDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DependantDto)
  dependants!: DependantDto[];
}
