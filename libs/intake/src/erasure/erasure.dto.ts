import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsISO8601, IsOptional, ValidateIf } from 'class-validator';
import { SECTIONS, type Section } from '@harbour/consent';
import { BodyExample } from '@harbour/kernel';
import {
  APPROVAL_REASONS,
  type ApprovalReason,
  type ErasureScope,
  OBTAINED_HOW,
  type ObtainedHow,
  REFUSAL_REASONS,
  type RefusalReason,
} from './erasure.events.js';

@BodyExample({ scope: 'sections', sections: ['story'], obtainedHow: 'written' })
export class ErasureRequestDto {
  @ApiProperty({ enum: ['record', 'sections'], description: '`record`: the whole record; `sections`: those listed' })
  @IsIn(['record', 'sections'])
  scope!: ErasureScope;

  @ApiPropertyOptional({ enum: SECTIONS, isArray: true, description: 'Required with scope `sections`' })
  @ValidateIf((d: ErasureRequestDto) => d.scope === 'sections' || d.sections !== undefined)
  @ArrayMinSize(1)
  @ArrayMaxSize(SECTIONS.length)
  @ArrayUnique()
  @IsIn(SECTIONS, { each: true })
  sections?: Section[];

  @ApiProperty({ enum: OBTAINED_HOW, description: "How the survivor's request was obtained" })
  @IsIn(OBTAINED_HOW)
  obtainedHow!: ObtainedHow;
}

@BodyExample({ decision: 'approve', reason: 'request-verified' })
export class ErasureDecisionDto {
  @ApiProperty({ enum: ['approve', 'refuse'] })
  @IsIn(['approve', 'refuse'])
  decision!: 'approve' | 'refuse';

  @ApiProperty({
    enum: [...APPROVAL_REASONS, ...REFUSAL_REASONS],
    description: `approve: ${APPROVAL_REASONS.join(', ')}; refuse: ${REFUSAL_REASONS.join(', ')}`,
  })
  @IsIn([...APPROVAL_REASONS, ...REFUSAL_REASONS])
  reason!: ApprovalReason | RefusalReason;
}

export class RetentionQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'List what is due at this instant (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}
