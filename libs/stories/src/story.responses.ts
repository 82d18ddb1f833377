import { ApiProperty } from '@nestjs/swagger';
import { IDENTIFYING_KINDS } from './story-checker.js';

/** Response shapes of the impact-story routes (OpenAPI only). */
export class StoryWrittenView {
  @ApiProperty({ format: 'uuid' }) storyId!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({
    enum: IDENTIFYING_KINDS,
    isArray: true,
    description: 'Kinds of the record’s values the text still contains (never the values); export is refused while any',
  })
  found!: string[];
  @ApiProperty({ description: "The story stream's version after the write" }) version!: number;
}

export class StoryTextView extends StoryWrittenView {
  @ApiProperty() text!: string;
}
