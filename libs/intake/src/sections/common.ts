/**
 * Building blocks shared by the intake section shapes. Messages name the field and the rule,
 * never the submitted value (FieldProblem in @harbour/kernel).
 */
import { applyDecorators } from '@nestjs/common';
import { IsString, Length, Matches, ValidateBy, type ValidationOptions, buildMessage } from 'class-validator';
import { LANGUAGE_PATTERN } from '@harbour/vocabulary';

/** Age bands used where an exact date of birth is unknown or withheld (also used by referral notices). */
export const AGE_BANDS = ['0-4', '5-11', '12-17', '18-24', '25-34', '35-49', '50-64', '65+', 'unknown'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (1900–2199). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2199) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar date as `YYYY-MM-DD`. */
export const IsIsoDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isIsoDate',
      validator: {
        validate: (value) => isIsoDate(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a calendar date as YYYY-MM-DD`, options),
      },
    },
    options,
  );

/** A BCP 47 language tag (`en`, `es`, `tl`, `pt-BR`). */
export const IsLanguageTag = (options?: ValidationOptions) =>
  applyDecorators(
    IsString(options),
    Length(2, 35, options),
    Matches(LANGUAGE_PATTERN, {
      ...options,
      message: `${options?.each ? 'each value in ' : ''}$property must be a BCP 47 language tag`,
    }),
  );

/** ISO 3166-1 alpha-2 country code, upper case (`CA`, `PH`). */
export const IsCountryCode = () => Matches(/^[A-Z]{2}$/, { message: '$property must be an ISO 3166-1 alpha-2 code' });

/** Free text of bounded length; empty strings are refused (omit the field instead). */
export const IsText = (max: number, options?: ValidationOptions) =>
  applyDecorators(IsString(options), Length(1, max, options));

/** A phone number as people write it: digits, spaces, `+ ( ) - .`, 6–30 characters. */
export const IsPhone = () =>
  Matches(/^\+?[0-9][0-9 ().-]{4,28}[0-9]$/, { message: '$property must be a phone number' });

/**
 * Refuses this field when `other` is also given (e.g. `ageBand` with `dateOfBirth`): two
 * sources for the same fact drift apart.
 */
export const NotTogetherWith = (other: string, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'notTogetherWith',
      constraints: [other],
      validator: {
        validate: (value, args) =>
          value === undefined || (args?.object as Record<string, unknown>)[other] === undefined,
        defaultMessage: buildMessage(() => `give either $property or $constraint1, not both`, options),
      },
    },
    options,
  );

/** True for a finite number with at most `places` decimals; exponent notation (5e-324, 1e-7) included. */
export function hasAtMostDecimals(value: unknown, places: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value;
}

/**
 * At most `places` decimals. class-validator's `IsNumber({ maxDecimalPlaces })` splits the
 * number's text on '.', and threw a TypeError (a 500) on any number JavaScript writes with an
 * exponent, such as 5e-324 (found by the fuzz suite).
 */
export const MaxDecimalPlaces = (places: number, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'maxDecimalPlaces',
      constraints: [places],
      validator: {
        validate: (value) => hasAtMostDecimals(value, places),
        defaultMessage: buildMessage((each) => `${each}$property must have at most ${places} decimal places`, options),
      },
    },
    options,
  );
