import { given } from '@harbour/event-store';
import { budgetDecider } from './privacy-budget.js';
import { sampleDiscreteLaplace } from './discrete-laplace.js';

const ctx = { now: new Date('2026-03-01T00:00:00Z'), actor: { userId: 'ana', agencyId: 'agency-1', role: 'analyst' } };
const spend = (microEpsilon: number) => ({
  type: 'SpendPrivacyBudget' as const,
  microEpsilon,
  budgetMicro: 1_000_000,
  report: 'referrals',
  measure: 'requested',
});
const spent = (microEpsilon: number) => ({
  type: 'PrivacyBudgetSpent' as const,
  data: { analystId: 'ana', microEpsilon, budgetMicro: 1_000_000, report: 'referrals', measure: 'requested' },
});

describe('privacy budget ledger (decider)', () => {
  it('records a spend within the budget', () => {
    given(budgetDecider, [spent(400_000)])
      .when(spend(600_000), ctx)
      .then([spent(600_000)]);
  });

  it('refuses a spend that would pass the budget, saying what remains', () => {
    const error = given(budgetDecider, [spent(400_000), spent(500_000)])
      .when(spend(200_000), ctx)
      .thenThrows('privacy-budget-spent', 'forbidden');
    expect(error.details).toEqual({ budget: 1, spent: 0.9, remaining: 0.1 });
  });

  it('refuses zero or negative spends', () => {
    expect(given(budgetDecider, []).when(spend(0), ctx).thenThrows('validation-failed', 'invalid').fields).toEqual([
      { field: 'epsilon', problem: 'must be a positive number' },
    ]);
    given(budgetDecider, []).when(spend(-5), ctx).thenThrows('validation-failed', 'invalid');
  });
});

describe('discrete Laplace sampler', () => {
  it('has the discrete Laplace distribution: P(0), mean and variance match for ε = 0.5', () => {
    const n = 40_000;
    const samples = Array.from({ length: n }, () => sampleDiscreteLaplace(1, 2));
    const p = Math.exp(-0.5);
    const zero = samples.filter((x) => x === 0).length / n;
    const mean = samples.reduce((a, b) => a + b, 0) / n;
    const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(samples.every(Number.isInteger)).toBe(true);
    expect(Math.abs(zero - (1 - p) / (1 + p))).toBeLessThan(0.015);
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(variance / ((2 * p) / (1 - p) ** 2) - 1)).toBeLessThan(0.08);
  });

  it('is symmetric around 0 and refuses parameters that are not positive integers', () => {
    const samples = Array.from({ length: 20_000 }, () => sampleDiscreteLaplace(1, 1));
    const positive = samples.filter((x) => x > 0).length;
    const negative = samples.filter((x) => x < 0).length;
    expect(Math.abs(positive - negative) / samples.length).toBeLessThan(0.03);
    expect(() => sampleDiscreteLaplace(0, 1)).toThrow(RangeError);
    expect(() => sampleDiscreteLaplace(1.5, 1)).toThrow(RangeError);
  });
});
