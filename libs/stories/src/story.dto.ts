import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { BodyExample } from '@harbour/kernel';

@BodyExample({ text: 'A survivor we worked with found safe housing and now mentors others in her community.' })
export class StoryTextDto {
  @ApiProperty({ minLength: 1, maxLength: 5000, description: 'The draft (stored encrypted with the survivor’s key)' })
  @IsString()
  @Length(1, 5000)
  text!: string;
}
