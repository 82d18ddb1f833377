import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { IsText } from './common.js';

/** Health as the survivor chooses to share it; every field is optional. */
export class HealthSectionDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsText(2000)
  conditions?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsText(2000)
  medications?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  pregnancy?: boolean;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsText(2000)
  disabilities?: string;

  @ApiPropertyOptional({ description: 'Whether the survivor wants mental-health support.' })
  @IsOptional()
  @IsBoolean()
  mentalHealthSupport?: boolean;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsText(5000)
  notes?: string;
}
