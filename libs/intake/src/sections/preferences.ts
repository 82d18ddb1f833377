import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional } from 'class-validator';
import { SERVICE_GENDERS, type ServiceGender } from '@harbour/network';
import { IsLanguageTag, IsText } from './common.js';

/** How the survivor wants to be worked with. */
export class PreferencesSectionDto {
  @ApiProperty({ description: 'BCP 47 tag of the preferred language.' })
  @IsLanguageTag()
  language!: string;

  @IsBoolean()
  interpreter!: boolean;

  @ApiPropertyOptional({ description: 'BCP 47 tag, when it differs from `language`.' })
  @IsOptional()
  @IsLanguageTag()
  interpreterLanguage?: string;

  @ApiPropertyOptional({ enum: SERVICE_GENDERS })
  @IsOptional()
  @IsIn(SERVICE_GENDERS)
  workerGender?: ServiceGender;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsText(200, { each: true })
  culturalSupports?: string[];

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsText(1000)
  contactPreferences?: string;
}
