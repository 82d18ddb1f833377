import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, Matches } from 'class-validator';
import { REGION_PATTERN } from '@harbour/vocabulary';

/** A non-empty list of distinct region codes. */
export const IsRegionCodes = () =>
  applyDecorators(
    ArrayMinSize(1),
    ArrayMaxSize(200),
    ArrayUnique(),
    Matches(REGION_PATTERN, {
      each: true,
      message: 'each value in $property must be a region code (lowercase letters, digits, hyphens)',
    }),
  );
