import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsText, MaxDecimalPlaces } from './common.js';

export const INCOME_KINDS = ['employment', 'benefits', 'none', 'other'] as const;
export type IncomeKind = (typeof INCOME_KINDS)[number];

export class IncomeSourceDto {
  @ApiProperty({ enum: INCOME_KINDS })
  @IsIn(INCOME_KINDS)
  kind!: IncomeKind;

  @ApiPropertyOptional({
    minimum: 0,
    multipleOf: 0.01,
    description: 'In local currency, per month; at most 2 decimals.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @MaxDecimalPlaces(2)
  @Min(0)
  @Max(1_000_000)
  amountMonthly?: number;
}

export class IncomeSectionDto {
  @ApiProperty({ type: [IncomeSourceDto], description: 'At least one; `none` when there is no income.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => IncomeSourceDto)
  sources!: IncomeSourceDto[];

  @ApiPropertyOptional({ maxLength: 2000, description: 'Debts, including debts claimed by a trafficker.' })
  @IsOptional()
  @IsText(2000)
  debts?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  bankAccount?: boolean;
}
