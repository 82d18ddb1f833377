import 'reflect-metadata';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { type FieldProblem, ValidationFailed } from '@harbour/kernel';
import { SECTIONS, type Section, isSection } from '@harbour/consent';
import { ContactSectionDto } from './contact.js';
import { DependantsSectionDto } from './dependants.js';
import { GoalsSectionDto } from './goals.js';
import { HealthSectionDto } from './health.js';
import { HousingSectionDto } from './housing.js';
import { IdentitySectionDto } from './identity.js';
import { ImmigrationSectionDto } from './immigration.js';
import { IncomeSectionDto } from './income.js';
import { LegalSectionDto } from './legal.js';
import { NeedsSectionDto } from './needs.js';
import { PreferencesSectionDto } from './preferences.js';
import { SafetySectionDto } from './safety.js';
import { StorySectionDto } from './story.js';

/** The content type of each section, as stored (plain data, no class instances). */
export interface SectionContents {
  identity: IdentitySectionDto;
  contact: ContactSectionDto;
  safety: SafetySectionDto;
  immigration: ImmigrationSectionDto;
  health: HealthSectionDto;
  legal: LegalSectionDto;
  housing: HousingSectionDto;
  income: IncomeSectionDto;
  dependants: DependantsSectionDto;
  story: StorySectionDto;
  needs: NeedsSectionDto;
  preferences: PreferencesSectionDto;
  goals: GoalsSectionDto;
}
export type SectionContent<S extends Section = Section> = SectionContents[S];

/** The DTO class that validates each section's content. */
export const SECTION_DTOS = {
  identity: IdentitySectionDto,
  contact: ContactSectionDto,
  safety: SafetySectionDto,
  immigration: ImmigrationSectionDto,
  health: HealthSectionDto,
  legal: LegalSectionDto,
  housing: HousingSectionDto,
  income: IncomeSectionDto,
  dependants: DependantsSectionDto,
  story: StorySectionDto,
  needs: NeedsSectionDto,
  preferences: PreferencesSectionDto,
  goals: GoalsSectionDto,
} as const satisfies { [S in Section]: ClassConstructor<SectionContents[S]> } & Record<
  Section,
  ClassConstructor<object>
>;

/** Where section content sits in a request body; every reported field path starts with it. */
export const CONTENT_FIELD = 'content';

/**
 * Path segments come from the client's keys (unknown properties are reported by name). Only keys
 * shaped like our field names (camelCase, up to 40 characters) or array indices are echoed; any
 * other key (spaces, capitals first, punctuation) could be data typed into the wrong place.
 */
const SAFE_SEGMENT = /^[a-z][A-Za-z0-9]{0,39}$|^\d{1,6}$/;
const segment = (property: string) => (SAFE_SEGMENT.test(property) ? property : '(unrecognised)');

/** Flatten class-validator's tree into dotted paths; messages name fields and rules, never values. */
function fieldProblems(errors: ValidationError[], parent: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const name = segment(error.property);
    const field = `${parent}.${name}`;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      problem: constraint === 'whitelistValidation' ? `property ${name} should not exist` : message,
    }));
    return own.concat(fieldProblems(error.children ?? [], field));
  });
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * Validates one section's content as the global ValidationPipe would (whitelist,
 * forbidNonWhitelisted, no implicit conversion) and returns it as plain data, or a
 * ValidationFailed whose field paths start with `content.`. Submitted values are never echoed.
 */
export function validateSection<S extends Section>(section: S, body: unknown): SectionContents[S] | ValidationFailed {
  if (!isSection(section)) {
    return new ValidationFailed([
      { field: 'section', problem: `section must be one of the following values: ${SECTIONS.join(', ')}` },
    ]);
  }
  if (!isPlainObject(body)) {
    return new ValidationFailed([{ field: CONTENT_FIELD, problem: `${CONTENT_FIELD} must be an object` }]);
  }
  const dto = SECTION_DTOS[section] as ClassConstructor<object>;
  const instance = plainToInstance(dto, body);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) return new ValidationFailed(fieldProblems(errors, CONTENT_FIELD));
  return JSON.parse(JSON.stringify(instance)) as SectionContents[S];
}
