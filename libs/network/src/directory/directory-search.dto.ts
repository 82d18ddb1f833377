import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SERVICE_GENDERS, type ServiceGender } from '../taxonomy.js';
import { MAX_PAGE } from '@harbour/kernel';
import { LANGUAGE_PATTERN, NEED_CATEGORIES, type NeedCategory, REGION_PATTERN } from '@harbour/vocabulary';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** Directory search filters (query string). */
export class DirectorySearchDto {
  @IsOptional() @IsIn(NEED_CATEGORIES) need?: NeedCategory;
  @IsOptional() @Matches(LANGUAGE_PATTERN, { message: '$property must be a BCP 47 language tag' }) language?: string;
  @IsOptional() @Matches(REGION_PATTERN, { message: '$property must be a region code' }) region?: string;
  @IsOptional() @Transform(toBoolean) @IsBoolean() acceptingReferrals?: boolean;
  /** Services open to this gender (services for `any` always match). */
  @IsOptional() @IsIn(SERVICE_GENDERS) gender?: ServiceGender;
  /** Services whose age range includes this age. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(120) age?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize = 20;
}
