import { ApiProperty } from '@nestjs/swagger';
import { STEP_STATUSES } from './action-plan.events.js';

/** Response shapes of the action-plan routes (OpenAPI only). Nothing here is about any survivor. */

class ReportRef {
  @ApiProperty({ description: 'Plan year (from 1)' }) period!: number;
  @ApiProperty({ enum: ['none', 'draft', 'submitted', 'accepted', 'changes-requested'] }) status!: string;
}

export class ActionPlanWrittenView {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ enum: ['active', 'withdrawn'] }) status!: string;
  @ApiProperty({ description: 'The plan version (1 when filed, +1 per amendment)' }) planVersion!: number;
  @ApiProperty({ description: "The plan stream's version after the write (for If-Match)" }) version!: number;
  @ApiProperty({ type: ReportRef, nullable: true, description: 'For report writes: the report written' })
  report!: ReportRef | null;
}

class IndicatorView {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() target!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Latest value recorded (null: none yet)' })
  value!: number | null;
}

class StepView {
  @ApiProperty() key!: string;
  @ApiProperty() description!: string;
  @ApiProperty() ownerRole!: string;
  @ApiProperty({ format: 'date' }) dueDate!: string;
  @ApiProperty({ enum: STEP_STATUSES }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUpdateAt!: string | null;
  @ApiProperty({ type: [IndicatorView] }) indicators!: IndicatorView[];
}

class GoalView {
  @ApiProperty() key!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [StepView] }) steps!: StepView[];
}

class IndicatorValueView {
  @ApiProperty() indicatorKey!: string;
  @ApiProperty() value!: number;
}

class UpdateView {
  @ApiProperty() goalKey!: string;
  @ApiProperty() stepKey!: string;
  @ApiProperty({ enum: STEP_STATUSES }) status!: string;
  @ApiProperty({ type: [IndicatorValueView] }) values!: IndicatorValueView[];
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ description: 'Staff user id' }) recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

class StepCountsView {
  @ApiProperty() total!: number;
  @ApiProperty() notStarted!: number;
  @ApiProperty() underway!: number;
  @ApiProperty() done!: number;
  @ApiProperty() dropped!: number;
}

class FigureView {
  @ApiProperty() goalKey!: string;
  @ApiProperty() stepKey!: string;
  @ApiProperty() indicatorKey!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() target!: number;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'value / target × 100, one decimal' })
  percentOfTarget!: number | null;
}

class FiguresView {
  @ApiProperty({ format: 'date-time', description: 'Computed from the updates recorded before this moment' })
  asOf!: string;
  @ApiProperty() planVersion!: number;
  @ApiProperty({ type: StepCountsView }) steps!: StepCountsView;
  @ApiProperty({ type: [FigureView] }) indicators!: FigureView[];
}

class ReportView {
  @ApiProperty() period!: number;
  @ApiProperty({ enum: ['draft', 'submitted', 'accepted', 'changes-requested'] }) status!: string;
  @ApiProperty() learning!: string;
  @ApiProperty() challenges!: string;
  @ApiProperty({
    type: FiguresView,
    description: 'Submitted: the figures frozen at submission; a draft: the figures it would be submitted with',
  })
  figures!: FiguresView;
  @ApiProperty() submissions!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reviewedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The network admin's reason, when changes were requested" })
  changesRequested!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

class PeriodView {
  @ApiProperty({ description: 'Plan year (from 1)' }) period!: number;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When its progress report is due' }) dueAt!: string;
  @ApiProperty({ description: 'Past its deadline and neither submitted nor accepted' }) overdue!: boolean;
  @ApiProperty({ type: ReportView, nullable: true }) report!: ReportView | null;
}

export class ReminderView {
  @ApiProperty({ format: 'uuid' }) reminderId!: string;
  @ApiProperty({ format: 'uuid', description: 'The recipient agency' }) agencyId!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty() period!: number;
  @ApiProperty({ enum: ['due-soon', 'overdue'] }) kind!: string;
  @ApiProperty({ description: 'Days before the deadline this reminder is for (0: overdue)' }) leadDays!: number;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ format: 'date-time' }) sentAt!: string;
}

export class ActionPlanView {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ type: String, nullable: true }) agencyName!: string | null;
  @ApiProperty({ enum: ['active', 'withdrawn'] }) status!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date' }) planYearStart!: string;
  @ApiProperty() years!: number;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty() planVersion!: number;
  @ApiProperty({ format: 'date-time' }) filedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) withdrawnAt!: string | null;
  @ApiProperty({ type: [GoalView] }) goals!: GoalView[];
  @ApiProperty({ type: [UpdateView], description: 'Every progress update, oldest first' }) updates!: UpdateView[];
  @ApiProperty({ type: [PeriodView] }) periods!: PeriodView[];
  @ApiProperty({ type: [ReminderView] }) reminders!: ReminderView[];
}

class ActionPlanSummaryView {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ enum: ['active', 'withdrawn'] }) status!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date' }) planYearStart!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty() planVersion!: number;
  @ApiProperty({ format: 'date-time' }) filedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ActionPlanListView {
  @ApiProperty({ type: [ActionPlanSummaryView] }) items!: ActionPlanSummaryView[];
}

export class ReminderListView {
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ type: [ReminderView] }) items!: ReminderView[];
}

class MemberView {
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() sector!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['core', 'associate'] }) tier!: string | null;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: string;
  @ApiProperty({ description: 'A removal motion about this member is open (governance standing)' })
  openRemovalMotion!: boolean;
  @ApiProperty({ description: 'Plans in force now (not withdrawn, last plan year not over)' }) currentPlans!: number;
  @ApiProperty() overdueReports!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) oldestOverdueDueAt!: string | null;
}

class OverdueView {
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() agencyName!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty() period!: number;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ enum: ['none', 'draft', 'changes-requested'] }) reportStatus!: string;
}

class IndicatorTotalView {
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ description: 'Agencies whose current plans have it' }) agencies!: number;
  @ApiProperty({ description: 'Indicators summed (a plan may have several of one name and unit)' }) plans!: number;
  @ApiProperty({ description: 'Sum of the latest values' }) value!: number;
  @ApiProperty({ description: 'Sum of the targets' }) target!: number;
}

export class NetworkPlansView {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: [MemberView] }) members!: MemberView[];
  @ApiProperty({ type: [OverdueView] }) overdue!: OverdueView[];
  @ApiProperty({ type: [IndicatorTotalView] }) indicators!: IndicatorTotalView[];
}
