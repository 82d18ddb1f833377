type Content = Readonly<Record<string, unknown>> | null | undefined;

/** Structural equality for JSON-like data; a property set to `undefined` counts as absent. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => same(item, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].every((key) => same(x[key], y[key]));
}

/**
 * The top-level field names whose values differ between two versions of a section's content
 * (added, removed or changed), sorted. Names only, never values: this is what an event may
 * record about "what changed" without carrying survivor data. `before` is null for a new section.
 */
export function changedFields(before: Content, after: Content): string[] {
  const x = before ?? {};
  const y = after ?? {};
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].filter((key) => !same(x[key], y[key])).sort();
}
