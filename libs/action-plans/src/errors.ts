import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the action-plans lib's DomainErrors; clients switch on these, so never rename one. */
export const ActionPlanErrors = {
  notAnAgencyAdmin: {
    code: 'not-an-agency-admin',
    kind: 'forbidden',
    message: "Only an agency admin of the plan's agency files and keeps its action plans and progress reports",
  },
  notAMember: {
    code: 'not-a-member',
    kind: 'forbidden',
    message: 'Only an active (or suspended) member agency files action plans',
  },
  notANetworkAdmin: {
    code: 'not-a-network-admin',
    kind: 'forbidden',
    message: 'Only a network admin reviews progress reports',
  },
  actionPlanNotFound: { code: 'action-plan-not-found', kind: 'not-found', message: 'Action plan was not found' },
  actionPlanExists: { code: 'action-plan-exists', kind: 'conflict', message: 'This action plan already exists' },
  actionPlanWithdrawn: {
    code: 'action-plan-withdrawn',
    kind: 'conflict',
    message: 'This action plan was withdrawn: it can no longer be changed',
  },
  invalidActionPlan: { code: 'invalid-action-plan', kind: 'invalid', message: 'The action plan has invalid fields' },
  stepNotFound: { code: 'step-not-found', kind: 'not-found', message: 'The plan has no step with this key' },
  invalidProgress: { code: 'invalid-progress', kind: 'invalid', message: 'The progress update has invalid fields' },
  periodNotFound: {
    code: 'report-period-not-found',
    kind: 'not-found',
    message: 'The plan has no report period with this number (periods are its plan years, from 1)',
  },
  periodNotStarted: {
    code: 'report-period-not-started',
    kind: 'conflict',
    message: 'This plan year has not started yet: its progress report cannot be written',
  },
  reportNotDrafted: {
    code: 'report-not-drafted',
    kind: 'conflict',
    message: 'Draft the progress report (learning and challenges) before submitting it',
  },
  reportNotEditable: {
    code: 'report-not-editable',
    kind: 'conflict',
    message: 'This progress report is submitted or accepted: it cannot be changed now',
  },
  reportNotSubmitted: {
    code: 'report-not-submitted',
    kind: 'conflict',
    message: 'Only a submitted progress report can be reviewed',
  },
  invalidReview: { code: 'invalid-review', kind: 'invalid', message: 'The review has invalid fields' },
  reminderNotDue: { code: 'reminder-not-due', kind: 'conflict', message: 'No reminder is due for this report now' },
  reminderAlreadySent: {
    code: 'reminder-already-sent',
    kind: 'conflict',
    message: 'This reminder was already sent',
  },
} as const satisfies ErrorCatalogue;
