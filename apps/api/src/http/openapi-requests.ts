import type { INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { OpenAPIObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import storage from 'class-transformer/cjs/storage.js';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { SECTION_DTOS, SECTION_EXAMPLES } from '@harbour/intake';
import { SECTIONS } from '@harbour/consent';
import { bodyExamples } from '@harbour/kernel';
import { routesOf } from './openapi.js';

type Schemas = Record<string, SchemaObject | ReferenceObject>;

/**
 * Request schemas from the validation rules themselves (class-validator-jsonschema): every DTO
 * property the ValidationPipe accepts appears with its type, enum, pattern and limits, so the
 * documentation cannot drift from what is enforced. Descriptions and examples written with
 * @ApiProperty are kept on top. Bodies allow no other properties (forbidNonWhitelisted).
 */
export function validatedSchemas(): Record<string, SchemaObject> {
  return validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: storage.defaultMetadataStorage,
  }) as Record<string, SchemaObject>;
}

const refName = (ref: string) => ref.replace('#/components/schemas/', '');

/** A rule schema without $refs to classes that are no schema (class-validator-jsonschema points a plain `Object` field at `#/components/schemas/Object`). */
function withoutDanglingRefs<T>(node: T, validated: Record<string, SchemaObject>): T {
  if (Array.isArray(node)) return node.map((n: unknown) => withoutDanglingRefs(n, validated)) as T;
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node).filter(
    ([key, value]) => !(key === '$ref' && typeof value === 'string' && !validated[refName(value)]),
  );
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutDanglingRefs(value, validated)])) as T;
}

function mergeSchema(validated: SchemaObject, documented: SchemaObject | undefined): SchemaObject {
  const properties: Record<string, SchemaObject | ReferenceObject> = {};
  for (const [name, rule] of Object.entries(validated.properties ?? {})) {
    const doc = documented?.properties?.[name] as SchemaObject | undefined;
    // A $ref from the rules wins: Nest would describe a nested DTO without @ApiProperty as a bare object.
    properties[name] =
      '$ref' in rule ? { ...rule, ...(doc?.description ? { description: doc.description } : {}) } : { ...rule, ...doc };
  }
  return { ...documented, type: 'object', properties, required: validated.required ?? [], additionalProperties: false };
}

/** Adds the schema (and every schema it refers to) from the rules into the document. */
function include(name: string, validated: Record<string, SchemaObject>, schemas: Schemas, done: Set<string>): void {
  if (done.has(name) || !validated[name]) return;
  done.add(name);
  schemas[name] = mergeSchema(
    withoutDanglingRefs(validated[name], validated),
    schemas[name] as SchemaObject | undefined,
  );
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') include(refName(value), validated, schemas, done);
      else walk(value);
    }
  };
  walk(withoutDanglingRefs(validated[name], validated));
}

/** Query DTOs become query parameters, one per property, with the same rules. */
function queryParameters(
  app: INestApplication,
  document: OpenAPIObject,
  validated: Record<string, SchemaObject>,
): void {
  for (const route of routesOf(app)) {
    const operation = document.paths[route.path]?.[route.method.toLowerCase() as 'get'];
    if (!operation) continue;
    const method = route.operationId.slice(route.controller.name.length + 1);
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, method) ?? {}) as Record<
      string,
      { index: number; data?: unknown }
    >;
    const types = (Reflect.getMetadata(
      'design:paramtypes',
      (route.controller as unknown as { prototype: object }).prototype,
      method,
    ) ?? []) as Array<{ name?: string }>;
    for (const [key, arg] of Object.entries(args)) {
      if (Number(key.split(':')[0]) !== Number(RouteParamtypes.QUERY) || arg.data !== undefined) continue;
      const schema = validated[types[arg.index]?.name ?? ''];
      if (!schema) continue;
      const existing = (operation.parameters ?? []) as ParameterObject[];
      const byName = new Map(existing.filter((p) => p.in === 'query').map((p) => [p.name, p]));
      const others = existing.filter((p) => p.in !== 'query');
      const query = Object.entries(schema.properties ?? {}).map(([name, rule]): ParameterObject => {
        const doc = byName.get(name);
        return {
          name,
          in: 'query',
          required: (schema.required ?? []).includes(name),
          ...(doc?.description ? { description: doc.description } : {}),
          ...(doc?.example !== undefined ? { example: doc.example as unknown } : {}),
          schema: { ...(rule as SchemaObject), ...((doc?.schema ?? {}) as SchemaObject) },
        };
      });
      operation.parameters = [...others, ...query];
    }
  }
}

const SECTION_ROUTE = '/v1/intakes/{survivorId}/sections/{section}';
const sectionSchema = (section: string) => `${section[0].toUpperCase()}${section.slice(1)}SectionUpdate`;

/**
 * One intake route writes all thirteen sections; its body depends on the path's section. The
 * document gives each section its own schema (`IdentitySectionUpdate`, …) with an example, lists
 * them as the route's oneOf, and adds one concrete path per section (`…/sections/safety`) so a
 * generated client gets the exact type for each.
 */
function sectionBodies(
  document: OpenAPIObject,
  schemas: Schemas,
  validated: Record<string, SchemaObject>,
  done: Set<string>,
): void {
  const item = document.paths[SECTION_ROUTE];
  const put = item?.put;
  if (!item || !put) return;
  for (const section of SECTIONS) {
    const dto = SECTION_DTOS[section].name;
    include(dto, validated, schemas, done);
    schemas[sectionSchema(section)] = {
      type: 'object',
      title: `${section} section`,
      description: `The body of PUT …/sections/${section}: the whole ${section} section.`,
      required: ['content'],
      properties: { content: { $ref: `#/components/schemas/${dto}` } },
      additionalProperties: false,
      example: { content: SECTION_EXAMPLES[section] },
    };
  }
  const examples = Object.fromEntries(
    SECTIONS.map((s) => [s, { summary: `section = ${s}`, value: { content: SECTION_EXAMPLES[s] } }]),
  );
  put.requestBody = {
    required: true,
    description:
      "The schema is chosen by the path's section: `content` is that section's shape (see the per-section paths below for one schema each).",
    content: {
      'application/json': {
        schema: { oneOf: SECTIONS.map((s) => ({ $ref: `#/components/schemas/${sectionSchema(s)}` })) },
        examples,
      },
    },
  };
  for (const section of SECTIONS) {
    const parameters = ((put.parameters ?? []) as ParameterObject[]).filter(
      (p) => !(p.in === 'path' && p.name === 'section'),
    );
    document.paths[SECTION_ROUTE.replace('{section}', section)] = {
      put: {
        ...put,
        operationId: `${put.operationId}_${section}`,
        summary: `Replace the ${section} section`,
        parameters,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: `#/components/schemas/${sectionSchema(section)}` },
              example: { content: SECTION_EXAMPLES[section] },
            },
          },
        },
      },
    };
  }
}

/** Complete request schemas: bodies and queries from the validation rules, section bodies by section. */
export function describeRequests(app: INestApplication, document: OpenAPIObject): void {
  const validated = validatedSchemas();
  const schemas: Schemas = { ...document.components?.schemas };
  const done = new Set<string>();
  // Every schema Nest put in the document for a validated DTO (the bodies), and what it refers to.
  for (const name of Object.keys(schemas)) include(name, validated, schemas, done);
  sectionBodies(document, schemas, validated, done);
  for (const [name, { example }] of bodyExamples())
    if (done.has(name) && schemas[name]) (schemas[name] as SchemaObject).example = example;
  document.components = { ...document.components, schemas };
  queryParameters(app, document, validated);
}
