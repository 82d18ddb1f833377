/**
 * Under an outage every refused request fails the same way: one line per failure class per
 * interval says so (with how many were not written), instead of one per request (thousands a
 * minute). `key` names the class, e.g. `request failed:database-unavailable`.
 */
export class LogThrottle {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `null`: do not log this one; else log it, with the count of lines of this class left out since the last. */
  admit(key: string): { suppressed: number } | null {
    const now = this.now();
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed++;
      return null;
    }
    this.last.set(key, { at: now, suppressed: 0 });
    if (this.last.size > 1000) this.last.delete(this.last.keys().next().value!); // a bounded set of classes
    return { suppressed: seen?.suppressed ?? 0 };
  }
}

/** One per process: every logger of refused requests shares the interval. */
export const outageLog = new LogThrottle();
