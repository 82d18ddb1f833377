import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { IsIsoDate, IsLanguageTag, IsText } from './common.js';

/** The survivor's narrative, in their words, told once so it need not be retold. */
export class StorySectionDto {
  @ApiProperty({ maxLength: 20000 })
  @IsText(20_000)
  narrative!: string;

  @ApiProperty({ format: 'date' })
  @IsIsoDate()
  toldOn!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Staff id of the worker it was told to.' })
  @IsOptional()
  @IsUUID()
  toldTo?: string;

  @ApiProperty({ description: 'BCP 47 tag of the language the story was told in.' })
  @IsLanguageTag()
  language!: string;
}
