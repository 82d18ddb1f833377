import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldProblem, ValidationFailed } from '@harbour/kernel';
import { shownKey } from './json-body.js';

/** Flatten class-validator's tree into dotted field paths; values are never echoed. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    // An unknown property is named only when its name is a plain field name: the key is the
    // caller's text (a JSON document sent as a form came back as one long "field name").
    if (error.constraints?.whitelistValidation && shownKey(error.property) === null) {
      return [{ field: parent || '(body)', problem: 'has a property that should not exist (its name is not shown)' }];
    }
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((problem) => ({ field, problem }));
    return own.concat(fieldProblems(error.children ?? [], field));
  });
}

export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(fieldProblems(errors)),
  });
