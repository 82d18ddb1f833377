import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsPositive, IsString, Matches } from 'class-validator';
import { DIMENSIONS } from '../catalogue.js';
import { BodyExample } from '@harbour/kernel';

const MONTH = /^\d{4}-\d{2}$/;

/**
 * A report request. Filters are one whole value of a dimension, named by the dimension
 * (`?urgency=high`); their vocabularies and which report takes which are checked by the service.
 */
export class ReportQueryDto {
  @ApiProperty() @IsString() measure!: string;
  @ApiPropertyOptional({ enum: DIMENSIONS }) @IsOptional() @IsString() rows?: string;
  @ApiPropertyOptional({ enum: DIMENSIONS }) @IsOptional() @IsString() columns?: string;
  @ApiProperty({ example: '2026-01' })
  @Matches(MONTH, { message: '$property must be a whole month, YYYY-MM' })
  from!: string;
  @ApiProperty({ example: '2026-06' })
  @Matches(MONTH, { message: '$property must be a whole month, YYYY-MM' })
  to!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() region?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() need?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() sector?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() urgency?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() language?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() reason?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() purpose?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() kind?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() goal?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv', 'svg'] }) @IsOptional() @IsIn(['json', 'csv', 'svg']) format?:
    'json' | 'csv' | 'svg';
}

/** A noisy report: the same request plus the epsilon to spend from the analyst's budget. */
@BodyExample({ measure: 'requested', rows: 'need', from: '2026-01', to: '2026-06', epsilon: 0.1 })
export class PrivateReportDto extends ReportQueryDto {
  @ApiProperty({ description: 'privacy loss to spend, > 0', example: 0.1 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a finite number' })
  @IsPositive({ message: '$property must be greater than 0' })
  epsilon!: number;
}

export const filtersOf = (dto: ReportQueryDto): Partial<Record<string, string>> =>
  Object.fromEntries(
    DIMENSIONS.map((d): [string, unknown] => [d, dto[d as keyof ReportQueryDto]]).filter(([, v]) => v !== undefined),
  ) as Partial<Record<string, string>>;
