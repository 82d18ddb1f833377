import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { BodyExample } from '@harbour/kernel';
import { IsIsoDate } from '../sections/common.js';
import { GoalsSectionDto } from '../sections/goals.js';
import { NeedsSectionDto } from '../sections/needs.js';
import { OBTAINED_HOW, type ObtainedHow } from '../erasure/erasure.events.js';
import { MAX_CHECK_IN_DAYS, MIN_CHECK_IN_DAYS } from './check-in.rules.js';

/** The cadence the survivor agreed to; omit `everyDays` (and `startsOn`) when they want no scheduled check-ins. */
@BodyExample({ everyDays: 14, startsOn: '2026-12-10', agreed: 'verbal' })
export class CheckInScheduleDto {
  @ApiPropertyOptional({
    minimum: MIN_CHECK_IN_DAYS,
    maximum: MAX_CHECK_IN_DAYS,
    description: 'A check-in every so many days; omitted: the survivor wants none',
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_CHECK_IN_DAYS)
  @Max(MAX_CHECK_IN_DAYS)
  everyDays?: number;

  @ApiPropertyOptional({ format: 'date', description: 'The first check-in (required with everyDays)' })
  @ValidateIf((o: CheckInScheduleDto) => o.everyDays !== undefined || o.startsOn !== undefined)
  @IsIsoDate()
  startsOn?: string;

  @ApiProperty({ enum: OBTAINED_HOW, description: 'How the survivor agreed to this cadence' })
  @IsIn(OBTAINED_HOW)
  agreed!: ObtainedHow;
}

/** What a check-in found: needs and goals as they stand now (whole sections, only when discussed). */
@BodyExample({
  heldOn: '2026-12-10',
  consentReflectsWishes: true,
  needs: { needs: [{ category: 'housing', urgency: 'medium' }] },
})
export class CheckInDto {
  @ApiProperty({ format: 'date', description: 'The day the check-in was held (not in the future)' })
  @IsIsoDate()
  heldOn!: string;

  @ApiProperty({ description: "Does the consent on record still reflect the survivor's wishes?" })
  @IsBoolean()
  consentReflectsWishes!: boolean;

  @ApiPropertyOptional({ type: NeedsSectionDto, description: 'The whole needs section after the check-in' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NeedsSectionDto)
  needs?: NeedsSectionDto;

  @ApiPropertyOptional({ type: GoalsSectionDto, description: "The whole goals section with the survivor's progress" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GoalsSectionDto)
  goals?: GoalsSectionDto;
}
