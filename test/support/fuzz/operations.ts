import type { Operation } from './oracle.js';
import type { FuzzCase } from './request.js';
import { schemaPaths, type Schema, type Schemas } from './schema.js';

type RawOperation = {
  operationId: string;
  'x-roles'?: string[];
  parameters?: Operation['parameters'];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Operation['responses'];
};
export type Document = {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Schemas };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Headers the API reads and may name in `errors[]`. */
const REQUEST_HEADERS = ['If-Match', 'Idempotency-Key'];

/** A path of the document that this one is an instance of (`…/sections/identity` of `…/sections/{section}`). */
const templateOf = (doc: Document, path: string) =>
  Object.keys(doc.paths).find((other) => {
    if (other === path) return false;
    const a = other.split('/');
    const b = path.split('/');
    return a.length === b.length && a.every((seg, i) => seg === b[i] || /^\{\w+\}$/.test(seg));
  });

/** Every operation of the OpenAPI document, with what the fuzzer and the oracle need of it. */
export function operationsOf(doc: Document): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, raw]): Operation => {
        const template = templateOf(doc, path);
        const roles = raw['x-roles'] ?? (template ? doc.paths[template][method]?.['x-roles'] : undefined) ?? [];
        const parameters = raw.parameters ?? [];
        const body = raw.requestBody?.content?.['application/json']?.schema;
        return {
          method,
          path,
          operationId: raw.operationId,
          roles,
          parameters,
          body,
          responses: raw.responses,
          requestPaths: [
            ...(body ? schemaPaths(body, doc.components.schemas) : []),
            ...parameters.map((p) => p.name),
            ...REQUEST_HEADERS,
          ],
        };
      }),
  );
}

const short = (s: string) => {
  const shown = JSON.stringify(s.length > 120 ? s.slice(0, 100) : s);
  return s.length > 120 ? `${shown}… (${s.length} characters)` : shown;
};

/** A JSON body with each long string cut (so every key stays visible), else the text cut. */
const readable = (text: string) => {
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), (_key, v: unknown) =>
      typeof v === 'string' && v.length > 60 ? `${v.slice(0, 40)}… (${v.length} characters)` : v,
    );
  } catch {
    // not JSON: as sent
  }
  return shown.length > 600
    ? `${JSON.stringify(shown.slice(0, 600))}… (${text.length} characters)`
    : JSON.stringify(shown);
};

/** A failing case, readable and bounded: long strings cut, lone surrogates escaped, no token. */
export function describeCase(op: Operation, c: FuzzCase): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => c.path[name] ?? 'x');
  const query = c.query.map(([k, v]) => `${k}=${v}`).join('&');
  const body =
    c.body === undefined
      ? '(none)'
      : Buffer.isBuffer(c.body.text)
        ? `${c.body.contentType} bytes ${c.body.text.toString('hex')}`
        : `${c.body.contentType} ${readable(c.body.text)}`;
  const headers = Object.entries(c.headers)
    .filter(([k]) => k !== 'x-fuzz-caller')
    .map(([k, v]) => `${k}: ${short(v)}`)
    .join(', ');
  return [
    `${c.kind} ${op.method.toUpperCase()} ${short(`${path}${query ? `?${query}` : ''}`)} as ${c.caller}`,
    `headers ${headers}`,
    `body ${body}`,
  ].join('\n      ');
}
