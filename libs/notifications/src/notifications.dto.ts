import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { BodyExample, MAX_PAGE } from '@harbour/kernel';
import { DO_NOT_CONTACT_REASONS, type DoNotContactReason } from './notification.events.js';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class NotificationListDto {
  @ApiPropertyOptional({ description: 'Only notifications nobody at your agency has marked read' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  unread?: boolean;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize = 20;
}

@BodyExample({ reasonCode: 'safety-risk' })
export class DoNotContactDto {
  @ApiProperty({ enum: DO_NOT_CONTACT_REASONS, description: 'Why (a code: no free text is kept)' })
  @IsIn(DO_NOT_CONTACT_REASONS)
  reasonCode!: DoNotContactReason;
}
