import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SECTIONS } from '@harbour/consent';

/** Response shapes of the erasure and retention routes (OpenAPI only). */

export class ErasureWritten {
  @ApiProperty({ format: 'uuid', description: 'The erasure request' }) id!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ description: "The intake stream's version after the write" }) version!: number;
  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', enum: ['record'] },
      { type: 'array', items: { type: 'string', enum: [...SECTIONS] } },
    ],
    description: 'After an approval: `record`, or the sections erased',
  })
  erased?: 'record' | string[];
}

class RetentionDueView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ enum: SECTIONS }) section!: string;
  @ApiProperty({ format: 'date-time', description: 'When the record was last active' }) inactiveSince!: string;
  @ApiProperty() retentionDays!: number;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
}

export class RetentionDueListView {
  @ApiProperty({ format: 'date-time', description: 'The instant the listing is for' }) at!: string;
  @ApiProperty({ type: [RetentionDueView], description: 'What the retention job would erase at `at`, oldest first' })
  items!: RetentionDueView[];
}
