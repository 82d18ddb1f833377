/**
 * A wake-up call: waiters resume when notified or when their timeout passes. A waiter may name
 * the event types it cares about; an append of other types leaves it asleep (it still wakes on
 * its timeout), so a busy stream of, say, access events does not wake every projection.
 */
export class Signal {
  private waiters: Array<{ wake: () => void; types: ReadonlySet<string> | null }> = [];

  notify(types?: Iterable<string>): void {
    const appended = types ? new Set(types) : null;
    const woken = this.waiters.filter((w) => !appended || !w.types || [...appended].some((t) => w.types!.has(t)));
    if (woken.length === 0) return;
    this.waiters = this.waiters.filter((w) => !woken.includes(w));
    woken.forEach((w) => w.wake());
  }

  wait(timeoutMs: number, types?: readonly string[]): Promise<void> {
    return new Promise((resolve) => {
      const waiter = {
        types: types && types.length > 0 ? new Set(types) : null,
        wake: () => {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
