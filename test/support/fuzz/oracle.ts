import { isDocumentedPath, schemaPaths, type Schema, type Schemas } from './schema.js';

/** One operation of the OpenAPI document, as the fuzzer and the oracle see it. */
export interface Operation {
  method: string;
  /** The document's path (`/v1/intakes/{survivorId}/sections/identity`). */
  path: string;
  operationId: string;
  roles: string[];
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  body?: Schema;
  responses: Record<string, { content?: Record<string, { schema?: Schema & { allOf?: Schema[] } }> }>;
  /** Field paths the request documents (body paths, parameter names), for `errors[].field`. */
  requestPaths: string[];
}

export interface Answer {
  /** The path had a dot segment the URL parser resolved: another route (or none) answered. */
  elsewhere?: boolean;
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Signs of an internal error leaking: stack frames, file paths, SQL, driver and JS error names. */
const LEAKS: Array<[string, RegExp]> = [
  ['a stack frame', /\bat (?:async )?[\w$.<>]+ \(?(?:file:|node:|\/)[^)\s]*:\d+:\d+\)?/],
  ['a file path', /node_modules|\/work\/|file:\/\/|\/dist\/(?:apps|libs)\//],
  ['SQL text', /\b(?:SELECT\s+[\w*"]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b/i],
  [
    'a database error',
    /syntax error at or near|violates (?:unique|foreign key|check|not-null) constraint|duplicate key value|relation "[^"]+"|QueryFailedError|SQLSTATE/i,
  ],
  ['a JavaScript error', /\b(?:TypeError|RangeError|ReferenceError|URIError|SyntaxError|EvalError): /],
];

/** The names an answer may show back (libs/kernel field-problems.ts): plain field names only. */
const PLAIN_KEY = /^[a-z][A-Za-z0-9_]{0,39}$/;

/** Every key of a JSON text, at any depth, and every query parameter name: what the caller sent. */
export function keysSent(body: string | Buffer | undefined, query: Array<[string, string]>): Set<string> {
  const keys = new Set(query.map(([name]) => safeDecode(name)));
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        keys.add(k);
        walk(x);
      }
  };
  try {
    walk(JSON.parse(typeof body === 'string' ? body : (body?.toString('utf8') ?? '')));
  } catch {
    // not JSON: no keys
  }
  return keys;
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The codes an operation documents for one status (the enum of its problem+json response). */
export function documentedCodes(op: Operation, status: number): string[] {
  const schema = op.responses[String(status)]?.content?.['application/problem+json']?.schema;
  return (schema?.allOf ?? []).flatMap((s) => (s.properties?.code?.enum ?? []) as string[]);
}

/** Paths (dotted, array indexes as numbers) of every string in `value` that contains `marker`. */
function markerPaths(value: unknown, marker: string, path = ''): string[] {
  const join = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (typeof value === 'string') return value.includes(marker) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => markerPaths(v, marker, join(i)));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [
      ...(k.includes(marker) ? [`${join(k)} (a key)`] : []),
      ...markerPaths(v, marker, join(k)),
    ]);
  return [];
}

/**
 * What is wrong with one answer, measured against the operation's own OpenAPI (empty: nothing).
 * `marker` was placed in the request; it may come back only inside a documented field of a
 * success body (a name the caller wrote, read back), never in a problem, a header or an
 * undocumented field.
 */
export function answerProblems(
  op: Operation,
  answer: Answer,
  schemas: Schemas,
  marker: string,
  sentKeys: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  const { status, text } = answer;
  const type = answer.headers['content-type'] ?? '';
  if (status >= 500) problems.push(`answered ${status}`);
  // A path that matched no route (an empty or `..` segment), or that a resolved `..` took to
  // another route, is not this operation's answer (5xx, leaks and the marker are still checked).
  const noRoute =
    (status === 404 && /"code":"not-found"/.test(text) && /"instance":""/.test(text)) || answer.elsewhere === true;
  if (!op.responses[String(status)] && !noRoute) problems.push(`status ${status} is not documented`);
  for (const [what, pattern] of LEAKS) if (pattern.test(text)) problems.push(`the answer contains ${what}`);
  for (const [name, value] of Object.entries(answer.headers))
    if (value.includes(marker)) problems.push(`header ${name} echoes the marker`);

  if (status >= 400) {
    if (!type.startsWith('application/problem+json')) problems.push(`a ${status} that is not problem+json (${type})`);
    let body: { code?: string; instance?: string; errors?: Array<{ field?: string }> } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      problems.push(`a ${status} whose body is not JSON`);
    }
    const documented = documentedCodes(op, status);
    if (!noRoute && (!body.code || !documented.includes(body.code)))
      problems.push(
        `${status} ${body.code ?? '(no code)'} is not documented for this status (${documented.join(', ')})`,
      );
    if (text.includes(marker)) problems.push(`a ${status} problem echoes the marker`);
    for (const { field } of body.errors ?? []) {
      if (typeof field !== 'string') continue;
      // An unknown key may be named when it is a plain name the caller sent; any other only by a placeholder.
      const last = field.split('.').pop()!;
      const unknown = (PLAIN_KEY.test(last) && sentKeys.has(last)) || last === '(unrecognised)';
      const named = unknown ? field.split('.').slice(0, -1).join('.') : field;
      if (field !== '(body)' && named !== '' && !isDocumentedPath(named, op.requestPaths))
        problems.push(`errors[] names "${field.slice(0, 60)}", which is no field of the request`);
    }
    return problems;
  }

  if (text.includes(marker)) {
    if (!/^application\/([\w.-]+\+)?json\b/.test(type)) {
      // A documented page or file (the survivor's copy as HTML, a CSV report) renders stored
      // records, which earlier cases may have filled with the marker: it has no field paths to
      // check, so only an undocumented media type is an echo.
      const mediaType = type.split(';')[0].trim();
      if (!op.responses[String(status)]?.content?.[mediaType])
        problems.push(`a ${status} ${type || 'answer'} echoes the marker`);
      return problems;
    }
    const schema = Object.values(op.responses[String(status)]?.content ?? {})[0]?.schema;
    const documented = schemaPaths(schema, schemas);
    for (const path of markerPaths(JSON.parse(text), marker))
      if (path.endsWith('(a key)') || !isDocumentedPath(path, documented))
        problems.push(`the marker comes back in "${path}", which the ${status} response does not document`);
  }
  return problems;
}
