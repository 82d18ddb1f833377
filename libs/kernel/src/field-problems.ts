import type { ValidationError } from 'class-validator';
import type { FieldProblem } from './domain-error.js';

/** A field name shown back to the caller: only a plain name (the key is the caller's text). */
const PLAIN_KEY = /^[a-z][A-Za-z0-9_]{0,39}$/;

/** The field name validation reports for an unknown property: only a plain name is shown. */
export const shownKey = (key: string): string | null => (PLAIN_KEY.test(key) ? key : null);

/**
 * Flatten class-validator's tree into dotted field paths; values are never echoed. Used by the
 * API's validation pipe and by CLI commands that validate files with the same DTOs.
 */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    // An unknown property is named only when its name is a plain field name: a JSON document
    // sent as a form came back as one long "field name".
    if (error.constraints?.whitelistValidation && shownKey(error.property) === null) {
      return [{ field: parent || '(body)', problem: 'has a property that should not exist (its name is not shown)' }];
    }
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((problem) => ({ field, problem }));
    return own.concat(fieldProblems(error.children ?? [], field));
  });
}
