import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DomainError, shownKey } from '@harbour/kernel';
import { ApiErrors } from './http-problems.js';

/**
 * Structural limits of a JSON body, checked right after parsing and before validation:
 * class-transformer and class-validator recurse without bounds (2,500 levels of `[` was a
 * RangeError, a 500), and a lone UTF-16 surrogate in a string threw a URIError inside
 * validator.js. Every limit is far above what any Harbour request needs.
 */
export const JSON_LIMITS = { depth: 32, keysPerObject: 200, arrayLength: 1000, stringLength: 32_768 } as const;

type Limit = 'jsonTooDeep' | 'jsonTooManyKeys' | 'jsonArrayTooLong' | 'jsonStringTooLong' | 'jsonMalformedString';

const refused = (limit: Limit, message: string, field: string | null, problem: string) =>
  DomainError.of(ApiErrors[limit], { message, fields: field === null ? [] : [{ field: field || '(body)', problem }] });

/** In `u` mode a well-formed pair is one code point, so this matches only a lone surrogate. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * U+0000 is well-formed text, but PostgreSQL stores it in neither text nor jsonb: it reached a
 * query parameter as SQLSTATE 22021, a 500 (found by the fuzz suite).
 */
const NUL = '\u0000';
const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/** Walks the parsed body once, depth-first; recursion is bounded by the depth limit itself. */
function check(value: unknown, path: string, depth: number): void {
  if (typeof value === 'string') {
    if (value.length > JSON_LIMITS.stringLength)
      throw refused(
        'jsonStringTooLong',
        `A string in the body is longer than ${JSON_LIMITS.stringLength} characters`,
        path,
        `is longer than ${JSON_LIMITS.stringLength} characters`,
      );
    if (LONE_SURROGATE.test(value))
      throw refused(
        'jsonMalformedString',
        'A string in the body is not well-formed UTF-16',
        path,
        'is not well-formed UTF-16 (a lone surrogate)',
      );
    if (value.includes(NUL))
      throw refused('jsonMalformedString', 'A string in the body contains a NUL character', path, 'contains U+0000');
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= JSON_LIMITS.depth)
    throw refused('jsonTooDeep', `The body is nested more than ${JSON_LIMITS.depth} levels deep`, null, '');
  if (Array.isArray(value)) {
    if (value.length > JSON_LIMITS.arrayLength)
      throw refused(
        'jsonArrayTooLong',
        `An array in the body has more than ${JSON_LIMITS.arrayLength} items`,
        path,
        `has more than ${JSON_LIMITS.arrayLength} items`,
      );
    value.forEach((item, i) => check(item, join(path, i), depth + 1));
    return;
  }
  const keys = Object.keys(value);
  if (keys.length > JSON_LIMITS.keysPerObject)
    throw refused(
      'jsonTooManyKeys',
      `An object in the body has more than ${JSON_LIMITS.keysPerObject} keys`,
      path,
      `has more than ${JSON_LIMITS.keysPerObject} keys`,
    );
  for (const key of keys) {
    if (LONE_SURROGATE.test(key) || key.includes(NUL))
      throw refused(
        'jsonMalformedString',
        'A key in the body is not well-formed UTF-16',
        path,
        'has a key that is not well-formed UTF-16 (a lone surrogate) or contains U+0000',
      );
    check((value as Record<string, unknown>)[key], shownKey(key) !== null ? join(path, key) : path, depth + 1);
  }
}

/**
 * The only body parsers: JSON through Fastify's own parser (secure-json-parse: refuses
 * `__proto__` and `constructor.prototype`), then the limits above. Form bodies are refused with
 * 415 (Nest would otherwise parse them, and a JSON text sent as a form came back as a field
 * name); so is text/plain, and Fastify answers 415 for every other type.
 */
export function registerBodyParsers(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    void parse(request as FastifyRequest, body.toString('utf8'), (error, json) => {
      if (error) return done(error, undefined);
      try {
        check(json, '', 0);
      } catch (error) {
        return done(error as Error, undefined);
      }
      done(null, json);
    });
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (_request, _body, done) =>
    done(new UnsupportedMediaTypeException(), undefined),
  );
  fastify.removeContentTypeParser('text/plain');
}
