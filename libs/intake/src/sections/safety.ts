import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { IsIsoDate, IsText } from './common.js';

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_KINDS = [
  'trafficker-contact',
  'threats',
  'surveillance',
  'debt-bondage',
  'family-at-risk',
  'self-harm',
  'other',
] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

export class RiskDto {
  @ApiProperty({ enum: RISK_KINDS })
  @IsIn(RISK_KINDS)
  kind!: RiskKind;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsText(2000)
  notes?: string;
}

/** The current risk assessment and safety plan. `risks` may be empty (nothing identified). */
export class SafetySectionDto {
  @ApiProperty({ enum: RISK_LEVELS })
  @IsIn(RISK_LEVELS)
  riskLevel!: RiskLevel;

  @ApiProperty({ type: [RiskDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RiskDto)
  risks!: RiskDto[];

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsText(10_000)
  safetyPlan?: string;

  @ApiProperty({ format: 'date' })
  @IsIsoDate()
  lastReviewed!: string;
}
