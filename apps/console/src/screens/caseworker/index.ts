/** The caseworker's screens: caseload, records, intake, consent, referrals, disclosure report. */
import { registerScreens } from '../../screen.js';
import { caseloadScreen } from './caseload.js';
import { consentScreen } from './consent.js';
import { disclosuresScreen } from './disclosures.js';
import { newIntakeScreen, sectionScreen } from './intake.js';
import './messages.js';
import { recordScreen } from './record.js';
import { inboxScreen, newReferralScreen, outboxScreen, referralScreen } from './referrals.js';

registerScreens(
  caseloadScreen,
  newIntakeScreen,
  sectionScreen,
  recordScreen,
  consentScreen,
  newReferralScreen,
  inboxScreen,
  outboxScreen,
  referralScreen,
  disclosuresScreen,
);
