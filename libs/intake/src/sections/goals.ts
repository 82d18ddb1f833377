import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SECTORS, type Sector } from '@harbour/vocabulary';
import { IsIsoDate, IsText } from './common.js';

/** What a goal is about, as the survivor chooses it. */
export const GOAL_CATEGORIES = [
  'housing',
  'income',
  'education',
  'employment',
  'health',
  'legal-status',
  'family',
  'safety',
  'community',
  'other',
] as const;
export type GoalCategory = (typeof GOAL_CATEGORIES)[number];

/** The survivor's own sense of where a goal stands. `let-go` is a choice, never a failure. */
export const GOAL_STATUSES = ['not-started', 'underway', 'reached', 'let-go'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const GOAL_STEP_STATUSES = ['to-do', 'done'] as const;
export type GoalStepStatus = (typeof GOAL_STEP_STATUSES)[number];

/** Who helps with a goal: an agency of the network or a kind of organisation, and the helper's role. */
export class GoalHelperDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A member agency, by id.' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ enum: SECTORS, description: 'Or the kind of organisation, when no member agency helps.' })
  @IsOptional()
  @IsIn(SECTORS)
  sector?: Sector;

  @ApiProperty({ maxLength: 100, example: 'housing worker' })
  @IsText(100)
  role!: string;
}

export class GoalStepDto {
  @ApiProperty({ maxLength: 500 })
  @IsText(500)
  step!: string;

  @ApiProperty({ enum: GOAL_STEP_STATUSES })
  @IsIn(GOAL_STEP_STATUSES)
  status!: GoalStepStatus;
}

export class GoalDto {
  @ApiProperty({ format: 'uuid', description: 'Chosen by the client; stays the same across updates of the goal.' })
  @IsUUID()
  goalId!: string;

  @ApiProperty({ maxLength: 1000, description: "The goal in the survivor's own words." })
  @IsText(1000)
  inOwnWords!: string;

  @ApiProperty({ enum: GOAL_CATEGORIES })
  @IsIn(GOAL_CATEGORIES)
  category!: GoalCategory;

  @ApiProperty({ type: [GoalStepDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => GoalStepDto)
  steps!: GoalStepDto[];

  @ApiProperty({ type: [GoalHelperDto] })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => GoalHelperDto)
  helpers!: GoalHelperDto[];

  @ApiProperty({ enum: GOAL_STATUSES, description: "The survivor's own sense of where the goal stands." })
  @IsIn(GOAL_STATUSES)
  status!: GoalStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 5, description: "The survivor's own progress on a 1–5 scale." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  progress?: number;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsIsoDate()
  setOn?: string;
}

/** The survivor's goals, in their own words; at most 20, each goal id once. */
export class GoalsSectionDto {
  @ApiProperty({ type: [GoalDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique((goal: unknown) => (goal as { goalId?: unknown } | null)?.goalId, {
    message: '$property must not list a goal id twice',
  })
  @ValidateNested({ each: true })
  @Type(() => GoalDto)
  goals!: GoalDto[];
}
