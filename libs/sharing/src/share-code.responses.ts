import { ApiProperty } from '@nestjs/swagger';
import { SECTIONS } from '@harbour/consent';
import { PURPOSES } from '@harbour/vocabulary';

/** Response shapes of the share-code routes (OpenAPI only). No answer but the issue carries a code. */

export class ShareCodeWritten {
  @ApiProperty({ format: 'uuid', description: 'The share code written' }) id!: string;
  @ApiProperty({ format: 'uuid' }) codeId!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ enum: ['issued', 'redeemed', 'revoked'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ description: "The code stream's version after the write" }) version!: number;
}

export class ShareCodeIssuedView extends ShareCodeWritten {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '7KQ2-M9XD-4HTR-0WPN',
    description:
      'The code, shown this once (print it for the survivor); Harbour keeps only a keyed hash. Null on an Idempotency-Key repeat.',
  })
  code!: string | null;

  @ApiProperty({
    type: () => ShareCodeCardView,
    nullable: true,
    description:
      'The card to print for the survivor, in their language where Harbour has it (else English). Null on an Idempotency-Key repeat.',
  })
  card!: ShareCodeCardView | null;
}

export class ShareCodeCardView {
  @ApiProperty({ example: 'fr', description: 'The language the card is written in' }) language!: string;
  @ApiProperty({
    description: 'A small self-contained HTML page (no scripts, links or images): the code, what it opens, until when',
  })
  html!: string;
}

export class ShareCodeRedeemedView extends ShareCodeWritten {
  @ApiProperty({ format: 'uuid', description: 'The consent the survivor gave your agency with the code' })
  consentId!: string;
}

class ShareCodeActorView {
  @ApiProperty() userId!: string;
  @ApiProperty() agencyId!: string;
}

class ShareCodeUseView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() agencyId!: string;
  @ApiProperty({ type: String, nullable: true }) agencyName!: string | null;
  @ApiProperty() userId!: string;
  @ApiProperty({ format: 'uuid' }) consentId!: string;
}

export class ShareCodeView {
  @ApiProperty({ format: 'uuid' }) codeId!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ enum: ['issued', 'expired', 'redeemed', 'revoked'] }) status!: string;
  @ApiProperty({ enum: SECTIONS, isArray: true }) sections!: string[];
  @ApiProperty({ enum: PURPOSES, isArray: true }) purposes!: string[];
  @ApiProperty() language!: string;
  @ApiProperty({ type: ShareCodeActorView }) issuedBy!: ShareCodeActorView;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: ShareCodeUseView, nullable: true, description: 'When and where it was used' })
  redeemed!: ShareCodeUseView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class SurvivorShareCodesView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ type: [ShareCodeView] }) items!: ShareCodeView[];
}

export class ShareCodePageView {
  @ApiProperty({ type: [ShareCodeView] }) items!: ShareCodeView[];
}
