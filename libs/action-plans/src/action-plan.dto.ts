import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { BodyExample } from '@harbour/kernel';
import { KEY_PATTERN, MAX_PLAN_YEARS } from './action-plan.decider.js';
import { STEP_STATUSES, type StepStatus } from './action-plan.events.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEY_MESSAGE = '$property must be 1 to 40 lower-case letters, digits or hyphens';
const MAX_TARGET = 1e12;

export class IndicatorDto {
  @ApiProperty({
    description: 'Stable key (kept across amendments; progress updates name it)',
    example: 'staff-trained',
  })
  @Matches(KEY_PATTERN, { message: KEY_MESSAGE })
  key!: string;

  @ApiProperty({
    description: 'What is counted; network totals add up indicators of the same name and unit',
    example: 'Staff trained',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @ApiProperty({ example: 'people' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  unit!: string;

  @ApiProperty({ description: 'The target value, in the unit', example: 40 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_TARGET)
  target!: number;
}

export class StepDto {
  @ApiProperty({ example: 'train-procurement' })
  @Matches(KEY_PATTERN, { message: KEY_MESSAGE })
  key!: string;

  @ApiProperty({ example: 'Train every procurement officer on forced-labour risk indicators' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  description!: string;

  @ApiProperty({
    description: 'The role responsible in the agency (a role, not a person)',
    example: 'Head of procurement',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  ownerRole!: string;

  @ApiProperty({ description: 'Due date (YYYY-MM-DD)', example: '2027-06-30' })
  @Matches(DATE, { message: '$property must be a date (YYYY-MM-DD)' })
  dueDate!: string;

  @ApiProperty({ type: [IndicatorDto], description: 'At least one: steps are measurable' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => IndicatorDto)
  indicators!: IndicatorDto[];
}

export class PlanGoalDto {
  @ApiProperty({ example: 'supply-chain' })
  @Matches(KEY_PATTERN, { message: KEY_MESSAGE })
  key!: string;

  @ApiProperty({ example: 'No forced labour in our supply chain' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ type: [StepDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => StepDto)
  steps!: StepDto[];
}

const EXAMPLE_GOALS = [
  {
    key: 'supply-chain',
    title: 'No forced labour in our supply chain',
    steps: [
      {
        key: 'train-procurement',
        description: 'Train every procurement officer on forced-labour risk indicators',
        ownerRole: 'Head of procurement',
        dueDate: '2027-06-30',
        indicators: [{ key: 'staff-trained', name: 'Staff trained', unit: 'people', target: 40 }],
      },
    ],
  },
];

@BodyExample({ title: 'Synthetic Retail Co. anti-trafficking action plan (revised)', goals: EXAMPLE_GOALS })
export class AmendActionPlanDto {
  @ApiProperty({ example: 'Synthetic Retail Co. anti-trafficking action plan' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ type: [PlanGoalDto], description: 'Goals, each with measurable steps; keys unique across the plan' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PlanGoalDto)
  goals!: PlanGoalDto[];
}

@BodyExample({
  title: 'Synthetic Retail Co. anti-trafficking action plan',
  planYearStart: '2027-01-01',
  years: 3,
  goals: EXAMPLE_GOALS,
})
export class NewActionPlanDto extends AmendActionPlanDto {
  @ApiProperty({
    description: 'First day of plan year 1 (YYYY-MM-DD); each plan year has one progress report',
    example: '2027-01-01',
  })
  @Matches(DATE, { message: '$property must be a date (YYYY-MM-DD)' })
  planYearStart!: string;

  @ApiPropertyOptional({ description: `Plan years (default 1, at most ${MAX_PLAN_YEARS})`, example: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PLAN_YEARS)
  years?: number;
}

@BodyExample({ reason: 'Replaced by the group-wide plan' })
export class WithdrawActionPlanDto {
  @ApiPropertyOptional({ example: 'Replaced by the group-wide plan' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason?: string;
}

export class IndicatorValueDto {
  @ApiProperty({ description: 'An indicator key of this step', example: 'staff-trained' })
  @Matches(KEY_PATTERN, { message: KEY_MESSAGE })
  key!: string;

  @ApiProperty({ description: 'The value reached so far, in the indicator’s unit', example: 12 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_TARGET)
  value!: number;
}

@BodyExample({ status: 'underway', indicators: [{ key: 'staff-trained', value: 12 }], note: 'First cohort trained' })
export class StepProgressDto {
  @ApiProperty({ enum: STEP_STATUSES, example: 'underway' })
  @IsIn(STEP_STATUSES)
  status!: StepStatus;

  @ApiPropertyOptional({ type: [IndicatorValueDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => IndicatorValueDto)
  indicators?: IndicatorValueDto[];

  @ApiPropertyOptional({ description: 'About the step (never about any person)', example: 'First cohort trained' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note?: string;
}

@BodyExample({ learning: 'Supplier audits work best announced', challenges: 'Tier-2 suppliers are hard to reach' })
export class DraftReportDto {
  @ApiProperty({ description: 'What the agency learnt this plan year', example: 'Supplier audits work best announced' })
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  learning!: string;

  @ApiProperty({ description: 'The challenges it met', example: 'Tier-2 suppliers are hard to reach' })
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  challenges!: string;
}

@BodyExample({ outcome: 'changes-requested', reason: 'Please add the supplier audit figures' })
export class ReviewReportDto {
  @ApiProperty({ enum: ['accepted', 'changes-requested'] })
  @IsIn(['accepted', 'changes-requested'])
  outcome!: 'accepted' | 'changes-requested';

  @ApiPropertyOptional({ description: 'Required when requesting changes; not given when accepting' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason?: string;
}

export class NetworkViewQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'html'], description: 'json (default), csv or a printable html page' })
  @IsOptional()
  @IsIn(['json', 'csv', 'html'])
  format?: 'json' | 'csv' | 'html';

  @ApiPropertyOptional({ enum: ['members', 'indicators'], description: 'For csv: which table (default members)' })
  @IsOptional()
  @IsIn(['members', 'indicators'])
  table?: 'members' | 'indicators';
}

export class ListQueryDto {
  @ApiPropertyOptional({ description: 'At most this many, newest first (default 100)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
