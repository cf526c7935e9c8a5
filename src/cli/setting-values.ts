import { SearchError } from '../errors.js';

/**
 * The checks a setting's value goes through (`name`: the flag or variable that
 * gave it, for the error, which is `invalid_argument`): each turns the text into
 * the setting or says in one line what was expected.
 */

/** A decimal number from `min` to `max` inclusive (`0.8`). */
export function fraction(min: number, max: number) {
  return (name: string, value: string): number => {
    if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new SearchError(
        'invalid_argument',
        `${name} must be a number from ${min} to ${max}, got \`${value.slice(0, 40)}\`.`,
      );
    }
    return Number(value);
  };
}

/** An integer from `min` to `max` inclusive, digits only (`1e3` and `+5` are refused). */
export function integer(min: number, max: number) {
  return (name: string, value: string): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new SearchError('invalid_argument', `${name} must be an integer from ${min} to ${max}, got \`${value}\`.`);
    }
    return Number(value);
  };
}

/** One of `choices`, exactly. */
export function oneOf<T extends string>(choices: readonly T[]) {
  return (name: string, value: string): T => {
    if (!(choices as readonly string[]).includes(value))
      throw new SearchError('invalid_argument', `${name} must be one of ${choices.join(', ')}, got \`${value}\`.`);
    return value as T;
  };
}

/** `true` or `false`. */
export const boolean = (name: string, value: string): boolean =>
  oneOf(['true', 'false'] as const)(name, value) === 'true';

/** Any value but the empty one. */
export function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw new SearchError('invalid_argument', `${name} must not be empty.`);
  return value;
}

/** An API key: none when empty; otherwise 16 to 256 visible ASCII characters (it travels in a header). */
export function apiKey(name: string, value: string): string | null {
  if (value === '') return null;
  if (!/^[\x21-\x7e]{16,256}$/.test(value))
    throw new SearchError(
      'invalid_argument',
      `${name} must be 16 to 256 visible ASCII characters (no spaces); the value given is not (it is not shown).`,
    );
  return value;
}

/** A PostgreSQL connection URL (`postgres://` or `postgresql://`); its password is never echoed. */
export function postgresUrl(name: string, value: string): string {
  if (!/^postgres(ql)?:\/\//.test(value))
    throw new SearchError(
      'invalid_argument',
      `${name} must be a postgres:// or postgresql:// URL (the value given is not shown).`,
    );
  return value;
}

/** Comma-separated origins; `*` allows any. Empty items dropped. */
export function parseOrigins(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
