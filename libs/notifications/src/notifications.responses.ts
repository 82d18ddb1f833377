import { ApiProperty } from '@nestjs/swagger';
import { DO_NOT_CONTACT_REASONS } from './notification.events.js';

/** Response shapes of the notification routes (OpenAPI only). */

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) notificationId!: string;
  @ApiProperty({ example: 'consent.review-due' }) type!: string;
  @ApiProperty({ enum: ['agency', 'survivor'] }) audience!: string;
  @ApiProperty({ description: 'A fixed line per type, never built from data' }) summary!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    description: 'Ids, dates and codes only (the fields the type declares)',
    example: {
      consentId: '00000000-0000-4000-8000-0000000000c1',
      consentVersion: 1,
      validUntil: '2027-01-01T00:00:00.000Z',
    },
  })
  subject!: Record<string, string | number>;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      "The survivor's do-not-contact switch, on notifications whose subject names the survivor; null otherwise",
  })
  doNotContact!: boolean | null;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed', 'no-webhook', 'withheld'] }) delivery!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) readBy!: string | null;
}

export class NotificationPageView {
  @ApiProperty({ type: [NotificationView] }) items!: NotificationView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ description: "Your agency's unread notifications in all" }) unread!: number;
}

export class NotificationReadView {
  @ApiProperty({ format: 'uuid' }) notificationId!: string;
  @ApiProperty({ format: 'date-time' }) readAt!: string;
  @ApiProperty() readBy!: string;
}

export class DoNotContactStateView {
  @ApiProperty({ format: 'uuid' }) survivorId!: string;
  @ApiProperty() doNotContact!: boolean;
  @ApiProperty({ type: String, enum: DO_NOT_CONTACT_REASONS, nullable: true }) reasonCode!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) setAt!: string | null;
  @ApiProperty({ description: "The switch's stream version after the write" }) version!: number;
}
