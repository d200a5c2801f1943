/**
 * The suggested organisation (OV/EV): Sectigo's guess at the organisation
 * behind an order. The encoding of suggestedOrgDetails is not published, so
 * this reads every shape public clients have seen.
 */
import type { OrganizationMatch, SuggestedOrganization } from './domain.js';
import { FieldReader, isBlank, parseSuggestedStatus } from './field-reader.js';
import { flattenJson } from './wire.js';

const MATCH_FIELDS = {
  organizationName: 'organizationName',
  streetAddress: 'streetAddress',
  locality: 'localityName',
  stateOrProvince: 'stateOrProvinceName',
  postalCode: 'postalCode',
  country: 'countryName',
  dunsNumber: 'dunsNumber',
  telephone: 'telephoneNumber',
} as const satisfies Record<keyof OrganizationMatch, string>;

const MATCH_FIELD_NAMES: ReadonlySet<string> = new Set(Object.values(MATCH_FIELDS));

function mapMatch(r: FieldReader, prefix = ''): OrganizationMatch {
  const read = (name: string) => r.string(`${prefix}${name}`);
  return {
    organizationName: read(MATCH_FIELDS.organizationName),
    streetAddress: read(MATCH_FIELDS.streetAddress),
    locality: read(MATCH_FIELDS.locality),
    stateOrProvince: read(MATCH_FIELDS.stateOrProvince),
    postalCode: read(MATCH_FIELDS.postalCode),
    country: read(MATCH_FIELDS.country),
    dunsNumber: read(MATCH_FIELDS.dunsNumber),
    telephone: read(MATCH_FIELDS.telephone),
  };
}

/**
 * The encoding of suggestedOrgDetails is not published. Accepted: a bare
 * status word; a nested url-encoded or JSON value with `status` and match
 * fields (optionally `N_`-indexed); and match fields as sibling order keys.
 */
export function mapSuggestedOrganization(r: FieldReader, orderFields: ReadonlyMap<string, string>): SuggestedOrganization | null {
  const hasSiblings = [...MATCH_FIELD_NAMES].some((name) => orderFields.has(name));
  if (!orderFields.has('suggestedOrgDetails') && !hasSiblings) return null;

  const raw = r.string('suggestedOrgDetails');
  const nested = raw === null ? new Map<string, string>() : nestedFields(raw);
  let rawStatus: string | null = null;
  const matches: OrganizationMatch[] = [];
  if (raw !== null) {
    const statusKey = [...nested.keys()].find((key) => key.toLowerCase() === 'status');
    rawStatus = statusKey === undefined ? (nested.size === 0 ? raw.trim() : null) : (nested.get(statusKey) ?? null);
    const inner = new FieldReader(nested);
    const prefixes = new Set<string>();
    for (const key of nested.keys()) {
      const m = /^((?:[0-9]+_)*)([A-Za-z]+)$/.exec(key);
      if (m !== null && MATCH_FIELD_NAMES.has(m[2] as string)) prefixes.add(m[1] as string);
    }
    for (const prefix of [...prefixes].sort(byIndexPath)) matches.push(mapMatch(inner, prefix));
  }
  if (hasSiblings) matches.push(mapMatch(r));
  return {
    status: rawStatus === null ? null : (parseSuggestedStatus(rawStatus) ?? null),
    rawStatus: rawStatus === null || isBlank(rawStatus) ? null : rawStatus,
    raw,
    matches,
  };
}

/** `2_` before `10_`: match prefixes are index paths, compared as numbers (a plain sort puts `10_` before `1_`). */
function byIndexPath(a: string, b: string): number {
  const x = a
    .split('_')
    .filter((part) => part !== '')
    .map(Number);
  const y = b
    .split('_')
    .filter((part) => part !== '')
    .map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return x.length - y.length;
}

function nestedFields(raw: string): Map<string, string> {
  const text = raw.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object') return new Map(flattenJson(parsed as Record<string, unknown>));
    } catch {
      // Not JSON after all (or nested too deeply): fall through to the other shapes.
    }
  }
  if (text.includes('=')) return new Map(new URLSearchParams(text));
  return new Map();
}
