import fc from 'fast-check';

/** Numbers that break naive code: the smallest denormal, the largest double, negative zero, … */
export const ODD_NUMBERS = [
  5e-324,
  -5e-324,
  1e308,
  -1e308,
  -0,
  1e-7,
  0.1 + 0.2,
  2 ** 53 + 1,
  -(2 ** 63),
  1e21,
  4294967296,
  1.5,
  -1,
] as const;

/** Strings that break naive code; none is survivor data. */
export const oddStrings = (marker: string): fc.Arbitrary<string> =>
  fc.oneof(
    loneSurrogates(marker),
    fc.constantFrom(
      '\ud800',
      `x\udc00${marker}`,
      '\udfff\ud800',
      `${marker}\ud83d@example.org`,
      '',
      ' ',
      '\u0000',
      '\u202e\u0041\u0301',
      'ﷺ𒐫\u{1F600}',
      "'; DROP TABLE harbour_events; --",
      `<script>${marker}</script>`,
      '${7*7}{{7*7}}',
      '../../../../etc/passwd',
      '%00%ZZ',
      `\r\nX-Injected: ${marker}`,
      '5e-324',
      'NaN',
      '-0',
      '1e308',
      '9'.repeat(400),
      'null',
      '00000000-0000-0000-0000-000000000000',
    ),
    // At and over the body limit for one string (32,768), and far over a field's own limit.
    fc.constantFrom(32_768, 32_769, 2_001).map((n) => marker + 'A'.repeat(n - marker.length)),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ maxLength: 20 }).map((s) => `${s}${marker}`),
  );

/** Well-formed text with one lone UTF-16 half somewhere in it (validator.js's e-mail check threw on one). */
export const loneSurrogates = (marker: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('', 'x', marker, 'a@example.'),
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.constantFrom('', '@example.org', 'y'),
    )
    .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`);

/** A value of any JSON type, mostly hostile. */
export const hostileValue = (marker: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...ODD_NUMBERS),
    oddStrings(marker),
    fc.constantFrom(null, true, false, [], {}, [null], { [marker]: marker }, [[[[[]]]]]),
    fc.jsonValue({ maxDepth: 3 }),
  );

/** Values of every JSON type; a wrong-type mutation picks one whose type differs from the value it replaces. */
const OF_EVERY_TYPE: unknown[] = ['7', 'x', 7, 5e-324, -0, true, false, null, {}, { a: 1 }, [], ['x', 1]];
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A value of another JSON type than `current` (a string where a number goes, …), chosen by index. */
export function wrongType(current: unknown, choice: number): unknown {
  const others = OF_EVERY_TYPE.filter((v) => typeOf(v) !== typeOf(current));
  return structuredClone(others[choice % others.length]);
}

/** Keys the fuzzer adds that no DTO has. Plain names may be named back in `errors[]` (docs/architecture.md). */
export const EXTRA_KEYS = ['zzExtra', 'isAdmin', 'role', 'agencyid', 'survivorPin'] as const;

/** `[[[…]]]` or `{"a":{"a":…}}` nested `depth` deep, as raw JSON text. */
export const nestedText = (depth: number, kind: 'array' | 'object'): string =>
  kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"zzExtra":'.repeat(depth) + '1' + '}'.repeat(depth);

/** One change that makes a valid value invalid, applied at a path chosen by index. */
export type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'wrong-type'; at: number; choice: number }
  | { kind: 'drop'; at: number }
  | { kind: 'drop-required'; at: number }
  | { kind: 'poison-strings'; value: string }
  | { kind: 'poison-numbers'; value: number }
  | { kind: 'extra'; at: number; key: string; value: unknown }
  | { kind: 'nest'; at: number; depth: number; shape: 'array' | 'object' };

export const mutation = (marker: string): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue(marker) }),
    fc.record({ kind: fc.constant('wrong-type' as const), at: fc.nat(), choice: fc.nat() }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('drop-required' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('poison-strings' as const), value: oddStrings(marker) }),
    fc.record({ kind: fc.constant('poison-numbers' as const), value: fc.constantFrom(...ODD_NUMBERS) }),
    fc.record({
      kind: fc.constant('extra' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.constant(marker), fc.constant(`${marker} <k>`)),
      value: hostileValue(marker),
    }),
    fc.record({
      kind: fc.constant('nest' as const),
      at: fc.nat(),
      depth: fc.oneof(fc.constantFrom(31, 32, 33), fc.integer({ min: 34, max: 3_000 })),
      shape: fc.constantFrom('array' as const, 'object' as const),
    }),
  );

type Path = Array<string | number>;

/** Every path into a JSON value, the root first. */
export function pathsOf(value: unknown, path: Path = []): Path[] {
  const out: Path[] = [path];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...path, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...path, k]));
  return out;
}

const NEST_SLOT = '\u0000nest\u0000';

/**
 * Applies a mutation to a copy of `body`; returns the JSON text to send (nesting is spliced in
 * as text, so a body thousands of levels deep never goes through JSON.stringify).
 */
export function mutate(body: unknown, m: Mutation, required: (value: unknown) => Path[] = () => []): string {
  const copy = structuredClone<unknown>(body);
  const paths = m.kind === 'drop-required' && required(copy).length ? required(copy) : pathsOf(copy);
  const path = paths['at' in m ? m.at % paths.length : 0];
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const get = (p: Path) => p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], copy);
  const set = (p: Path, value: unknown): unknown => {
    if (p.length === 0) return value;
    (get(p.slice(0, -1)) as Record<string | number, unknown>)[p[p.length - 1]] = value;
    return copy;
  };
  let out: unknown = copy;
  switch (m.kind) {
    case 'replace':
      out = set(path, m.value);
      break;
    case 'wrong-type':
      out = set(path, wrongType(get(path), m.choice));
      break;
    case 'poison-strings':
    case 'poison-numbers':
      // Every string (or number) in the body at once: whichever field chokes on it is reached.
      for (const p of paths) {
        const v = get(p);
        if (m.kind === 'poison-strings' ? typeof v === 'string' : typeof v === 'number') out = set(p, m.value);
      }
      break;
    case 'drop':
    case 'drop-required':
      if (path.length === 0) return '';
      if (Array.isArray(get(parentPath))) (get(parentPath) as unknown[]).splice(Number(last), 1);
      else delete (get(parentPath) as Record<string, unknown>)[String(last)];
      break;
    case 'extra': {
      const target = get(path);
      if (target && typeof target === 'object' && !Array.isArray(target))
        (target as Record<string, unknown>)[m.key] = m.value;
      else out = set(path, { [m.key]: m.value });
      break;
    }
    case 'nest':
      out = set(path, NEST_SLOT);
      return JSON.stringify(out).replace(JSON.stringify(NEST_SLOT), nestedText(m.depth, m.shape));
  }
  return JSON.stringify(out) ?? '';
}

/** Whole bodies that are not what any route wants. */
export const oddBodies = (marker: string): fc.Arbitrary<{ text: string | Buffer; contentType: string }> =>
  fc.oneof(
    fc
      .constantFrom(
        '',
        'null',
        '[]',
        '"x"',
        '1e308',
        '{"zzExtra":',
        '{"zzExtra":1,"zzExtra":2}',
        '{"__proto__":{"isAdmin":true}}',
        '{"constructor":{"prototype":{"isAdmin":true}}}',
        `{"${marker}":"\\ud800"}`,
        '\ufeff{}',
      )
      .map((text) => ({ text, contentType: 'application/json' })),
    fc.constantFrom(33, 2_500).chain((depth) =>
      fc.constantFrom('array' as const, 'object' as const).map((shape) => ({
        text: nestedText(depth, shape),
        contentType: 'application/json',
      })),
    ),
    fc.constant({ text: Buffer.from('{"zzExtra":"\xff\xfe"}', 'latin1'), contentType: 'application/json' }),
    fc
      .constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'application/json; charset=latin1',
      )
      .map((contentType) => ({ text: `{"zzExtra":"${marker}"}`, contentType })),
  );
