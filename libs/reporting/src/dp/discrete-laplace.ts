import { randomInt } from 'node:crypto';

/**
 * Exact sampling of the discrete Laplace distribution, P(x) ∝ exp(−|x|·s/t), after Canonne,
 * Kamath & Steinke, "The Discrete Gaussian for Differential Privacy" (2020), Algorithms 1–2.
 * Only integer arithmetic on rationals and uniform integers from node:crypto (a CSPRNG): no
 * floating-point logarithms, whose rounding leaks through the noise's low bits.
 * For counts of sensitivity Δ and privacy ε, use s/t = ε/Δ (scale Δ/ε).
 */
export type UniformInt = (maxExclusive: number) => number;

const cryptoUniform: UniformInt = (max) => randomInt(max);

/** Bernoulli(n/d). */
const bernoulli = (n: number, d: number, u: UniformInt) => u(d) < n;

/** Bernoulli(exp(−n/d)) for n/d ≥ 0. */
function bernoulliExp(n: number, d: number, u: UniformInt): boolean {
  if (n <= d) {
    let k = 1;
    while (bernoulli(n, d * k, u)) k++;
    return k % 2 === 1;
  }
  for (let i = 0; i < Math.floor(n / d); i++) if (!bernoulliExp(1, 1, u)) return false;
  return bernoulliExp(n % d, d, u);
}

export function sampleDiscreteLaplace(s: number, t: number, u: UniformInt = cryptoUniform): number {
  if (!Number.isSafeInteger(s) || !Number.isSafeInteger(t) || s < 1 || t < 1)
    throw new RangeError('s and t must be positive integers');
  for (;;) {
    const U = u(t);
    if (!bernoulliExp(U, t, u)) continue;
    let V = 0;
    while (bernoulliExp(1, 1, u)) V++;
    const X = U + t * V;
    const Y = Math.floor(X / s);
    const negative = bernoulli(1, 2, u);
    if (negative && Y === 0) continue;
    return negative ? -Y : Y;
  }
}
