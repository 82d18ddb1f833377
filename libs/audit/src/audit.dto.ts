import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ACCESS_OUTCOMES } from './access/access.events.js';
import { BREAK_GLASS, FINDINGS, type Finding } from './break-glass/break-glass.decider.js';
import { FLAG_RESOLUTIONS, type FlagResolution } from './flags/flag.events.js';
import { BodyExample } from '@harbour/kernel';
import { PURPOSES } from '@harbour/vocabulary';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** Filters of the access log; every one optional, all combined with AND. */
export class TrailQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() survivorId?: string;
  @ApiPropertyOptional({ description: 'staff user id' })
  @IsOptional()
  @Matches(ID, { message: '$property must be a staff user id' })
  userId?: string;
  @ApiPropertyOptional({ description: "the reader's agency" }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional({ description: 'from this instant (inclusive, ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ description: 'until this instant (exclusive, ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({ enum: PURPOSES }) @IsOptional() @IsIn(PURPOSES) purpose?: string;
  @ApiPropertyOptional({ enum: ['care-team', 'consent', 'break-glass'] })
  @IsOptional()
  @IsIn(['care-team', 'consent', 'break-glass'])
  basis?: string;
  @ApiPropertyOptional({ enum: ACCESS_OUTCOMES }) @IsOptional() @IsIn(ACCESS_OUTCOMES) outcome?: string;
  @ApiPropertyOptional({
    enum: ['read', 'log-view'],
    description: 'reads of survivor data, or views of the access log itself',
  })
  @IsOptional()
  @IsIn(['read', 'log-view'])
  kind?: 'read' | 'log-view';
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class DisclosureQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'html'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'html'])
  format?: 'json' | 'csv' | 'html';
}

@BodyExample({ justification: 'Survivor in hospital, unconscious; the safety plan is needed now', hours: 4 })
export class OpenBreakGlassDto {
  @ApiProperty({
    minLength: BREAK_GLASS.minJustification,
    maxLength: BREAK_GLASS.maxJustification,
    description: 'Why this cannot wait for consent (kept encrypted with the record)',
  })
  @IsString()
  @MinLength(BREAK_GLASS.minJustification)
  @MaxLength(BREAK_GLASS.maxJustification)
  justification!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: BREAK_GLASS.maxHours, default: BREAK_GLASS.defaultHours })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(BREAK_GLASS.maxHours)
  hours?: number;
}

@BodyExample({ finding: 'justified', note: 'Confirmed with the hospital record.' })
export class ReviewDto {
  @ApiProperty({ enum: FINDINGS }) @IsIn(FINDINGS) finding!: Finding;
  @ApiProperty({ minLength: 10, maxLength: 4000 }) @IsString() @MinLength(10) @MaxLength(4000) note!: string;
}

export class ReviewQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'reviewed', 'all'], default: 'pending' })
  @IsOptional()
  @IsIn(['pending', 'reviewed', 'all'])
  status?: 'pending' | 'reviewed' | 'all';
}

export class FlagQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved', 'all'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'resolved', 'all'])
  status?: 'open' | 'resolved' | 'all';
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

@BodyExample({ resolution: 'no-concern', note: 'Covering for a colleague on leave.' })
export class ResolveFlagDto {
  @ApiProperty({ enum: FLAG_RESOLUTIONS }) @IsIn(FLAG_RESOLUTIONS) resolution!: FlagResolution;
  @ApiProperty({ minLength: 10, maxLength: 2000, description: "About the staff member's conduct; never survivor data" })
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  note!: string;
}
