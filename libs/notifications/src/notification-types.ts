import { Injectable } from '@nestjs/common';

/**
 * Who a notification is meant for. `agency`: the agency's staff (in-app list, the agency's
 * webhook). `survivor`: a message the agency relays to the survivor (its webhook gets it with
 * `audience: "survivor"`); the survivor's do-not-contact switch withholds every one of these.
 */
export type Audience = 'agency' | 'survivor';

/** A value a notification may carry: an id, an ISO date or a code. No spaces, nothing free. */
export const SUBJECT_VALUE = /^[A-Za-z0-9][A-Za-z0-9:._+-]{0,63}$/;

/**
 * THE extension point: how a stored event becomes notifications. A context registers one per
 * (event type, notification type) in its module's `onModuleInit`:
 *
 *   notificationTypes.register({
 *     eventType: 'ActionPlanReminderRecorded',
 *     type: 'action-plan.reminder',
 *     audience: 'agency',
 *     fields: ['planId', 'dueAt'],
 *     recipients: (data) => [data.agencyId],
 *     subject: (data) => ({ planId: data.planId, dueAt: data.dueAt }),
 *   });
 *
 * The notifications projection then writes one row per recipient agency in the same transaction
 * as its checkpoint (exactly once, rebuildable from the log), and the delivery job sends it to the
 * agency's webhook. Only the declared `fields` survive, and each must be an id, date or code
 * (`SUBJECT_VALUE`): an event whose subject holds anything else is not notified at all (fail closed).
 */
export interface NotificationType<D = Record<string, unknown>> {
  /** The stored event type that triggers it. */
  eventType: string;
  /** The notification's own type name, e.g. `consent.review-due` (stable: receivers switch on it). */
  type: string;
  audience: Audience;
  /** The subject's keys, in order. Nothing else is ever stored or sent. */
  fields: readonly string[];
  /** Recipient agency ids. */
  recipients: (data: D) => readonly string[];
  subject: (data: D) => Record<string, string | number>;
  /** The survivor it is about, when there is one: do-not-contact is looked up by it (never sent unless a field). */
  survivorId?: (data: D) => string | null;
  /** One line for people, fixed per type (never built from data). */
  summary: string;
}

/** The registered notification types, by event type. */
@Injectable()
export class NotificationTypes {
  private readonly byEvent = new Map<string, NotificationType[]>();
  private readonly names = new Set<string>();

  register<D>(type: NotificationType<D>): void {
    if (this.names.has(type.type)) throw new Error(`NotificationTypes: ${type.type} is already registered`);
    this.names.add(type.type);
    const list = this.byEvent.get(type.eventType) ?? [];
    list.push(type as unknown as NotificationType);
    this.byEvent.set(type.eventType, list);
  }

  /** Every event type that notifies (the projection's subscription; read when projections start). */
  get eventTypes(): string[] {
    return [...this.byEvent.keys()];
  }

  forEvent(eventType: string): readonly NotificationType[] {
    return this.byEvent.get(eventType) ?? [];
  }

  summaryOf(type: string): string {
    for (const list of this.byEvent.values()) for (const t of list) if (t.type === type) return t.summary;
    return '';
  }
}

/** The subject as stored and sent: the declared fields only, each an id, date, code or integer; null if any is not. */
export function subjectOf(
  type: NotificationType,
  data: Record<string, unknown>,
): Record<string, string | number> | null {
  const raw = type.subject(data);
  const out: Record<string, string | number> = {};
  for (const field of type.fields) {
    const value = raw[field];
    if (typeof value === 'number' && Number.isSafeInteger(value)) out[field] = value;
    else if (typeof value === 'string' && SUBJECT_VALUE.test(value)) out[field] = value;
    else return null;
  }
  return out;
}
