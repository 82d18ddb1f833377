import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHECK_IN_DUE_DAYS } from './check-in.rules.js';

export class NextCheckInView {
  @ApiProperty({ description: 'The agreed cadence in days' }) everyDays!: number;
  @ApiProperty({ format: 'date' }) nextDueOn!: string;
  @ApiProperty({
    enum: ['upcoming', 'due', 'overdue'],
    description: `due: from nextDueOn for ${CHECK_IN_DUE_DAYS} days; overdue: after that. Both mean only "not yet held" — a reminder for the care team, never a mark on the survivor.`,
  })
  status!: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) lastHeldOn!: string | null;
}

/** A check-in write: ids, versions and yes/no facts only (nothing of the sections themselves). */
export class CheckInWritten {
  @ApiProperty({ format: 'uuid', description: 'The survivor whose intake was written' }) id!: string;
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty({ description: "The intake stream's version after the write" }) version!: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'Recording a check-in: the check-in recorded' })
  checkInId?: string;
  @ApiPropertyOptional({ description: 'Recording a check-in: the needs section changed' }) needsChanged?: boolean;
  @ApiPropertyOptional({ description: 'Recording a check-in: the goals section changed' }) goalsUpdated?: boolean;
  @ApiProperty({
    type: NextCheckInView,
    nullable: true,
    description: 'Where the next check-in stands (null: the survivor agreed to none)',
  })
  nextCheckIn!: NextCheckInView | null;
}
