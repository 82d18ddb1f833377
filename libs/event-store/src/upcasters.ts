/**
 * Old events stay as they were written; readers get the current payload shape.
 * An upcaster lifts one event type from one schema version to the next.
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: Record<string, unknown>): unknown;
}

export class Upcasters {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: Upcaster[] = []) {
    upcasters.forEach((u) => this.register(u));
  }

  register(upcaster: Upcaster): void {
    const key = `${upcaster.type}@${upcaster.fromVersion}`;
    if (this.byKey.has(key)) throw new Error(`two upcasters for ${key}`);
    this.byKey.set(key, upcaster);
  }

  apply(type: string, schemaVersion: number, data: unknown): { schemaVersion: number; data: unknown } {
    let version = schemaVersion;
    let current = data;
    for (let step = this.byKey.get(`${type}@${version}`); step; step = this.byKey.get(`${type}@${version}`)) {
      current = step.upcast(current as Record<string, unknown>);
      version += 1;
    }
    return { schemaVersion: version, data: current };
  }
}
