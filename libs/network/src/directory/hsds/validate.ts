import type { ErrorObject } from 'ajv/dist/2020.js';
import { DomainError, type FieldProblem } from '@harbour/kernel';
import { hsdsValidator, type HsdsKind } from './schemas.js';
import { NetworkErrors } from '../../errors.js';

/** A document, or part of one, that does not meet HSDS 3.0; `fields` name JSON Pointer paths. */
export class HsdsInvalid extends DomainError {
  constructor(fields: FieldProblem[], message: string = NetworkErrors.hsdsInvalid.message) {
    super(NetworkErrors.hsdsInvalid.kind, NetworkErrors.hsdsInvalid.code, message, {}, fields);
  }
}

/**
 * Checks a document against the standard's own schemas. Each problem names the JSON Pointer
 * of the bad field (e.g. `/services/0/id`) and says what is wrong, never what the value was.
 */
export function validateHsds(kind: HsdsKind, doc: unknown): FieldProblem[] {
  const validate = hsdsValidator(kind);
  if (validate(doc)) return [];
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error);
    const key = `${problem.field} ${problem.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

export function assertHsds(kind: HsdsKind, doc: unknown): void {
  const problems = validateHsds(kind, doc);
  if (problems.length > 0) throw new HsdsInvalid(problems);
}

function toProblem(error: ErrorObject): FieldProblem {
  // A missing property is reported on its parent object; name the missing field itself.
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return { field: `${error.instancePath}/${escape(missing)}`, problem: 'is required' };
  }
  // ajv's messages state the rule ("must be string", "must match format \"uuid\"") and
  // never echo the data, so they are safe to pass on.
  return { field: error.instancePath === '' ? '/' : error.instancePath, problem: error.message ?? error.keyword };
}

const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
