import type { ErrorSpec } from './domain-error.js';

export const PROBLEMS = 'harbour:problems';

/**
 * The catalogue entries a route (or every route of a controller) may answer with, beyond the
 * ones the API derives from the route's own metadata (sign-in, roles, case access, input).
 * apps/api lists them as the route's problem+json responses in OpenAPI, and the e2e tests
 * fail when a route answers a code it does not list.
 */
export function Problems(...specs: ErrorSpec[]): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const on = (descriptor?.value as object | undefined) ?? target;
    const prior = (Reflect.getMetadata(PROBLEMS, on) as ErrorSpec[] | undefined) ?? [];
    Reflect.defineMetadata(PROBLEMS, [...prior, ...specs], on);
  };
}

/** What a handler declares, its controller's declarations included. */
export const declaredProblems = (handler: object, controller: object): ErrorSpec[] => [
  ...((Reflect.getMetadata(PROBLEMS, controller) as ErrorSpec[] | undefined) ?? []),
  ...((Reflect.getMetadata(PROBLEMS, handler) as ErrorSpec[] | undefined) ?? []),
];

const EXAMPLES = new Map<string, { type: abstract new (...args: never[]) => unknown; example: object }>();

/**
 * A synthetic example request body for a DTO class, shown in OpenAPI next to its schema. The
 * OpenAPI test checks every example passes the class's own validation, so none goes stale.
 */
export function BodyExample(example: object): ClassDecorator {
  return (target) => {
    EXAMPLES.set(target.name, { type: target as unknown as abstract new (...args: never[]) => unknown, example });
  };
}

/** Every example registered with @BodyExample, by class name. */
export const bodyExamples = (): ReadonlyMap<
  string,
  { type: abstract new (...args: never[]) => unknown; example: object }
> => EXAMPLES;
