import fc from 'fast-check';

/** The part of JSON Schema (OpenAPI 3.0 dialect) the Harbour document uses. */
export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  example?: unknown;
}

export type Schemas = Record<string, Schema>;

/** Where generated values may come from beyond the schema: real ids, the marker. */
export interface ValueContext {
  schemas: Schemas;
  /** Real values for a property or parameter by name (ids of existing records), if any. */
  known(name: string): string[];
  /** The string no answer may echo outside a documented field. */
  marker: string;
}

/** Follows `$ref`s (a `$ref` wins over siblings, as class-validator-jsonschema writes them). */
export function resolve(schema: Schema | undefined, schemas: Schemas): Schema {
  let current = schema ?? {};
  for (let hops = 0; current.$ref && hops < 20; hops++)
    current = schemas[current.$ref.replace('#/components/schemas/', '')] ?? {};
  return current;
}

const STRING_CAP = 24;
const ARRAY_CAP = 4;

function patternString(pattern: string, min: number, max: number): fc.Arbitrary<string> {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch {
    return fc.constant('x');
  }
  const fits = (s: string) => s.length >= min && s.length <= max;
  return fc.stringMatching(regex).filter(fits);
}

function stringOf(schema: Schema, name: string, ctx: ValueContext): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  const known = ctx.known(name);
  const own = ((): fc.Arbitrary<string> => {
    switch (schema.format) {
      case 'uuid':
        return fc.uuid();
      case 'date-time':
        return fc
          .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString());
      case 'date':
        return fc
          .date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      case 'email':
        return fc.emailAddress().filter((e) => e.length <= max);
    }
    if (schema.pattern) return patternString(schema.pattern, min, max);
    const cap = Math.max(min, Math.min(max, STRING_CAP));
    const plain = fc.string({ minLength: min, maxLength: cap });
    const unicode = fc.string({ unit: 'grapheme', minLength: min, maxLength: cap }).filter((s) => s.length <= max);
    const marked = ctx.marker.length <= max ? [fc.constant(ctx.marker.padEnd(min, '.'))] : [];
    // The longest accepted string once in a while: limits are where parsers and columns break.
    const longest = max <= 4096 ? [fc.constant('L'.repeat(max))] : [];
    return fc.oneof(plain, unicode, ...marked, ...longest);
  })();
  return known.length ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, own) : own;
}

function numberOf(schema: Schema): fc.Arbitrary<number> {
  const exclusive = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  if (schema.type === 'integer')
    return fc.integer({
      min: schema.minimum ?? (exclusive !== undefined ? exclusive + 1 : -(2 ** 31)),
      max: schema.maximum ?? 2 ** 31 - 1,
    });
  // fc.double is biased towards edges: -0, Number.MIN_VALUE (5e-324), the bounds themselves.
  return fc.double({
    min: schema.minimum ?? exclusive ?? -1e308,
    max: schema.maximum ?? 1e308,
    minExcluded: exclusive !== undefined && schema.minimum === undefined,
    noNaN: true,
    noDefaultInfinity: true,
  });
}

/** A value the schema accepts (structurally: cross-field rules are the API's to refuse). */
export function valueOf(schema: Schema | undefined, ctx: ValueContext, name = '', depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx.schemas);
  const base = ((): fc.Arbitrary<unknown> => {
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    const choices = s.oneOf ?? s.anyOf;
    if (choices?.length) return fc.oneof(...choices.map((c) => valueOf(c, ctx, name, depth)));
    if (s.allOf?.length) return valueOf(merged(s.allOf, ctx.schemas), ctx, name, depth);
    const type = s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
    switch (type) {
      case 'string':
        return stringOf(s, name, ctx);
      case 'integer':
      case 'number':
        return numberOf(s);
      case 'boolean':
        return fc.boolean();
      case 'array':
        return arrayOf(s, ctx, name, depth);
      case 'object':
        return objectOf(s, ctx, depth);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return s.nullable ? fc.option(base, { nil: null, freq: 8 }) : base;
}

function arrayOf(s: Schema, ctx: ValueContext, name: string, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = s.minItems ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxItems ?? ARRAY_CAP, ARRAY_CAP));
  const item = valueOf(s.items, ctx, name, depth + 1);
  return s.uniqueItems
    ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
    : fc.array(item, { minLength, maxLength });
}

function objectOf(s: Schema, ctx: ValueContext, depth: number): fc.Arbitrary<Record<string, unknown>> {
  if (!s.properties) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
  const example = (s.example ?? undefined) as Record<string, unknown> | undefined;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(s.properties)) {
    const generated = valueOf(property, ctx, key, depth + 1);
    // Mostly the documented example's value: random values alone seldom pass cross-field rules,
    // and a request that is refused early never reaches the code behind validation.
    model[key] =
      example && key in example
        ? fc.oneof({ arbitrary: fc.constant(example[key]), weight: 3 }, { arbitrary: generated, weight: 1 })
        : generated;
  }
  // Optional properties come and go (fc.record leaves each out about half the time).
  return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in model) });
}

function merged(parts: Schema[], schemas: Schemas): Schema {
  const out: Schema = { type: 'object', properties: {}, required: [] };
  for (const part of parts.map((p) => resolve(p, schemas))) {
    Object.assign(out.properties!, part.properties ?? {});
    out.required!.push(...(part.required ?? []));
  }
  return out;
}

/**
 * Every field path a schema documents, dotted, with `*` for array items (`hours.*.opens`).
 * A free-form object (no properties) documents everything below it: `content.**`.
 */
export function schemaPaths(schema: Schema | undefined, schemas: Schemas, prefix = '', depth = 0): string[] {
  const s = resolve(schema, schemas);
  const join = (key: string) => (prefix ? `${prefix}.${key}` : key);
  const self = prefix ? [prefix] : [];
  if (depth > 12) return [join('**')];
  const choices = [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])];
  if (choices.length) return [...self, ...choices.flatMap((c) => schemaPaths(c, schemas, prefix, depth + 1))];
  if (s.type === 'array' || s.items) return [...self, ...schemaPaths(s.items, schemas, join('*'), depth + 1)];
  if (s.properties)
    return [
      ...self,
      ...Object.entries(s.properties).flatMap(([key, p]) => schemaPaths(p, schemas, join(key), depth + 1)),
    ];
  if (s.type === 'object' || s.type === undefined) return [...self, join('**')];
  return self;
}

/** Array indexes and `*` dropped: an item's field is named with or without its index. */
const withoutIndexes = (path: string) => path.split('.').filter((part) => part !== '*' && !/^\d+$/.test(part));

/** Whether a dotted field path (`hours.0.opens`, or `hours.opens`) is one of `paths`. */
export function isDocumentedPath(field: string, paths: string[]): boolean {
  const parts = withoutIndexes(field);
  return paths.some((path) => {
    const want = withoutIndexes(path);
    for (let i = 0; i < want.length; i++) {
      if (want[i] === '**') return true;
      if (want[i] !== parts[i]) return false;
    }
    return want.length === parts.length;
  });
}

/** Paths of the properties `value` has that its schema requires (the candidates for leaving one out). */
export function requiredPaths(
  value: unknown,
  schema: Schema | undefined,
  schemas: Schemas,
  path: Array<string | number> = [],
): Array<Array<string | number>> {
  const s = resolve(schema, schemas);
  const choices = [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])];
  if (choices.length) return choices.flatMap((c) => requiredPaths(value, c, schemas, path));
  if (Array.isArray(value)) return value.flatMap((v, i) => requiredPaths(v, s.items, schemas, [...path, i]));
  if (!value || typeof value !== 'object' || !s.properties) return [];
  const own = (s.required ?? []).filter((k) => k in value).map((k) => [...path, k]);
  const below = Object.entries(value).flatMap(([k, v]) => requiredPaths(v, s.properties?.[k], schemas, [...path, k]));
  return [...own, ...below];
}
