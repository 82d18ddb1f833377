import { ApiProperty } from '@nestjs/swagger';
import { DUPLICATE_ADVICE } from './duplicate-check.js';

/** The duplicate check's answer: yes or no and the advice; nothing of any other record. */
export class DuplicateCheckView {
  @ApiProperty({ format: 'uuid', description: 'The intake checked (your own)' }) survivorId!: string;
  @ApiProperty({ description: 'The person may already have a record in the network' }) possibleDuplicate!: boolean;
  @ApiProperty({ type: String, nullable: true, example: DUPLICATE_ADVICE }) advice!: string | null;
  @ApiProperty({ format: 'date-time' }) checkedAt!: string;
}
