import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsIsoDate, IsText } from './common.js';

export const HOUSING_SITUATIONS = ['stable', 'temporary', 'shelter', 'unsafe', 'homeless', 'unknown'] as const;
export type HousingSituation = (typeof HOUSING_SITUATIONS)[number];

export class HousingSectionDto {
  @ApiProperty({ enum: HOUSING_SITUATIONS })
  @IsIn(HOUSING_SITUATIONS)
  situation!: HousingSituation;

  @ApiPropertyOptional({ format: 'date', description: 'When new housing is needed by.' })
  @IsOptional()
  @IsIsoDate()
  needsBy?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsText(2000)
  notes?: string;
}
