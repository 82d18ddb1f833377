import { Inject, Injectable } from '@nestjs/common';
import { AggregateRepository, type Decider } from '@harbour/event-store';
import { type Actor, DomainError, ValidationFailed } from '@harbour/kernel';
import { ReportingErrors } from '../errors.js';
import { REPORTS_SETTINGS, type ReportsSettings } from '../reports.settings.js';

/**
 * Each analyst's differential-privacy budget: an append-only ledger, stream
 * `privacy-budget-<userId>`. Every noisy report first records what it spends; a spend that
 * would take the total past the budget is refused, and nothing is computed. Amounts are
 * micro-epsilon integers so sums are exact.
 */
export type BudgetEvent = {
  type: 'PrivacyBudgetSpent';
  data: { analystId: string; microEpsilon: number; budgetMicro: number; report: string; measure: string };
};
type BudgetCommand = {
  type: 'SpendPrivacyBudget';
  microEpsilon: number;
  budgetMicro: number;
  report: string;
  measure: string;
};
export interface BudgetState {
  spentMicro: number;
}

export const budgetStream = (userId: string) => `privacy-budget-${userId}`;

export const budgetDecider: Decider<BudgetState, BudgetCommand, BudgetEvent> = {
  initialState: () => ({ spentMicro: 0 }),
  decide(command, state, { actor }) {
    if (!Number.isSafeInteger(command.microEpsilon) || command.microEpsilon < 1) {
      throw new ValidationFailed(
        [{ field: 'epsilon', problem: 'must be a positive number' }],
        'epsilon must be positive',
      );
    }
    if (state.spentMicro + command.microEpsilon > command.budgetMicro) {
      throw DomainError.of(ReportingErrors.privacyBudgetSpent, {
        details: {
          budget: command.budgetMicro / 1e6,
          spent: state.spentMicro / 1e6,
          remaining: Math.max(0, command.budgetMicro - state.spentMicro) / 1e6,
        },
      });
    }
    return [
      {
        type: 'PrivacyBudgetSpent',
        data: {
          analystId: actor.userId,
          microEpsilon: command.microEpsilon,
          budgetMicro: command.budgetMicro,
          report: command.report,
          measure: command.measure,
        },
      },
    ];
  },
  evolve: (state, event) => ({ spentMicro: state.spentMicro + event.data.microEpsilon }),
};

@Injectable()
export class PrivacyBudget {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(REPORTS_SETTINGS) private readonly settings: ReportsSettings,
  ) {}

  /** Record the spend (optimistic concurrency: two spends at once are decided one after the other). */
  async spend(
    actor: Actor,
    microEpsilon: number,
    report: string,
    measure: string,
  ): Promise<{ spent: number; remaining: number }> {
    const budgetMicro = this.settings.dpBudgetMicro;
    return this.repository.execute({
      streamId: budgetStream(actor.userId),
      decider: budgetDecider,
      command: { type: 'SpendPrivacyBudget', microEpsilon, budgetMicro, report, measure },
      context: { actor },
      // Spends of one analyst at once are decided one after the other; a short stream, so retry generously.
      maxAttempts: 50,
      result: ({ state }) => ({ spent: state.spentMicro / 1e6, remaining: (budgetMicro - state.spentMicro) / 1e6 }),
    });
  }
}
