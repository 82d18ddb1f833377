import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { IsText } from './common.js';
import { NEED_CATEGORIES, type NeedCategory, URGENCIES, type Urgency } from '@harbour/vocabulary';

export class NeedDto {
  @ApiProperty({ enum: NEED_CATEGORIES })
  @IsIn(NEED_CATEGORIES)
  category!: NeedCategory;

  @ApiProperty({ enum: URGENCIES })
  @IsIn(URGENCIES)
  urgency!: Urgency;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsText(2000)
  notes?: string;
}

/** Structured needs: at least one, each category at most once. */
export class NeedsSectionDto {
  @ApiProperty({ type: [NeedDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NEED_CATEGORIES.length)
  @ArrayUnique((need: unknown) => (need as { category?: unknown } | null)?.category, {
    message: '$property must not list a category twice',
  })
  @ValidateNested({ each: true })
  @Type(() => NeedDto)
  needs!: NeedDto[];
}
