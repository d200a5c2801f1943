/**
 * Reading one wire record: a FieldReader remembers which keys were
 * represented (the rest become otherFields), and the parsers say when a value
 * cannot be represented faithfully (it then stays in otherFields too).
 */
import type { Field, QualysAccountType, SuggestedOrganizationStatus, ValidationState } from './domain.js';

/** Reads fields off a wire record, remembering which ones were represented. */
export class FieldReader {
  private readonly used = new Set<string>();
  constructor(private readonly fields: ReadonlyMap<string, string>) {}

  has(...names: string[]): boolean {
    return names.some((name) => this.fields.has(name));
  }

  hasPrefix(...prefixes: string[]): boolean {
    for (const key of this.fields.keys()) if (prefixes.some((p) => key.startsWith(p))) return true;
    return false;
  }

  string(name: string): string | null {
    const value = this.fields.get(name);
    if (value === undefined) return null;
    this.used.add(name);
    return isBlank(value) ? null : value;
  }

  /** A value through `parse`; a value that does not parse stays in otherFields. */
  parsed<T>(name: string, parse: (value: string) => T | undefined): T | null {
    const value = this.fields.get(name);
    if (value === undefined) return null;
    if (isBlank(value)) {
      this.used.add(name);
      return null;
    }
    const result = parse(value.trim());
    if (result === undefined) return null;
    this.used.add(name);
    return result;
  }

  list(name: string, separator: string): string[] {
    const value = this.string(name);
    if (value === null) return [];
    return value
      .split(separator)
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  others(): Field[] {
    const out: Field[] = [];
    for (const [name, value] of this.fields) if (!this.used.has(name)) out.push({ name, value });
    return out;
  }
}

export function isBlank(value: string): boolean {
  return value.trim() === '';
}

const UNSIGNED = /^[0-9]{1,10}$/;
const SIGNED = /^-?[0-9]{1,10}$/;
/** GraphQL Int is 32-bit: a larger value stays raw in otherFields instead of failing the field. */
const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

export function parseCount(value: string): number | undefined {
  const n = UNSIGNED.test(value) ? Number(value) : Number.NaN;
  return n <= INT_MAX ? n : undefined;
}

export function parseInteger(value: string): number | undefined {
  const n = SIGNED.test(value) ? Number(value) : Number.NaN;
  return n >= INT_MIN && n <= INT_MAX ? n : undefined;
}

/** UNIX seconds -> ISO-8601 UTC; anything else does not parse. */
export function parseUnixSeconds(value: string): string | undefined {
  if (!/^[0-9]{1,12}$/.test(value)) return undefined;
  const date = new Date(Number(value) * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** "Date or time of account creation": UNIX seconds when numeric, else an ISO-looking date kept as sent. */
export function parseDateOrTime(value: string): string | undefined {
  return parseUnixSeconds(value) ?? (/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(value) ? value : undefined);
}

export function parseValidationState(value: string): ValidationState | undefined {
  switch (value) {
    case '-1':
      return 'NOT_REQUIRED';
    case '0':
      return 'NOT_COMPLETED';
    case '1':
      return 'COMPLETED';
    case '2':
      return 'IN_PROGRESS';
    default:
      return undefined;
  }
}

export function parseAccountType(value: string): QualysAccountType | undefined {
  switch (value.toUpperCase()) {
    case 'C':
      return 'CUSTOMER';
    case 'P':
      return 'PROSPECT';
    default:
      return undefined;
  }
}

export function parseSwpActive(value: string): boolean | undefined {
  if (value === '0') return true;
  if (value === '1') return false;
  return undefined;
}

export function parseSuggestedStatus(value: string): SuggestedOrganizationStatus | undefined {
  switch (value.toLowerCase().replace(/[^a-z]/g, '')) {
    case 'found':
      return 'FOUND';
    case 'notfound':
      return 'NOT_FOUND';
    case 'notyetcompleted':
      return 'NOT_YET_COMPLETED';
    case 'notapplicable':
      return 'NOT_APPLICABLE';
    default:
      return undefined;
  }
}
