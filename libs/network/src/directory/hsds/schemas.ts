import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@harbour/kernel';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * The vendored HSDS 3.0 schemas (see schema/NOTICE.md) compiled with ajv.
 *
 * The build copies only .ts files, so the JSON is read from the source folder, found from
 * the project root (`projectRoot`, libs/kernel).
 */
const SCHEMA_DIR = join(projectRoot(), 'libs/network/src/directory/hsds/schema');

/**
 * The files carry no `$id` and refer to each other by file name ("attribute.json"), and the
 * OpenAPI file by their published URLs. Giving each file its published URL as `$id` makes
 * both kinds of `$ref` resolve to the vendored copies, never to the network.
 */
const BASE = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';

export const HSDS_KINDS = ['organization', 'organization_list', 'service', 'service_list'] as const;
export type HsdsKind = (typeof HSDS_KINDS)[number];

/** What each kind of document is checked against; every `$ref` lands in the standard's files. */
const ROOTS: Record<HsdsKind, object> = {
  // organization.json has no `services`, yet the standard's /organizations/{id} document
  // (and examples/organization_full.json) nests them: check each against service.json.
  organization: {
    allOf: [{ $ref: `${BASE}organization.json` }],
    properties: { services: { type: 'array', items: { $ref: `${BASE}service.json` } } },
  },
  // The paged list responses exactly as the standard's openapi.json defines them.
  organization_list: {
    $ref: `${BASE}openapi.json#/paths/~1organizations/get/responses/200/content/application~1json/schema`,
  },
  service: { $ref: `${BASE}service.json` },
  service_list: { $ref: `${BASE}openapi.json#/paths/~1services/get/responses/200/content/application~1json/schema` },
};

let compiled: Record<HsdsKind, ValidateFunction> | undefined;

export function hsdsValidator(kind: HsdsKind): ValidateFunction {
  compiled ??= compileAll();
  return compiled[kind];
}

function compileAll(): Record<HsdsKind, ValidateFunction> {
  // The files use keywords of their own (name, path, core, constraints, example...), which
  // strict mode rejects; OpenAPI 3.1 schemas are JSON Schema 2020-12, hence Ajv2020.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const file of schemaFiles()) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
    ajv.addSchema({ ...schema, $id: BASE + file });
  }
  const out = {} as Record<HsdsKind, ValidateFunction>;
  for (const kind of HSDS_KINDS) out[kind] = ajv.compile({ $id: `${BASE}harbour/${kind}`, ...ROOTS[kind] });
  return out;
}

function schemaFiles(): string[] {
  const top = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'));
  const compiledDir = readdirSync(join(SCHEMA_DIR, 'compiled')).filter((f) => f.endsWith('.json'));
  return [...top, ...compiledDir.map((f) => `compiled/${f}`)];
}
