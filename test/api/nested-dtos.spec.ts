import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { contextModules } from '@harbour/contexts';

/** Validators that refuse `undefined` (and so make a nested field required). */
const REQUIRED = new Set(['isObject', 'isArray', 'isNotEmptyObject']);

interface Metadata {
  type: string;
  name?: string;
  propertyName: string;
  target: object | string;
}

// `@ValidateNested()` alone lets a missing object through as undefined: POST /v1/services without
// `eligibility` reached the decider and failed there (a 500). Every nested field of every DTO is
// either optional or also declares that it must be an object or an array.
describe('DTOs: every required nested object is required', () => {
  const byProperty = new Map<string, Metadata[]>();
  beforeAll(() => {
    expect(contextModules.length).toBeGreaterThan(0); // every context's DTOs are loaded
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<object, Metadata[]> };
    for (const [target, list] of storage.validationMetadatas) {
      for (const m of list) {
        const key = `${(target as { name: string }).name}.${m.propertyName}`;
        byProperty.set(key, [...(byProperty.get(key) ?? []), m]);
      }
    }
  });

  it('finds the nested fields (the check looks at something)', () => {
    const nested = [...byProperty]
      .filter(([, list]) => list.some((m) => m.type === ValidationTypes.NESTED_VALIDATION))
      .map(([k]) => k);
    expect(nested).toEqual(
      expect.arrayContaining(['ServiceDto.eligibility', 'ApplyDto.contact', 'ConsentDto.recipient']),
    );
  });

  it('has no nested field that is neither optional nor required to be an object or array', () => {
    const loose = [...byProperty]
      .filter(([, list]) => list.some((m) => m.type === ValidationTypes.NESTED_VALIDATION))
      .filter(
        ([, list]) =>
          !list.some(
            (m) =>
              m.type === ValidationTypes.CONDITIONAL_VALIDATION ||
              m.type === ValidationTypes.IS_DEFINED ||
              REQUIRED.has(m.name ?? ''),
          ),
      )
      .map(([k]) => k);
    expect(loose).toEqual([]);
  });
});
