import type { ConsentWatchEvent } from './notification.events.js';
import type { NotificationType } from './notification-types.js';

type Reminder = Extract<ConsentWatchEvent, { type: 'ConsentReviewReminderRecorded' }>['data'];
type Ended = Extract<ConsentWatchEvent, { type: 'ConsentAccessEndedRecorded' }>['data'];

/**
 * The consent notifications, registered like any other context's. What each carries:
 * - `consent.review-due` (care team): survivorId (the care team holds it), consentId, version, validUntil.
 * - `consent.review-invitation` (survivor-facing, relayed by the care team's first agency): the same ids;
 *   withheld while do-not-contact is set.
 * - `consent.access-ended` (every agency whose access through the consent ended): consentId, version,
 *   reason (`expired`/`revoked`), endedAt — never the survivor id, which an agency off the care team may not hold.
 */
export const CONSENT_NOTIFICATIONS: [NotificationType<Reminder>, NotificationType<Reminder>, NotificationType<Ended>] =
  [
    {
      eventType: 'ConsentReviewReminderRecorded',
      type: 'consent.review-due',
      audience: 'agency',
      fields: ['survivorId', 'consentId', 'consentVersion', 'validUntil'],
      recipients: (d) => d.agencyIds,
      subject: (d) => ({
        survivorId: d.survivorId,
        consentId: d.consentId,
        consentVersion: d.version,
        validUntil: d.validUntil,
      }),
      survivorId: (d) => d.survivorId,
      summary: 'A consent ends soon: review it with the survivor before its window ends',
    },
    {
      eventType: 'ConsentReviewReminderRecorded',
      type: 'consent.review-invitation',
      audience: 'survivor',
      fields: ['survivorId', 'consentId', 'validUntil'],
      recipients: (d) => d.agencyIds.slice(0, 1),
      subject: (d) => ({ survivorId: d.survivorId, consentId: d.consentId, validUntil: d.validUntil }),
      survivorId: (d) => d.survivorId,
      summary: 'For the survivor: an invitation to review a consent with their care team',
    },
    {
      eventType: 'ConsentAccessEndedRecorded',
      type: 'consent.access-ended',
      audience: 'agency',
      fields: ['consentId', 'consentVersion', 'reason', 'endedAt'],
      recipients: (d) => d.agencyIds,
      subject: (d) => ({ consentId: d.consentId, consentVersion: d.version, reason: d.reason, endedAt: d.endedAt }),
      survivorId: (d) => d.survivorId,
      summary: 'A consent your agency read through has ended: your access through it is over',
    },
  ];
