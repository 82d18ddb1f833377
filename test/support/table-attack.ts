import type { Highs } from 'highs';
import { isProtected } from '@harbour/reporting';

/**
 * An analyst's attack, written independently of the library's audit: everything a set of
 * published tables says, as an integer program in CPLEX LP text (the solver's one-shot MIP
 * path, not the audit's persistent LP model), then the least and greatest value of every
 * withheld count. Tables that share a dimension share its margin variables and the total.
 */
export type Figure = number | null; // null: withheld
export interface PublishedTable {
  name: string;
  rowDim: string;
  colDim: string;
  cells: Figure[][];
  rowTotals: Figure[];
  colTotals: Figure[];
  total: Figure;
}

export function attack(
  highs: Highs,
  tables: PublishedTable[],
  rounding: boolean,
): Map<string, { lo: number; hi: number }> {
  const bounds = new Map<string, Figure>();
  const rows: string[] = [];
  const put = (name: string, f: Figure) => bounds.set(name, f);
  for (const t of tables) {
    const cell = (r: number, c: number) => `${t.name}_${r}_${c}`;
    const row = (r: number) => `${t.rowDim}_${r}`;
    const col = (c: number) => `${t.colDim}_${c}`;
    t.cells.forEach((line, r) => line.forEach((f, c) => put(cell(r, c), f)));
    t.rowTotals.forEach((f, r) => put(row(r), f));
    t.colTotals.forEach((f, c) => put(col(c), f));
    put('total', t.total);
    t.cells.forEach((line, r) => rows.push(`${line.map((_, c) => cell(r, c)).join(' + ')} - ${row(r)} = 0`));
    t.colTotals.forEach((_, c) => rows.push(`${t.cells.map((_, r) => cell(r, c)).join(' + ')} - ${col(c)} = 0`));
    rows.push(`${t.rowTotals.map((_, r) => row(r)).join(' + ')} - total = 0`);
    rows.push(`${t.colTotals.map((_, c) => col(c)).join(' + ')} - total = 0`);
  }
  const names = [...bounds.keys()];
  const boundLines = names.map((n) => {
    const f = bounds.get(n)!;
    if (f === null) return `0 <= ${n} <= 1000000000`;
    return rounding ? `${Math.max(0, f - 2)} <= ${n} <= ${f + 2}` : `${n} = ${f}`;
  });
  const body = `Subject To\n${rows.map((r, i) => ` c${i}: ${r}`).join('\n')}\nBounds\n${boundLines.map((b) => ` ${b}`).join('\n')}\nGenerals\n ${names.join(' ')}\nEnd`;
  const out = new Map<string, { lo: number; hi: number }>();
  for (const n of names) {
    if (bounds.get(n) !== null) continue;
    const solve = (sense: string) => {
      const result = highs.solve(`${sense}\n obj: ${n}\n${body}`, { output_flag: false, log_to_console: false });
      if (result.Status !== 'Optimal') throw new Error(`attack: ${result.Status}`);
      return Math.round(result.ObjectiveValue);
    };
    out.set(n, { lo: solve('Minimize'), hi: solve('Maximize') });
  }
  return out;
}

/** No withheld count may be narrowed below the protection rule (docs/reporting.md). */
export function expectNothingPinned(intervals: Map<string, { lo: number; hi: number }>, k: number) {
  const pinned = [...intervals].filter(([, iv]) => !isProtected(iv, k));
  expect(pinned).toEqual([]);
}
