/**
 * The duplicate matcher: `npm run bench:matching` (BENCH_RECORDS=100000, BENCH_QUERIES=2000, BENCH_SEED=13).
 *
 * Generates BENCH_RECORDS synthetic people with the seeded generator (bench/identities.ts),
 * encodes each as Harbour does (keyed Bloom filter, clk.ts) into the same in-process
 * `MatchIndex` the duplicate check uses in production (there it is loaded from the
 * `match_encodings` table; here straight from the encodings, without PostgreSQL), then runs
 * BENCH_QUERIES new intakes — half of them people already stored, recorded again with
 * transliterations, typos, swapped names and dates — and prints precision and recall at the
 * threshold (and at neighbours), and p50/p99 of one check (encode the query + scan the index).
 */
import { encodeIdentity, MATCH_THRESHOLD } from '../libs/sharing/src/matching/clk.js';
import { MatchIndex } from '../libs/sharing/src/matching/match-index.js';
import { scenario, score } from './identities.js';
import { printTable } from './table.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2_000);
const SEED = Number(process.env.BENCH_SEED ?? 13);
const key = Buffer.alloc(32, 7); // a fixed synthetic key: the figures do not depend on it

const s = scenario(SEED, RECORDS, QUERIES);
const index = new MatchIndex();
let started = performance.now();
s.records.forEach((r, i) => index.put(String(i), encodeIdentity(r, key)!));
console.log(`encoded and indexed ${RECORDS} records in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const times: number[] = [];
const cpu: number[] = [];
const found: Array<Array<{ id: string; score: number }>> = [];
for (const q of s.queries) {
  started = performance.now();
  const cpuStarted = process.cpuUsage();
  index.matches(encodeIdentity(q.identity, key)!, MATCH_THRESHOLD);
  const used = process.cpuUsage(cpuStarted);
  times.push(performance.now() - started);
  cpu.push((used.user + used.system) / 1000);
  // Untimed: the matches down to 0.8, to show the neighbouring thresholds too.
  found.push(index.matches(encodeIdentity(q.identity, key)!, 0.8));
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const pct = (p: number, of = times) => of[Math.min(of.length - 1, Math.floor((p / 100) * of.length))];

const rows = [0.8, MATCH_THRESHOLD, 0.9].map((threshold) => {
  let i = 0;
  const r = score(s, () => found[i++].filter((m) => m.score >= threshold).map((m) => Number(m.id)));
  return [
    threshold === MATCH_THRESHOLD ? `${threshold} (chosen)` : String(threshold),
    r.precision.toFixed(3),
    r.recall.toFixed(3),
    String(r.truePositives),
    String(r.falsePositives),
    String(r.falseNegatives),
  ];
});
printTable([['threshold', 'precision', 'recall', 'true +', 'false +', 'false −'], ...rows]);
console.log(
  `one check against ${RECORDS} records (encode + scan, one core): p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms (target p99 < 50 ms)`,
);
console.log(
  `CPU time of one check (load-independent): p50 ${pct(50, cpu).toFixed(2)} ms, p99 ${pct(99, cpu).toFixed(2)} ms`,
);
