import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { fieldProblems, ValidationFailed } from '@harbour/kernel';

/**
 * Nest's pipe reports a body that is not an object at all (`"7"`, `[]`) as a field named after
 * the argument's type (`body`), which is no field of the request: name it `(body)`, as the JSON
 * limits do (found by the fuzz suite).
 */
const NOT_AN_OBJECT = 'Validation failed (object is expected)';
const wholeArgument = (errors: ValidationError[]): ValidationError[] =>
  errors.map((e) =>
    e.constraints?.isObject === NOT_AN_OBJECT && (e.property === 'body' || e.property === 'query')
      ? { ...e, property: `(${e.property})`, constraints: { isObject: `must be a JSON object` } }
      : e,
  );

export const validationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(fieldProblems(wholeArgument(errors))),
  });
