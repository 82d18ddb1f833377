import { CLK_BYTES, popcount32 } from './clk.js';

const WORDS = CLK_BYTES / 4;
/** Encodings are compared a quarter at a time: a record is dropped as soon as it can no longer reach the threshold. */
const QUARTERS = 4;
const QUARTER = WORDS / QUARTERS;

/**
 * The encodings in memory, for a check in milliseconds: one contiguous Uint32Array (32 words per
 * encoding) and each encoding's bit count. A check scans every slot, skipping at once those whose
 * bit count alone rules the threshold out (Dice ≤ 2·min(|A|,|B|)/(|A|+|B|)), and counts the
 * common bits of the rest with a SWAR popcount, a quarter of the filter at a time: after each
 * quarter the common bits so far plus the fewest bits left in either filter bound the score, and
 * a record that can no longer reach the threshold is dropped (most are, after the first half).
 * No bit of an encoding leaves this class.
 */
export class MatchIndex {
  private bits = new Uint32Array(WORDS * 1024);
  private counts = new Uint16Array(1024);
  /** Bits set in each quarter of each encoding. */
  private quarters = new Uint16Array(1024 * QUARTERS);
  private ids: string[] = [];
  private readonly slots = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Adds or replaces the encoding of `id`. */
  put(id: string, encoding: Buffer): void {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if ((slot + 1) * WORDS > this.bits.length) this.grow();
      this.ids.push(id);
      this.slots.set(id, slot);
    }
    let count = 0;
    for (let w = 0; w < WORDS; w++) {
      if (w % QUARTER === 0) this.quarters[slot * QUARTERS + w / QUARTER] = 0;
      const word = encoding.readUInt32LE(w * 4);
      this.bits[slot * WORDS + w] = word;
      const n = popcount32(word);
      count += n;
      this.quarters[slot * QUARTERS + Math.floor(w / QUARTER)] += n;
    }
    this.counts[slot] = count;
  }

  /** Forgets `id` (the last slot moves into its place). */
  remove(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    const last = this.ids.length - 1;
    if (slot !== last) {
      this.bits.copyWithin(slot * WORDS, last * WORDS, (last + 1) * WORDS);
      this.counts[slot] = this.counts[last]!;
      this.quarters.copyWithin(slot * QUARTERS, last * QUARTERS, (last + 1) * QUARTERS);
      this.ids[slot] = this.ids[last]!;
      this.slots.set(this.ids[slot], slot);
    }
    this.ids.pop();
    this.slots.delete(id);
  }

  /** Every id whose Dice coefficient with `query` is at least `threshold` (best first), except `exclude`. */
  matches(query: Buffer, threshold: number, exclude?: string): Array<{ id: string; score: number }> {
    const q = new Uint32Array(WORDS);
    let qCount = 0;
    for (let w = 0; w < WORDS; w++) {
      q[w] = query.readUInt32LE(w * 4);
      qCount += popcount32(q[w]);
    }
    const out: Array<{ id: string; score: number }> = [];
    if (qCount === 0) return out;
    const { bits, counts } = this;
    for (let slot = 0; slot < this.ids.length; slot++) {
      const c = counts[slot];
      const total = c + qCount;
      if (2 * Math.min(c, qCount) < threshold * total) continue;
      let both = 0;
      const base = slot * WORDS;
      for (let w = 0; w < WORDS; w++) both += popcount32(bits[base + w] & q[w]);
      const score = (2 * both) / total;
      if (score >= threshold && this.ids[slot] !== exclude) out.push({ id: this.ids[slot], score });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  private grow(): void {
    const bits = new Uint32Array(this.bits.length * 2);
    bits.set(this.bits);
    this.bits = bits;
    const counts = new Uint16Array(this.counts.length * 2);
    counts.set(this.counts);
    this.counts = counts;
    const quarters = new Uint16Array(this.quarters.length * 2);
    quarters.set(this.quarters);
    this.quarters = quarters;
  }
}
