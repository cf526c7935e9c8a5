import type { ErrorCode } from '../error-codes.js';
import { SearchError } from '../errors.js';
import { parseIsoDate } from './parse-iso-date.js';
import type { QueryParams } from './parse-query-string.js';
import { quoteValue } from './quote-value.js';

interface ParamBase {
  /** The query-string key. */
  name: string;
  /** The error code of a bad value (`invalid_search_page`). */
  code: ErrorCode;
}

/** A free-text parameter given at most once; at most `maxLength` UTF-16 units. */
export interface StringParam extends ParamBase {
  kind: 'string';
  maxLength: number;
  default: string;
}

/** A decimal integer given at most once, `min`–`max` inclusive. */
export interface IntegerParam extends ParamBase {
  kind: 'integer';
  min: number;
  max: number;
  default: number;
}

/** One of a fixed set of values (case-sensitive), given at most once. */
export interface EnumParam<T extends string = string> extends ParamBase {
  kind: 'enum';
  values: readonly T[];
  default: T;
}

/** An ISO 8601 date or date-time given at most once (see `parseIsoDate`); `bound` says which end of a date-only day. */
export interface DateParam extends ParamBase {
  kind: 'date';
  bound: 'start' | 'end';
}

/** A repeatable parameter: at most `maxValues` values, each at most `maxLength` UTF-16 units; empty values are skipped. */
export interface ListParam extends ParamBase {
  kind: 'list';
  maxLength: number;
  maxValues: number;
}

/** A comma-separated subset of `values`, given at most once; empty items are skipped, repeats kept once. */
export interface CsvParam<T extends string = string> extends ParamBase {
  kind: 'csv';
  values: readonly T[];
}

/** The description of one query parameter, which the validator enforces and the OpenAPI document must match. */
export type ParamSpec = StringParam | IntegerParam | EnumParam | DateParam | ListParam | CsvParam;

const INTEGER = /^(0|[1-9][0-9]{0,8})$/;

function list(values: readonly string[]): string {
  return values.map((v) => `\`${v}\``).join(', ');
}

/**
 * Reads typed parameters out of a parsed query string, throwing
 * `SearchError(spec.code)` with a message that names the parameter and quotes the
 * bad value. Only parameters in `declared` may be read (reading another one is a
 * programming error, so the route's declared list, which the OpenAPI document is
 * tested against, cannot drift from what it reads). Keys not declared are ignored.
 */
export class ParamReader {
  /** Base name → first bracketed key (`q[]`, `q[a]`): how qs-style clients send an array or an object. */
  private readonly bracketed = new Map<string, string>();

  constructor(
    private readonly query: QueryParams,
    private readonly declared: readonly ParamSpec[],
  ) {
    for (const key of query.keys()) {
      const match = /^([^[\]]+)\[/.exec(key);
      if (match && !this.bracketed.has(match[1]!)) this.bracketed.set(match[1]!, key);
    }
  }

  /** Throws when a declared parameter also comes as an array or object (`q[]=x`, `q[a]=x`). */
  private rejectStructured(spec: ParamSpec): void {
    const key = this.bracketed.get(spec.name);
    if (key === undefined) return;
    const shape = spec.kind === 'list' ? 'repeated values' : 'a single value';
    throw new SearchError(
      spec.code,
      `\`${spec.name}\` must be given as ${shape}, not as an array or object (\`${quoteValue(key)}\`).`,
    );
  }

  /** The raw value of a single-valued parameter, or undefined when absent. Throws when it is given twice. */
  private single(spec: ParamSpec): string | undefined {
    if (!this.declared.includes(spec)) throw new Error(`parameter ${spec.name} is read but not declared`);
    this.rejectStructured(spec);
    const values = this.query.get(spec.name);
    if (values === undefined) return undefined;
    if (values.length > 1) {
      throw new SearchError(spec.code, `\`${spec.name}\` must be given once, got ${values.length} values.`);
    }
    return values[0];
  }

  /** The string value, or the default when absent. */
  string(spec: StringParam): string {
    const value = this.single(spec);
    if (value === undefined) return spec.default;
    if (value.length > spec.maxLength) {
      throw new SearchError(
        spec.code,
        `\`${spec.name}\` must be at most ${spec.maxLength} characters, got ${value.length}: \`${quoteValue(value)}\`.`,
      );
    }
    return value;
  }

  /** The integer value, or the default when absent. Only plain decimal digits, no sign, no leading zeros. */
  integer(spec: IntegerParam): number {
    const value = this.single(spec);
    if (value === undefined) return spec.default;
    const n = INTEGER.test(value) ? Number(value) : NaN;
    if (!(n >= spec.min && n <= spec.max)) {
      throw new SearchError(
        spec.code,
        `\`${spec.name}\` must be an integer from ${spec.min} to ${spec.max}, got \`${quoteValue(value)}\`.`,
      );
    }
    return n;
  }

  /** The enum value, or the default when absent. */
  enumValue<T extends string>(spec: EnumParam<T>): T {
    const value = this.single(spec);
    if (value === undefined) return spec.default;
    const known = spec.values.find((v) => v === value);
    if (known === undefined) {
      throw new SearchError(
        spec.code,
        `\`${spec.name}\` must be one of ${list(spec.values)}, got \`${quoteValue(value)}\`.`,
      );
    }
    return known;
  }

  /**
   * The date as ms since the epoch, or null when absent or empty (an HTML form
   * sends a blank date field as `from=`).
   */
  date(spec: DateParam): number | null {
    const value = this.single(spec);
    if (value === undefined || value === '') return null;
    const time = parseIsoDate(value, spec.bound);
    if (time === null) {
      // `+` means a space in a query string, so an unencoded `+02:00` offset arrives as ` 02:00`.
      const hint = value.includes(' ') ? ' Write the `+` of an offset as `%2B`.' : '';
      throw new SearchError(
        spec.code,
        `\`${spec.name}\` must be an ISO 8601 date (\`YYYY-MM-DD\`) or date-time with a zone (\`YYYY-MM-DDTHH:MM:SSZ\`), got \`${quoteValue(value)}\`.${hint}`,
      );
    }
    return time;
  }

  /** The non-empty values of a repeatable parameter, in order. */
  list(spec: ListParam): string[] {
    if (!this.declared.includes(spec)) throw new Error(`parameter ${spec.name} is read but not declared`);
    this.rejectStructured(spec);
    const values = (this.query.get(spec.name) ?? []).filter((v) => v !== '');
    if (values.length > spec.maxValues) {
      throw new SearchError(
        spec.code,
        `\`${spec.name}\` accepts at most ${spec.maxValues} values, got ${values.length}.`,
      );
    }
    for (const value of values) {
      if (value.length > spec.maxLength) {
        throw new SearchError(
          spec.code,
          `\`${spec.name}\` values must be at most ${spec.maxLength} characters, got ${value.length}: \`${quoteValue(value)}\`.`,
        );
      }
    }
    return values;
  }

  /** The distinct items of a comma list, in order; `[]` when absent. */
  csv<T extends string>(spec: CsvParam<T>): T[] {
    const value = this.single(spec);
    if (value === undefined) return [];
    const items: T[] = [];
    for (const item of value.split(',')) {
      if (item === '') continue;
      const known = spec.values.find((v) => v === item);
      if (known === undefined) {
        throw new SearchError(
          spec.code,
          `\`${spec.name}\` must be a comma-separated list of ${list(spec.values)}, got \`${quoteValue(item)}\`.`,
        );
      }
      if (!items.includes(known)) items.push(known);
    }
    return items;
  }
}
