import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { LANGUAGE_PATTERN } from '@harbour/vocabulary';

export const COPY_FORMATS = ['json', 'html'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];

export class CopyQueryDto {
  @ApiPropertyOptional({
    enum: COPY_FORMATS,
    description: 'Overrides the Accept header (application/json, the default, or text/html)',
  })
  @IsOptional()
  @IsIn(COPY_FORMATS)
  format?: CopyFormat;

  @ApiPropertyOptional({
    description:
      "BCP 47 tag of the language to print in; default: the survivor's preferred language; English where no translation exists",
    example: 'fr',
  })
  @IsOptional()
  @Matches(LANGUAGE_PATTERN, { message: '$property must be a BCP 47 language tag' })
  lang?: string;
}
