/**
 * Domain types for an order-status answer, mapped once from the wire shape.
 *
 * Rules: empty values are null, empty list items are dropped, UNIX seconds
 * become ISO-8601 UTC. A key is "modelled" only when its value could be
 * represented faithfully; every other key, including a known key whose value
 * did not parse (an enum value Sectigo adds later, say), lands in
 * `otherFields` under its upstream name, so nothing the upstream sends is lost.
 */
import type { DetailLevel } from './detail.js';
import { SectigoError } from './errors.js';
import { flattenJson, type WireCertificate, type WireOrder, type WireResponse } from './wire.js';

export interface Field {
  readonly name: string;
  readonly value: string;
}

export type ValidationState = 'NOT_REQUIRED' | 'NOT_COMPLETED' | 'COMPLETED' | 'IN_PROGRESS';
export type QualysAccountType = 'CUSTOMER' | 'PROSPECT';
export type SuggestedOrganizationStatus = 'FOUND' | 'NOT_FOUND' | 'NOT_YET_COMPLETED' | 'NOT_APPLICABLE';

export interface Period {
  /** ISO-8601 UTC. */
  readonly start: string | null;
  readonly end: string | null;
  readonly durationDays: number | null;
}

export interface ValidationStatus {
  readonly csr: ValidationState | null;
  readonly dcv: ValidationState | null;
  readonly ovCallBack: ValidationState | null;
  readonly organization: ValidationState | null;
  readonly freeDvUpgrade: ValidationState | null;
  readonly evClickThrough: ValidationState | null;
  readonly caa: ValidationState | null;
}

export interface ShippingContact {
  readonly title: string | null;
  readonly forename: string | null;
  readonly surname: string | null;
  readonly email: string | null;
  readonly phone: string | null;
}

export interface ShippingDetails {
  readonly upsTrackingId: string | null;
  readonly organizationName: string | null;
  readonly organizationalUnitName: string | null;
  readonly streetAddress: readonly string[];
  readonly locality: string | null;
  readonly stateOrProvince: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
  readonly contact: ShippingContact | null;
}

export interface HackerGuardianLicense {
  readonly merchantId: string | null;
  readonly loginName: string | null;
  readonly companyName: string | null;
  readonly accountType: QualysAccountType | null;
  readonly ipsPurchased: number | null;
  readonly ipsAdded: number | null;
  /** ISO-8601 UTC when sent as UNIX seconds, otherwise the date as sent. */
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
}

export interface WebPlatformAccount {
  readonly userId: string | null;
  /** swpActive: 0 = active, 1 = disabled. */
  readonly active: boolean | null;
  readonly userEmail: string | null;
  readonly partnerId: string | null;
}

export interface SiteLockAccount {
  readonly userId: string | null;
  readonly siteIds: readonly string[];
}

export interface License {
  readonly status: string | null;
  readonly syncStatus: string | null;
  readonly rejectionSource: string | null;
  readonly statusReason: string | null;
  readonly hackerGuardian: HackerGuardianLicense | null;
  readonly webPlatform: WebPlatformAccount | null;
  readonly siteLock: SiteLockAccount | null;
}

export interface Trademark {
  readonly office: string | null;
  readonly identifier: string | null;
  readonly countryName: string | null;
  readonly countryCode: string | null;
  /** As sent: Sectigo's sample has -1. */
  readonly logoHostedByCA: number | null;
}

export interface Certificate {
  readonly index: number;
  readonly serialNumber: string | null;
  readonly type: string | null;
  readonly domains: readonly string[];
  readonly status: string | null;
  readonly statusReason: string | null;
  readonly validity: Period | null;
  readonly productTerm: Period | null;
  readonly validation: ValidationStatus | null;
  readonly shipping: ShippingDetails | null;
  readonly license: License | null;
  readonly trademark: Trademark | null;
  readonly otherFields: readonly Field[];
}

export interface OrganizationMatch {
  readonly organizationName: string | null;
  readonly streetAddress: string | null;
  readonly locality: string | null;
  readonly stateOrProvince: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
  readonly dunsNumber: string | null;
  readonly telephone: string | null;
}

export interface SuggestedOrganization {
  readonly status: SuggestedOrganizationStatus | null;
  /** The status word as sent. */
  readonly rawStatus: string | null;
  /** The whole suggestedOrgDetails value as sent: its encoding is undocumented. */
  readonly raw: string | null;
  readonly matches: readonly OrganizationMatch[];
}

export interface Order {
  readonly index: number;
  readonly orderNumber: string | null;
  /** As sent, e.g. `2025-06-11 11:57`: minutes, no time zone. */
  readonly orderedAt: string | null;
  readonly status: string | null;
  readonly statusReason: string | null;
  readonly suggestedOrganization: SuggestedOrganization | null;
  readonly certificates: readonly Certificate[];
  readonly otherFields: readonly Field[];
}

/** One successful answer: the order asked for and, under queryType=2, its replacements. */
export interface OrderStatus {
  readonly order: Order;
  readonly replacementOrders: readonly Order[];
  /** The level the answer was fetched at. */
  readonly level: DetailLevel;
}

/** Reads fields off a wire record, remembering which ones were represented. */
class FieldReader {
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

function isBlank(value: string): boolean {
  return value.trim() === '';
}

const UNSIGNED = /^[0-9]{1,10}$/;
const SIGNED = /^-?[0-9]{1,10}$/;
/** GraphQL Int is 32-bit: a larger value stays raw in otherFields instead of failing the field. */
const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

function parseCount(value: string): number | undefined {
  const n = UNSIGNED.test(value) ? Number(value) : Number.NaN;
  return n <= INT_MAX ? n : undefined;
}

function parseInteger(value: string): number | undefined {
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
function parseDateOrTime(value: string): string | undefined {
  return parseUnixSeconds(value) ?? (/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(value) ? value : undefined);
}

function parseValidationState(value: string): ValidationState | undefined {
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

function parseAccountType(value: string): QualysAccountType | undefined {
  switch (value.toUpperCase()) {
    case 'C':
      return 'CUSTOMER';
    case 'P':
      return 'PROSPECT';
    default:
      return undefined;
  }
}

function parseSwpActive(value: string): boolean | undefined {
  if (value === '0') return true;
  if (value === '1') return false;
  return undefined;
}

function parseSuggestedStatus(value: string): SuggestedOrganizationStatus | undefined {
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

const VALIDATION_FIELDS = {
  csr: 'csrStatus',
  dcv: 'dcvStatus',
  ovCallBack: 'ovCallBackStatus',
  organization: 'organizationValidationStatus',
  freeDvUpgrade: 'freeDVUPStatus',
  evClickThrough: 'evClickThroughStatus',
  caa: 'caaStatus',
} as const satisfies Record<keyof ValidationStatus, string>;

function mapPeriod(r: FieldReader, start: string, end: string, duration: string): Period | null {
  if (!r.has(start, end, duration)) return null;
  return {
    start: r.parsed(start, parseUnixSeconds),
    end: r.parsed(end, parseUnixSeconds),
    durationDays: r.parsed(duration, parseCount),
  };
}

function mapValidation(r: FieldReader): ValidationStatus | null {
  if (!r.has(...Object.values(VALIDATION_FIELDS))) return null;
  return {
    csr: r.parsed(VALIDATION_FIELDS.csr, parseValidationState),
    dcv: r.parsed(VALIDATION_FIELDS.dcv, parseValidationState),
    ovCallBack: r.parsed(VALIDATION_FIELDS.ovCallBack, parseValidationState),
    organization: r.parsed(VALIDATION_FIELDS.organization, parseValidationState),
    freeDvUpgrade: r.parsed(VALIDATION_FIELDS.freeDvUpgrade, parseValidationState),
    evClickThrough: r.parsed(VALIDATION_FIELDS.evClickThrough, parseValidationState),
    caa: r.parsed(VALIDATION_FIELDS.caa, parseValidationState),
  };
}

function mapShipping(r: FieldReader): ShippingDetails | null {
  if (!r.has('upsTrackingID') && !r.hasPrefix('shipping')) return null;
  const contact = r.has('shippingTitle', 'shippingForename', 'shippingSurname', 'shippingEmail', 'shippingPhone')
    ? {
        title: r.string('shippingTitle'),
        forename: r.string('shippingForename'),
        surname: r.string('shippingSurname'),
        email: r.string('shippingEmail'),
        phone: r.string('shippingPhone'),
      }
    : null;
  return {
    upsTrackingId: r.string('upsTrackingID'),
    organizationName: r.string('shippingOrganizationName'),
    organizationalUnitName: r.string('shippingOrganizationalUnitName'),
    streetAddress: ['shippingStreetAddress1', 'shippingStreetAddress2', 'shippingStreetAddress3']
      .map((name) => r.string(name))
      .filter((line): line is string => line !== null),
    locality: r.string('shippingLocalityName'),
    stateOrProvince: r.string('shippingStateOrProvinceName'),
    postalCode: r.string('shippingPostalCode'),
    country: r.string('shippingCountry'),
    contact,
  };
}

function mapLicense(r: FieldReader): License | null {
  if (!r.hasPrefix('licence', 'qualys', 'swp') && !r.has('slId', 'slSiteIds')) return null;
  const hackerGuardian = r.hasPrefix('qualys')
    ? {
        merchantId: r.string('qualysMerchantID'),
        loginName: r.string('qualysLoginName'),
        companyName: r.string('qualysCompanyName'),
        accountType: r.parsed('qualysAccountType', parseAccountType),
        ipsPurchased: r.parsed('qualysIPsPurchased', parseCount),
        ipsAdded: r.parsed('qualysIPsAdded', parseCount),
        createdAt: r.parsed('qualysCreationDate', parseDateOrTime),
        expiresAt: r.parsed('qualysExpirationDate', parseDateOrTime),
      }
    : null;
  const webPlatform = r.hasPrefix('swp')
    ? {
        userId: r.string('swpID'),
        active: r.parsed('swpActive', parseSwpActive),
        userEmail: r.string('swpUserEmail'),
        partnerId: r.string('swpPartnerID'),
      }
    : null;
  const siteLock = r.has('slId', 'slSiteIds') ? { userId: r.string('slId'), siteIds: r.list('slSiteIds', ',') } : null;
  return {
    status: r.string('licenceStatus'),
    syncStatus: r.string('licenceSyncStatus'),
    rejectionSource: r.string('licenceRejectionSource'),
    statusReason: r.string('licenceStatusReason'),
    hackerGuardian,
    webPlatform,
    siteLock,
  };
}

function mapTrademark(r: FieldReader): Trademark | null {
  if (!r.hasPrefix('trademark') && !r.has('logoHostedByCA')) return null;
  return {
    office: r.string('trademarkOffice'),
    identifier: r.string('trademarkIdentifier'),
    countryName: r.string('trademarkCountryName'),
    countryCode: r.string('trademarkCountry2CharCode'),
    logoHostedByCA: r.parsed('logoHostedByCA', parseInteger),
  };
}

export function mapCertificate(wire: WireCertificate): Certificate {
  const r = new FieldReader(wire.fields);
  const certificate = {
    index: wire.index,
    serialNumber: r.string('serialNumber'),
    type: r.string('objectType'),
    // Several FQDNs come comma separated in Sectigo's sample.
    domains: r.list('FQDN', ','),
    status: r.string('certificateStatus'),
    statusReason: r.string('certificateStatusReason'),
    validity: mapPeriod(r, 'notBefore', 'notAfter', 'certificateDuration'),
    productTerm: mapPeriod(r, 'productTermStartDate', 'productTermEndDate', 'productTermDuration'),
    validation: mapValidation(r),
    shipping: mapShipping(r),
    license: mapLicense(r),
    trademark: mapTrademark(r),
  };
  return { ...certificate, otherFields: r.others() };
}

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
function mapSuggestedOrganization(r: FieldReader, orderFields: ReadonlyMap<string, string>): SuggestedOrganization | null {
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
  const x = a.split('_').filter((part) => part !== '').map(Number);
  const y = b.split('_').filter((part) => part !== '').map(Number);
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

export function mapOrder(wire: WireOrder, extra: ReadonlyMap<string, string> = new Map()): Order {
  const r = new FieldReader(wire.fields);
  const order = {
    index: wire.index,
    orderNumber: r.string('orderNumber'),
    orderedAt: r.string('orderDateTime'),
    status: r.string('orderStatus'),
    statusReason: r.string('orderStatusReason'),
    suggestedOrganization: mapSuggestedOrganization(r, wire.fields),
    certificates: wire.certificates.map(mapCertificate),
  };
  const otherFields = r.others();
  for (const [name, value] of extra) otherFields.push({ name, value });
  return { ...order, otherFields };
}

/**
 * A successful answer as domain objects. Index 1 is the order asked for;
 * further indexes are its replacement orders (queryType=2).
 */
export function mapOrderStatus(wire: WireResponse, level: DetailLevel): OrderStatus {
  const [first, ...rest] = wire.orders;
  if (first === undefined) {
    throw new SectigoError('SECTIGO_UNDECODABLE_RESPONSE', 'Sectigo answered with success but no order');
  }
  return {
    // An errorMessage on a success answer is unusual: keep it with the other extras.
    order: mapOrder(first, wire.errorMessage === undefined ? wire.extra : new Map([...wire.extra, ['errorMessage', wire.errorMessage]])),
    replacementOrders: rest.map((order) => mapOrder(order)),
    level,
  };
}
