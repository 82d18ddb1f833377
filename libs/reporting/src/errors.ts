import type { ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the reporting lib's DomainErrors (bad report requests are `validation-failed`); never rename one. */
export const ReportingErrors = {
  privacyBudgetSpent: {
    code: 'privacy-budget-spent',
    kind: 'forbidden',
    message: 'This would exceed your privacy budget',
  },
} as const satisfies ErrorCatalogue;
