import { Upcasters } from './upcasters.js';

describe('upcasting old events on read', () => {
  const upcasters = new Upcasters([
    // v1 had one "name"; v2 split it; v3 renamed "given" to "first".
    { type: 'ContactRecorded', fromVersion: 1, upcast: (d) => ({ given: d.name, family: null }) },
    { type: 'ContactRecorded', fromVersion: 2, upcast: (d) => ({ first: d.given, family: d.family }) },
  ]);

  it('lifts an old payload through every step to the current version', () => {
    expect(upcasters.apply('ContactRecorded', 1, { name: 'Synthetic' })).toEqual({
      schemaVersion: 3,
      data: { first: 'Synthetic', family: null },
    });
  });

  it('leaves current payloads and other types alone', () => {
    expect(upcasters.apply('ContactRecorded', 3, { first: 'A', family: 'B' })).toEqual({
      schemaVersion: 3,
      data: { first: 'A', family: 'B' },
    });
    expect(upcasters.apply('SomethingElse', 1, { x: 1 })).toEqual({ schemaVersion: 1, data: { x: 1 } });
  });

  it('refuses two upcasters for the same step', () => {
    expect(() => upcasters.register({ type: 'ContactRecorded', fromVersion: 1, upcast: (d) => d })).toThrow(
      /two upcasters/,
    );
  });
});
