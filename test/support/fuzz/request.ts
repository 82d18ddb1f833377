import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { mutate, mutation, oddBodies, oddStrings } from './hostile.js';
import type { Answer, Operation } from './oracle.js';
import { requiredPaths, valueOf, type Schemas, type ValueContext } from './schema.js';
import type { FuzzWorld, Persona } from './world.js';

/** One generated request. Path and query values are already percent-encoded. */
export interface FuzzCase {
  kind: 'valid' | 'invalid-body' | 'odd-body' | 'invalid-query' | 'invalid-path' | 'odd-headers';
  caller: string;
  path: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: { text: string | Buffer; contentType: string };
}

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes its WTF-8 bytes instead of a URIError. */
export function encode(value: string): string {
  return value.replace(/\p{Cs}|[^\p{Cs}]+/gu, (part) => {
    if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part);
    const unit = part.charCodeAt(0);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
      .map((b) => `%${b.toString(16).toUpperCase()}`)
      .join('');
  });
}

/** Operations that can take a record away from the callers: they aim only at `sacrificial` ids. */
const DESTRUCTIVE =
  /\/(suspension|reinstatement|removal-motions|admission|endorsements|roles|deactivation|reactivation|erasure-requests)\b/;

export function valueContext(op: Operation, world: FuzzWorld, schemas: Schemas, marker: string): ValueContext {
  const destructive = DESTRUCTIVE.test(op.path) || (/^\/v1\/services\/\{/.test(op.path) && op.method !== 'get');
  return {
    schemas,
    marker,
    known: (name) => (destructive ? world.sacrificial[name] : undefined) ?? world.ids[name] ?? [],
  };
}

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/** The arbitrary of every request the fuzzer sends to one operation. */
export function caseOf(op: Operation, world: FuzzWorld, schemas: Schemas, marker: string): fc.Arbitrary<FuzzCase> {
  const ctx = valueContext(op, world, schemas, marker);
  const allowed = world.personas.filter((p) => !op.roles.length || p.roles.some((r) => op.roles.includes(r)));
  const callers = (allowed.length ? allowed : world.personas).map((p) => p.userId);
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');

  const validPath = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        fc.oneof(
          {
            arbitrary: valueOf(p.schema, ctx, p.name)
              .map((v) => encode(String(v)))
              .filter((v) => v !== '' && v !== '.' && v !== '..'),
            weight: 4,
          },
          { arbitrary: fc.uuid(), weight: 1 },
        ),
      ]),
    ),
  );
  const validQuery = fc
    .tuple(
      ...queryParams.map((p) =>
        fc
          .option(valueOf(p.schema, ctx, p.name), { freq: p.required ? 1_000_000 : 2 })
          .map((v) =>
            v === null ? [] : (Array.isArray(v) ? v : [v]).map((x): [string, string] => [p.name, encode(String(x))]),
          ),
      ),
    )
    .map((pairs) => pairs.flat());
  const baseHeaders = (caller: string) => ({ 'X-Request-Id': marker, 'x-fuzz-caller': caller });
  const validBody = op.body
    ? valueOf(op.body, ctx).map((v) => ({ text: JSON.stringify(v), contentType: 'application/json' }))
    : fc.constant(undefined);

  const base = fc.record({ caller: fc.constantFrom(...callers), path: validPath, query: validQuery, body: validBody });
  const kinds: Array<fc.WeightedArbitrary<FuzzCase>> = [
    { weight: 5, arbitrary: base.map((b) => ({ kind: 'valid', headers: baseHeaders(b.caller), ...b })) },
  ];
  if (op.body)
    kinds.push({
      weight: 6,
      arbitrary: fc.tuple(base, valueOf(op.body, ctx), mutation(marker)).map(([b, body, m]) => ({
        kind: 'invalid-body',
        ...b,
        headers: baseHeaders(b.caller),
        body: { text: mutate(body, m, (v) => requiredPaths(v, op.body, schemas)), contentType: 'application/json' },
      })),
    });
  if (WRITES.has(op.method))
    kinds.push({
      weight: 1,
      arbitrary: fc
        .tuple(base, oddBodies(marker))
        .map(([b, body]) => ({ kind: 'odd-body', ...b, headers: baseHeaders(b.caller), body })),
    });
  if (queryParams.length)
    kinds.push({
      weight: 2,
      arbitrary: fc
        .tuple(
          base,
          oddQuery(
            queryParams.map((p) => p.name),
            marker,
          ),
        )
        .map(([b, extra]) => ({
          kind: 'invalid-query',
          ...b,
          headers: baseHeaders(b.caller),
          query: [...b.query.filter(([name]) => !extra.replaces.includes(name)), ...extra.pairs],
        })),
    });
  if (pathParams.length)
    kinds.push({
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.constantFrom(...pathParams.map((p) => p.name)), oddPathValue(marker))
        .map(([b, name, value]) => ({
          kind: 'invalid-path',
          ...b,
          headers: baseHeaders(b.caller),
          path: { ...b.path, [name]: value },
        })),
    });
  kinds.push({
    weight: 1,
    arbitrary: fc.tuple(base, oddHeaders(marker)).map(([b, headers]) => ({
      kind: 'odd-headers',
      ...b,
      headers: { ...baseHeaders(b.caller), ...headers },
    })),
  });
  return fc.oneof(...kinds);
}

const ODD_QUERY_VALUES = ['', '1e308', '-0', '5e-324', '-1', '99999999999999999999', 'NaN', 'true', '[]', '%', '%ZZ'];

type QueryChange = { pairs: Array<[string, string]>; replaces: string[] };

function oddQuery(names: string[], marker: string): fc.Arbitrary<QueryChange> {
  const value = fc.oneof(
    fc.constantFrom(...ODD_QUERY_VALUES.map((v) => (v.startsWith('%') ? v : encode(v)))),
    oddStrings(marker)
      .filter((s) => s.length < 3_000)
      .map(encode),
  );
  return fc.oneof<fc.Arbitrary<QueryChange>[]>(
    // One documented parameter with a hostile value.
    fc
      .tuple(fc.constantFrom(...names), value)
      .map(([name, v]): QueryChange => ({ pairs: [[name, v]], replaces: [name] })),
    // The same parameter twice (an array where a string is expected).
    fc.tuple(fc.constantFrom(...names), value, value).map(([name, a, b]): QueryChange => ({
      pairs: [
        [name, a],
        [name, b],
      ],
      replaces: [name],
    })),
    // Parameters no route has, with the marker in the name or the value.
    fc
      .constantFrom(marker, 'zzExtra', '__proto__', 'constructor[prototype]', 'limit[]')
      .chain((name) => value.map((v): QueryChange => ({ pairs: [[encode(name), v]], replaces: [] }))),
  );
}

const oddPathValue = (marker: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '00000000-0000-0000-0000-000000000000',
      'mine',
      '..',
      '%2e%2e',
      '%ED%A0%80',
      '%E0%A4%A',
      '%00',
      'null',
    ),
    fc.integer({ min: 90, max: 400 }).map((n) => marker + 'a'.repeat(n)),
    oddStrings(marker)
      .filter((s) => s.length > 0 && s.length < 200)
      .map(encode),
  );

const oddHeaders = (marker: string): fc.Arbitrary<Record<string, string>> =>
  fc.record(
    {
      'Idempotency-Key': fc.oneof(fc.constant(marker), fc.string({ minLength: 1, maxLength: 300 }).map(asciiHeader)),
      'If-Match': fc.constantFrom('"1"', 'W/"3"', '-1', '1e308', '*', '99999999999999999999', marker, '0x10'),
      Accept: fc.constantFrom('text/csv', 'application/xml', '*/*', 'image/svg+xml', ''),
      'X-Request-Id': fc.constantFrom(marker, `${marker} <x>`, `${marker}`.repeat(10)),
    },
    { requiredKeys: [] },
  );

/** Header values must be visible ASCII to be sent at all. */
const asciiHeader = (s: string) => s.replace(/[^\x21-\x7e]/g, '_') || '_';

/** One kept-alive connection pool for the whole run (node:http costs less per request than fetch). */
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
export const closeConnections = (): void => agent.destroy();

/** Sends one case to the running app and reads the whole answer. */
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?=\/|$)/i;

export function send(baseUrl: string, op: Operation, c: FuzzCase, personas: Persona[]): Promise<Answer> {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => c.path[name] ?? 'x');
  const query = c.query.map(([k, v]) => `${k}=${v}`).join('&');
  const token = personas.find((p) => p.userId === c.caller)!.token;
  const headers: Record<string, string> = { ...c.headers, Authorization: token };
  delete headers['x-fuzz-caller'];
  if (c.body) headers['Content-Type'] = c.body.contentType;
  const body = c.body ? (typeof c.body.text === 'string' ? Buffer.from(c.body.text, 'utf8') : c.body.text) : undefined;
  if (body) headers['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}${path}${query ? `?${query}` : ''}`,
      { method: op.method.toUpperCase(), headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            // `..` or `%2e%2e` as a whole segment: the URL parser resolves it, as every client's does,
            // so the request reached another path, and its answer is that path's.
            elsewhere: DOT_SEGMENT.test(path),
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]),
            ),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
