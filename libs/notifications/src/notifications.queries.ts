import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock, DomainError } from '@harbour/kernel';
import { NotificationErrors as E } from './errors.js';
import { NotificationTypes } from './notification-types.js';

export interface NotificationItem {
  notificationId: string;
  type: string;
  audience: 'agency' | 'survivor';
  summary: string;
  occurredAt: string;
  subject: Record<string, string | number>;
  /** Only on notifications whose subject names the survivor (the care team's): the survivor's do-not-contact switch. */
  doNotContact: boolean | null;
  delivery: 'pending' | 'delivered' | 'failed' | 'no-webhook' | 'withheld';
  readAt: string | null;
  readBy: string | null;
}

interface Row {
  notification_id: string;
  type: string;
  audience: 'agency' | 'survivor';
  occurred_at: Date;
  subject: Record<string, string | number>;
  status: NotificationItem['delivery'];
  read_at: Date | null;
  read_by: string | null;
  dnc: boolean;
}

/** The in-app list of an agency's notifications (its staff), and read marks (UI state, not domain facts). */
@Injectable()
export class NotificationQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly types: NotificationTypes,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(agencyId: string, page: number, pageSize: number, unread: boolean) {
    const where = unread ? 'agency_id = $1 AND read_at IS NULL' : 'agency_id = $1';
    const [{ total, unreadTotal }] = await this.db.query<Array<{ total: number; unreadTotal: number }>>(
      `SELECT count(*) FILTER (WHERE ${unread ? 'read_at IS NULL' : 'true'})::int AS total,
              count(*) FILTER (WHERE read_at IS NULL)::int AS "unreadTotal"
         FROM notifications WHERE agency_id = $1`,
      [agencyId],
    );
    const rows = await this.db.query<Row[]>(
      `SELECT n.notification_id, n.type, n.audience, n.occurred_at, n.subject, n.status, n.read_at, n.read_by,
              (d.survivor_id IS NOT NULL) AS dnc
         FROM notifications n LEFT JOIN notification_do_not_contact d ON d.survivor_id = n.survivor_id
        WHERE ${where} ORDER BY n.occurred_at DESC, n.global_position DESC, n.notification_id LIMIT $2 OFFSET $3`,
      [agencyId, pageSize, (page - 1) * pageSize],
    );
    const items: NotificationItem[] = rows.map((r) => ({
      notificationId: r.notification_id,
      type: r.type,
      audience: r.audience,
      summary: this.types.summaryOf(r.type),
      occurredAt: new Date(r.occurred_at).toISOString(),
      subject: r.subject,
      doNotContact: 'survivorId' in r.subject ? r.dnc : null,
      delivery: r.status,
      readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
      readBy: r.read_by,
    }));
    return { items, page, pageSize, total, unread: unreadTotal };
  }

  /** Marks one of the agency's notifications read (the first mark stays); another agency's is not found. */
  async markRead(agencyId: string, notificationId: string, userId: string) {
    const [rows] = await this.db.query<[Array<{ read_at: Date; read_by: string }>, number]>(
      `UPDATE notifications SET read_at = coalesce(read_at, $3), read_by = coalesce(read_by, $4)
        WHERE notification_id = $1 AND agency_id = $2 RETURNING read_at, read_by`,
      [notificationId, agencyId, this.clock.now(), userId],
    );
    if (rows.length === 0) throw DomainError.of(E.notificationNotFound);
    return { notificationId, readAt: new Date(rows[0].read_at).toISOString(), readBy: rows[0].read_by };
  }

  async doNotContact(survivorId: string) {
    const [row] = await this.db.query<Array<{ reason_code: string; set_at: Date }>>(
      'SELECT reason_code, set_at FROM notification_do_not_contact WHERE survivor_id = $1',
      [survivorId],
    );
    return row ? { reasonCode: row.reason_code, setAt: new Date(row.set_at).toISOString() } : null;
  }
}
