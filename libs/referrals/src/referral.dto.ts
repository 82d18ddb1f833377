import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { REFERRAL_STATES, type ReferralStatus } from './referral.decider.js';
import {
  DECLINE_REASONS,
  type DeclineReason,
  INTRODUCTION_MODES,
  type IntroductionMode,
  OUTCOMES,
  type ReferralOutcome,
} from './referral.events.js';
import { NOTE_MAX } from './referral.decider.js';
import { BodyExample, MAX_PAGE } from '@harbour/kernel';
import { URGENCIES, type Urgency, NEED_CATEGORIES, type NeedCategory, REGION_PATTERN } from '@harbour/vocabulary';

@BodyExample({
  survivorId: '00000000-0000-4000-8000-0000000000b1',
  toAgencyId: '00000000-0000-4000-8000-0000000000a1',
  needs: ['shelter'],
  urgency: 'high',
  note: 'Needs a bed this week',
  region: 'on-toronto',
})
export class NewReferralDto {
  @IsUUID() survivorId!: string;
  @IsUUID() toAgencyId!: string;
  @ApiProperty({ enum: NEED_CATEGORIES, isArray: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(NEED_CATEGORIES.length)
  @ArrayUnique()
  @IsIn(NEED_CATEGORIES, { each: true })
  needs!: NeedCategory[];
  @ApiProperty({ enum: URGENCIES }) @IsIn(URGENCIES) urgency!: Urgency;
  @ApiPropertyOptional({
    maxLength: NOTE_MAX,
    description: 'Short and non-identifying: why, never who. Shown to the receiving agency only after it accepts.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX)
  note?: string;
  @ApiPropertyOptional({ description: 'Region code for the notice (the intake holds none).' })
  @IsOptional()
  @Matches(REGION_PATTERN, { message: '$property must be a region code' })
  region?: string;
}

@BodyExample({ assignedCaseworkerId: 'tess' })
export class AcceptanceDto {
  @ApiPropertyOptional({ description: 'The receiving worker who joins the care team (default: you).' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  assignedCaseworkerId?: string;
}

@BodyExample({ reason: 'no-capacity' })
export class DeclineDto {
  @ApiProperty({ enum: DECLINE_REASONS }) @IsIn(DECLINE_REASONS) reason!: DeclineReason;
}

@BodyExample({ at: '2026-11-05T15:00:00Z', mode: 'video', attendees: ['ana', 'tess'] })
export class IntroductionDto {
  @IsISO8601({ strict: true }) at!: string;
  @ApiProperty({ enum: INTRODUCTION_MODES }) @IsIn(INTRODUCTION_MODES) mode!: IntroductionMode;
  @ApiProperty({ description: 'Staff user ids (or roles) of who will attend.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  attendees!: string[];
}

@BodyExample({ outcome: 'engaged' })
export class ClosureDto {
  @ApiProperty({ enum: OUTCOMES }) @IsIn(OUTCOMES) outcome!: ReferralOutcome;
}

export class ReferralListDto {
  @IsOptional() @IsIn(REFERRAL_STATES) state?: ReferralStatus;
  @IsOptional() @IsIn(URGENCIES) urgency?: Urgency;
  @IsOptional() @IsIn(NEED_CATEGORIES) need?: NeedCategory;
  @ApiPropertyOptional({ description: 'Requested at or after (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'Requested before (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize = 20;
}

const WEBHOOK_URL = /^(https:\/\/[^\s/?#]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?)([/?#]\S*)?$/;

@BodyExample({ url: 'https://shelter.example.org/harbour', secret: 'synthetic-secret-0123456789abcdef0123' })
export class WebhookDto {
  @ApiProperty({ description: 'https:// (http:// only for localhost)' })
  @MaxLength(2000)
  @Matches(WEBHOOK_URL, { message: '$property must be an https:// URL (http:// only for localhost)' })
  url!: string;
  @ApiProperty({
    minLength: 32,
    maxLength: 256,
    description: 'Shared secret for the HMAC-SHA256 signature; stored sealed, never returned.',
  })
  @IsString()
  @Length(32, 256)
  secret!: string;
}

export class DeliveriesDto {
  @IsOptional() @IsIn(['pending', 'delivered', 'failed', 'cancelled']) status?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize = 20;
}
