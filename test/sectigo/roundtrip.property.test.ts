import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/sectigo/domain.js';
import { mapCertificate } from '../../src/sectigo/mapping.js';
import {
  decodeBytes,
  decodeText,
  encodeWire,
  mediaTypeFor,
  type ResponseFormat,
  type WireCertificate,
  type WireOrder,
  type WireResponse,
} from '../../src/sectigo/wire.js';

// ---------------------------------------------------------------------------
// Wire round trip
// ---------------------------------------------------------------------------

/** A name the upstream could send: letters and digits, not starting with a digit. */
const fieldName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,15}$/);

const awkward = fc.constantFrom(
  '&',
  '=',
  '+',
  '%',
  "'",
  '"',
  '%2B',
  '%25',
  '%2*',
  ' ',
  '\n',
  '\t',
  'é',
  '😀',
  '🔒',
  'a',
  '0',
  ',',
  ';',
  '#',
  '?',
);
const wireValue = fc.oneof(
  fc.constant(''),
  fc.string({ unit: awkward, maxLength: 12 }),
  // Whole code points: lone surrogates cannot travel in a UTF-8 body.
  fc.string({ unit: 'binary', maxLength: 16 }),
);

const fieldMap = (minKeys: number) =>
  fc.dictionary(fieldName, wireValue, { minKeys, maxKeys: 5 }).map((record) => new Map(Object.entries(record)));

/** Mostly small indexes, sometimes large ones (up to the nine digits the decoder accepts). */
const wireIndex = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 999_999_999 }));

// A certificate or order with no key at all does not exist on the wire, so none is generated.
const wireCertificate: fc.Arbitrary<WireCertificate> = fc.record({ index: wireIndex, fields: fieldMap(1) });

const wireOrder: fc.Arbitrary<WireOrder> = fc
  .record({
    index: wireIndex,
    fields: fieldMap(0),
    certificates: fc.uniqueArray(wireCertificate, { selector: (c) => c.index, maxLength: 4 }),
  })
  .filter((order) => order.fields.size > 0 || order.certificates.length > 0);

const wireResponse: fc.Arbitrary<WireResponse> = fc.record({
  errorCode: fc.oneof(fc.constantFrom(0, -4, -16, 14), fc.integer({ min: -999_999_999, max: 999_999_999 })),
  errorMessage: fc.option(wireValue, { nil: undefined }),
  orders: fc.uniqueArray(wireOrder, { selector: (o) => o.index, maxLength: 4 }),
  extra: fc
    .dictionary(
      fieldName.filter((name) => name !== 'errorCode' && name !== 'errorMessage'),
      wireValue,
      { maxKeys: 3 },
    )
    .map((record) => new Map(Object.entries(record))),
});

/** Content only: orders and certificates by index, fields by name. */
function content(response: WireResponse) {
  const sortedFields = (fields: ReadonlyMap<string, string>) => [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    errorCode: response.errorCode,
    errorMessage: response.errorMessage,
    extra: sortedFields(response.extra),
    orders: [...response.orders]
      .sort((a, b) => a.index - b.index)
      .map((order) => ({
        index: order.index,
        fields: sortedFields(order.fields),
        certificates: [...order.certificates]
          .sort((a, b) => a.index - b.index)
          .map((c) => ({ index: c.index, fields: sortedFields(c.fields) })),
      })),
  };
}

describe('encodeWire and decodeText', () => {
  it.each([1, 2] satisfies ResponseFormat[])('give back the same answer in responseFormat=%i', (format) => {
    fc.assert(
      fc.property(wireResponse, (response) => {
        const body = encodeWire(response, format);
        expect(content(decodeText(body, mediaTypeFor(format)))).toEqual(content(response));
      }),
      { numRuns: 150 },
    );
  });

  it.each([1, 2] satisfies ResponseFormat[])(
    'give back the same answer from UTF-8 bytes with no content type in responseFormat=%i',
    (format) => {
      fc.assert(
        fc.property(wireResponse, (response) => {
          const bytes = new TextEncoder().encode(encodeWire(response, format));
          expect(content(decodeBytes(bytes, undefined))).toEqual(content(response));
        }),
        { numRuns: 100 },
      );
    },
  );
});

// ---------------------------------------------------------------------------
// mapCertificate keeps every key
// ---------------------------------------------------------------------------

type Kind = 'text' | 'list' | 'streetLine' | 'state' | 'unix' | 'dateOrTime' | 'count' | 'integer' | 'accountType' | 'swpActive';

interface KnownField {
  readonly kind: Kind;
  /** Where the mapped certificate represents this key (undefined when the enclosing object is missing). */
  readonly read: (c: Certificate) => unknown;
}

/** Every certificate field of both doc pages and Sectigo's VMC sample, with where the domain object keeps it. */
const KNOWN: Readonly<Record<string, KnownField>> = {
  serialNumber: { kind: 'text', read: (c) => c.serialNumber },
  objectType: { kind: 'text', read: (c) => c.type },
  FQDN: { kind: 'list', read: (c) => c.domains },
  certificateStatus: { kind: 'text', read: (c) => c.status },
  certificateStatusReason: { kind: 'text', read: (c) => c.statusReason },
  notBefore: { kind: 'unix', read: (c) => c.validity?.start },
  notAfter: { kind: 'unix', read: (c) => c.validity?.end },
  certificateDuration: { kind: 'count', read: (c) => c.validity?.durationDays },
  productTermStartDate: { kind: 'unix', read: (c) => c.productTerm?.start },
  productTermEndDate: { kind: 'unix', read: (c) => c.productTerm?.end },
  productTermDuration: { kind: 'count', read: (c) => c.productTerm?.durationDays },
  csrStatus: { kind: 'state', read: (c) => c.validation?.csr },
  dcvStatus: { kind: 'state', read: (c) => c.validation?.dcv },
  ovCallBackStatus: { kind: 'state', read: (c) => c.validation?.ovCallBack },
  organizationValidationStatus: { kind: 'state', read: (c) => c.validation?.organization },
  freeDVUPStatus: { kind: 'state', read: (c) => c.validation?.freeDvUpgrade },
  evClickThroughStatus: { kind: 'state', read: (c) => c.validation?.evClickThrough },
  caaStatus: { kind: 'state', read: (c) => c.validation?.caa },
  upsTrackingID: { kind: 'text', read: (c) => c.shipping?.upsTrackingId },
  shippingOrganizationName: { kind: 'text', read: (c) => c.shipping?.organizationName },
  shippingOrganizationalUnitName: { kind: 'text', read: (c) => c.shipping?.organizationalUnitName },
  shippingStreetAddress1: { kind: 'streetLine', read: (c) => c.shipping?.streetAddress },
  shippingStreetAddress2: { kind: 'streetLine', read: (c) => c.shipping?.streetAddress },
  shippingStreetAddress3: { kind: 'streetLine', read: (c) => c.shipping?.streetAddress },
  shippingLocalityName: { kind: 'text', read: (c) => c.shipping?.locality },
  shippingStateOrProvinceName: { kind: 'text', read: (c) => c.shipping?.stateOrProvince },
  shippingPostalCode: { kind: 'text', read: (c) => c.shipping?.postalCode },
  shippingCountry: { kind: 'text', read: (c) => c.shipping?.country },
  shippingTitle: { kind: 'text', read: (c) => c.shipping?.contact?.title },
  shippingForename: { kind: 'text', read: (c) => c.shipping?.contact?.forename },
  shippingSurname: { kind: 'text', read: (c) => c.shipping?.contact?.surname },
  shippingEmail: { kind: 'text', read: (c) => c.shipping?.contact?.email },
  shippingPhone: { kind: 'text', read: (c) => c.shipping?.contact?.phone },
  licenceStatus: { kind: 'text', read: (c) => c.license?.status },
  licenceSyncStatus: { kind: 'text', read: (c) => c.license?.syncStatus },
  licenceRejectionSource: { kind: 'text', read: (c) => c.license?.rejectionSource },
  licenceStatusReason: { kind: 'text', read: (c) => c.license?.statusReason },
  qualysMerchantID: { kind: 'text', read: (c) => c.license?.hackerGuardian?.merchantId },
  qualysLoginName: { kind: 'text', read: (c) => c.license?.hackerGuardian?.loginName },
  qualysCompanyName: { kind: 'text', read: (c) => c.license?.hackerGuardian?.companyName },
  qualysAccountType: { kind: 'accountType', read: (c) => c.license?.hackerGuardian?.accountType },
  qualysIPsPurchased: { kind: 'count', read: (c) => c.license?.hackerGuardian?.ipsPurchased },
  qualysIPsAdded: { kind: 'count', read: (c) => c.license?.hackerGuardian?.ipsAdded },
  qualysCreationDate: { kind: 'dateOrTime', read: (c) => c.license?.hackerGuardian?.createdAt },
  qualysExpirationDate: { kind: 'dateOrTime', read: (c) => c.license?.hackerGuardian?.expiresAt },
  swpID: { kind: 'text', read: (c) => c.license?.webPlatform?.userId },
  swpActive: { kind: 'swpActive', read: (c) => c.license?.webPlatform?.active },
  swpUserEmail: { kind: 'text', read: (c) => c.license?.webPlatform?.userEmail },
  swpPartnerID: { kind: 'text', read: (c) => c.license?.webPlatform?.partnerId },
  slId: { kind: 'text', read: (c) => c.license?.siteLock?.userId },
  slSiteIds: { kind: 'list', read: (c) => c.license?.siteLock?.siteIds },
  trademarkOffice: { kind: 'text', read: (c) => c.trademark?.office },
  trademarkIdentifier: { kind: 'text', read: (c) => c.trademark?.identifier },
  trademarkCountryName: { kind: 'text', read: (c) => c.trademark?.countryName },
  trademarkCountry2CharCode: { kind: 'text', read: (c) => c.trademark?.countryCode },
  logoHostedByCA: { kind: 'integer', read: (c) => c.trademark?.logoHostedByCA },
};
const KNOWN_NAMES = Object.keys(KNOWN);

const STATE_CODES: Readonly<Record<string, string>> = { NOT_REQUIRED: '-1', NOT_COMPLETED: '0', COMPLETED: '1', IN_PROGRESS: '2' };
const ACCOUNT_CODES: Readonly<Record<string, string>> = { CUSTOMER: 'C', PROSPECT: 'P' };

const isBlank = (value: string) => value.trim() === '';
const listItems = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
const isUnixSecondsOf = (read: unknown, raw: string) => typeof read === 'string' && Date.parse(read) === Number(raw.trim()) * 1000;

/** Whether `read` faithfully represents the upstream value `raw`, read back in upstream terms. */
function represents(kind: Kind, read: unknown, raw: string): boolean {
  switch (kind) {
    case 'text':
      return read === raw;
    case 'list':
      return Array.isArray(read) && JSON.stringify(read) === JSON.stringify(listItems(raw));
    case 'streetLine':
      return Array.isArray(read) && read.includes(raw);
    case 'state':
      return typeof read === 'string' && STATE_CODES[read] === raw.trim();
    case 'unix':
      return isUnixSecondsOf(read, raw);
    case 'dateOrTime':
      return read === raw.trim() || isUnixSecondsOf(read, raw);
    case 'count':
    case 'integer':
      return typeof read === 'number' && read === Number(raw.trim());
    case 'accountType':
      return typeof read === 'string' && ACCOUNT_CODES[read] === raw.trim().toUpperCase();
    case 'swpActive':
      return typeof read === 'boolean' && (read ? '0' : '1') === raw.trim();
  }
}

/** Nothing represented: a missing object, null, or an empty list. */
function representsNothing(kind: Kind, read: unknown, raw: string): boolean {
  if (read === undefined || read === null) return true;
  if (kind === 'streetLine') return Array.isArray(read) && !read.includes(raw);
  return Array.isArray(read) && read.length === 0;
}

const padded = (arbitrary: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('', ' '), arbitrary, fc.constantFrom('', ' ')).map(([a, value, b]) => `${a}${value}${b}`);

const validValue: Record<Kind, fc.Arbitrary<string>> = {
  text: fc.string({ maxLength: 12 }),
  list: fc
    .tuple(fc.array(fc.oneof(fc.domain(), fc.constantFrom('', ' ')), { maxLength: 4 }), fc.constantFrom(',', ', ', ' ,'))
    .map(([items, separator]) => items.join(separator)),
  streetLine: fc.string({ maxLength: 12 }),
  state: padded(fc.constantFrom('-1', '0', '1', '2')),
  unix: padded(fc.integer({ min: 0, max: 4_102_444_800 }).map(String)),
  dateOrTime: fc.oneof(
    fc.integer({ min: 0, max: 4_102_444_800 }).map(String),
    fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString().replace('T', ' ').slice(0, 19)),
  ),
  count: padded(fc.nat({ max: 100_000 }).map(String)),
  integer: padded(fc.integer({ min: -5, max: 5 }).map(String)),
  accountType: padded(fc.constantFrom('C', 'P', 'c', 'p')),
  swpActive: padded(fc.constantFrom('0', '1')),
};

const invalidValue = fc.oneof(
  fc.constantFrom('', '  ', 'abc', '3', '-2', '1.5', '1e9', '0x1', 'X', 'true', '٣', '2025/01/01', '-', 'NaN', '9999999999999'),
  fc.string({ maxLength: 10 }),
);

const knownEntries = fc
  .subarray(KNOWN_NAMES, { minLength: 0 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc.oneof(validValue[KNOWN[name]?.kind ?? 'text'], invalidValue).map((value): [string, string] => [name, value]),
      ),
    ),
  );

/** Unknown names, some sharing a prefix with known groups so they reach the group mappers. */
const unknownName = fc
  .oneof(
    fieldName,
    fc
      .tuple(fc.constantFrom('shipping', 'qualys', 'swp', 'sl', 'licence', 'trademark', 'productTerm', 'certificate'), fieldName)
      .map(([p, n]) => p + n),
  )
  .filter((name) => !Object.hasOwn(KNOWN, name));

const certificateFields = fc
  .tuple(knownEntries, fc.array(fc.tuple(unknownName, fc.oneof(wireValue, invalidValue)), { maxLength: 3 }))
  .chain(([known, unknown]) => fc.shuffledSubarray([...known, ...unknown], { minLength: known.length + unknown.length }))
  .map((entries) => new Map(entries));

describe('mapCertificate', () => {
  it('never throws and represents every key it was given, or lists it in otherFields', () => {
    fc.assert(
      fc.property(certificateFields, fc.integer({ min: 1, max: 1000 }), (fields, index) => {
        const c = mapCertificate({ index, fields });
        expect(c.index).toBe(index);

        const others = new Map(c.otherFields.map((field) => [field.name, field.value]));
        expect(others.size).toBe(c.otherFields.length);
        for (const [name, value] of others) expect(fields.get(name)).toBe(value);

        for (const [name, value] of fields) {
          const known = KNOWN[name];
          if (known === undefined) {
            expect(others.get(name), `unknown key ${name} kept`).toBe(value);
            continue;
          }
          const read = known.read(c);
          if (others.has(name)) {
            // Listed as-is because it could not be represented: then it must not be half-represented too.
            expect(isBlank(value), `${name}=${JSON.stringify(value)} blank yet in otherFields`).toBe(false);
            expect(representsNothing(known.kind, read, value), `${name}=${JSON.stringify(value)} both listed and mapped`).toBe(true);
          } else if (isBlank(value)) {
            expect(representsNothing(known.kind, read, value), `${name}=${JSON.stringify(value)} blank but mapped`).toBe(true);
          } else {
            expect(represents(known.kind, read, value), `${name}=${JSON.stringify(value)} dropped: mapped to ${JSON.stringify(read)}`).toBe(
              true,
            );
          }
        }

        const lines = ['shippingStreetAddress1', 'shippingStreetAddress2', 'shippingStreetAddress3'].flatMap((name) => {
          const line = fields.get(name);
          return line === undefined || isBlank(line) ? [] : [line];
        });
        if (lines.length > 0) expect(c.shipping?.streetAddress).toEqual(lines);
      }),
      { numRuns: 400 },
    );
  });
});
