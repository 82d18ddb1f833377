import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsObject, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { IsCountryCode, IsPhone, IsText } from './common.js';

/** Which channels are safe: a text or voicemail seen by a trafficker can endanger the survivor. */
export class SafeToContactDto {
  @IsBoolean() phone!: boolean;
  @IsBoolean() text!: boolean;
  @IsBoolean() email!: boolean;
  @IsBoolean() voicemail!: boolean;
}

/** A trusted person to reach the survivor through. */
export class TrustedContactDto {
  @ApiProperty({ maxLength: 200 })
  @IsText(200)
  name!: string;

  @ApiProperty()
  @IsPhone()
  phone!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsText(100)
  relationship?: string;
}

export class PostalAddressDto {
  @IsText(200) line1!: string;
  @IsOptional() @IsText(200) line2?: string;
  @IsText(100) city!: string;
  @IsOptional() @IsText(100) region?: string;
  @IsOptional() @IsText(20) postalCode?: string;
  @IsCountryCode() country!: string;
}

/** How to reach the survivor safely. The address may be left out for safety. */
export class ContactSectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsPhone()
  phone?: string;

  @ApiPropertyOptional({ maxLength: 254 })
  @IsOptional()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiProperty({ type: SafeToContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SafeToContactDto)
  safeToContact!: SafeToContactDto;

  @ApiPropertyOptional({ maxLength: 500, description: 'e.g. "weekdays 10–14, never evenings"' })
  @IsOptional()
  @IsText(500)
  safeTimes?: string;

  @ApiPropertyOptional({ type: TrustedContactDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TrustedContactDto)
  contactThrough?: TrustedContactDto;

  @ApiPropertyOptional({ type: PostalAddressDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PostalAddressDto)
  address?: PostalAddressDto;
}
