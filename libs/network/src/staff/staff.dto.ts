import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { ROLES, type Role } from '../taxonomy.js';
import { BodyExample } from '@harbour/kernel';

@BodyExample({ userId: 'lee', displayName: 'Lee Example', email: 'lee@example.org', roles: ['caseworker'] })
export class AddStaffDto {
  /** The subject (`sub`) the identity provider gives this person; generated when absent. */
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:@-]{1,128}$/, { message: '$property must be 1-128 letters, digits or ._:@-' })
  userId?: string;

  @IsString() @Length(1, 200) displayName!: string;
  @IsEmail() email!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

@BodyExample({ roles: ['caseworker', 'supervisor'] })
export class StaffRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

@BodyExample({ reason: 'Left the agency' })
export class DeactivationDto {
  @IsString() @Length(3, 1000) reason!: string;
}

export class RoleGrantQueryDto {
  /** Network privacy officers only: one agency's grants (an agency's own officer always sees their agency's). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
