/**
 * Which suppressed entries of a set of linked tables an analyst could solve exactly.
 *
 * Every published number is a constant; every suppressed one is an unknown. Each equation says
 * `entries[total] = Σ entries[parts]` (a margin is the sum of its cells). An unknown is solvable
 * exactly when its unit vector lies in the row space of the equations restricted to the
 * unknowns: after reduction to row echelon form, it is a pivot whose row has no free unknowns.
 * Besides that linear check, a line whose unknowns all enter with the same sign and whose
 * remainder is 0 reveals every unknown in it as 0 (counts are never negative).
 */
export interface Equation {
  total: number;
  parts: number[];
}

const EPS = 1e-9;

export function solvableEntries(values: readonly number[], suppressed: readonly boolean[], equations: readonly Equation[]): number[] {
  const unknowns = new Map<number, number>();
  suppressed.forEach((s, i) => {
    if (s) unknowns.set(i, unknowns.size);
  });
  if (unknowns.size === 0) return [];
  const solved = new Set<number>();
  const rows: number[][] = [];
  for (const eq of equations) {
    const coefficients = new Map<number, number>();
    let remainder = 0; // Σ known parts − known total, moved to the right-hand side
    const add = (entry: number, sign: number) => {
      const u = unknowns.get(entry);
      if (u === undefined) remainder -= sign * values[entry];
      else coefficients.set(u, (coefficients.get(u) ?? 0) + sign);
    };
    add(eq.total, -1);
    eq.parts.forEach((p) => add(p, 1));
    if (coefficients.size === 0) continue;
    const signs = new Set([...coefficients.values()].map(Math.sign));
    if (signs.size === 1 && Math.abs(remainder) < EPS) {
      for (const [entry, u] of unknowns) if (coefficients.has(u)) solved.add(entry);
    }
    const row = new Array<number>(unknowns.size).fill(0);
    for (const [u, c] of coefficients) row[u] = c;
    rows.push(row);
  }
  for (const u of pivotsWithoutFreeUnknowns(rows, unknowns.size)) {
    for (const [entry, index] of unknowns) if (index === u) solved.add(entry);
  }
  return [...solved].sort((a, b) => a - b);
}

/** Gauss–Jordan elimination; the pivot columns whose reduced row has no other non-zero entry. */
function pivotsWithoutFreeUnknowns(rows: number[][], width: number): number[] {
  const m = rows.map((r) => r.slice());
  const pivotRowOf = new Map<number, number>();
  let r = 0;
  for (let c = 0; c < width && r < m.length; c++) {
    let best = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i][c]) > Math.abs(m[best][c])) best = i;
    if (Math.abs(m[best][c]) < EPS) continue;
    [m[r], m[best]] = [m[best], m[r]];
    const pivot = m[r][c];
    for (let j = c; j < width; j++) m[r][j] /= pivot;
    for (let i = 0; i < m.length; i++) {
      if (i === r || Math.abs(m[i][c]) < EPS) continue;
      const f = m[i][c];
      for (let j = c; j < width; j++) m[i][j] -= f * m[r][j];
    }
    pivotRowOf.set(c, r);
    r++;
  }
  const out: number[] = [];
  for (const [c, row] of pivotRowOf) {
    if (m[row].every((v, j) => j === c || Math.abs(v) < EPS)) out.push(c);
  }
  return out;
}
