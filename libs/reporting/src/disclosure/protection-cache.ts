/**
 * Which figures a table withholds depends on nothing but its counts and the disclosure settings
 * (suppression is deterministic), so the same month asked again — a dashboard, the next page of
 * a CSV — is not audited again. Least recently used entries go first; a few thousand tables.
 */
export class ProtectionCache {
  private readonly entries = new Map<string, unknown>();

  constructor(private readonly capacity = 4_000) {}

  get<T>(key: string, make: () => T): T {
    if (this.entries.has(key)) {
      const hit = this.entries.get(key) as T;
      this.entries.delete(key); // move to the most recent end
      this.entries.set(key, hit);
      return hit;
    }
    const value = make();
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
