/**
 * Seeded demo orders: together they carry every field group the docs list.
 * Order numbers are stable; tests and the demo refer to them by name.
 *
 * | order    | name                 | covers                                                                  |
 * |----------|----------------------|-------------------------------------------------------------------------|
 * | 1000001  | dvIssued             | DV SSL, issued; every gated field; cert id 9007199254740993 (2^53 + 1)  |
 * | 1000002  | ovPendingFound       | OV pending, validation in progress; suggestedOrgDetails as a nested     |
 * |          |                      | url-encoded value `status=Found&1_organizationName=...&2_...`           |
 * | 1000003  | ovPendingSiblings    | OV pending; `status=Found` with the match as order-level sibling keys   |
 * | 1000004  | evClickThrough       | EV SSL awaiting click-through; suggestedOrgDetails NotYetCompleted;     |
 * |          |                      | short (old-account) cert id 4242                                        |
 * | 1000005  | multiDomain          | comma-separated FQDN; two certificates (one revoked, with a reason);    |
 * |          |                      | cert ids 9007199254740995 and 1000000000000005                          |
 * | 1000006  | vmcPending           | VMC pending, shaped like Sectigo's sample (trademark*, logoHostedByCA)  |
 * | 1000007  | codeSigningShipped   | code signing on a shipped token: upsTrackingID and every shipping* field|
 * |          |                      | cert id 9999999999999999                                                |
 * | 1000008  | hackerGuardian       | licence*, qualys*, swp* (swpActive 0), SiteLock (slId, slSiteIds)       |
 * | 1000009  | rejected             | rejected order and certificate, with reasons                           |
 * | 1000010  | withReplacements     | two replacement orders, 1000011 (issued) and 1000012 (pending),         |
 * |          |                      | sent as indexes 2 and 3 under queryType=2                               |
 * | 1000020  | trickyValues         | values needing careful encoding: & = + % ' " newline, Zürich, 東京, 🔐 |
 * | 1000021  | unknownFields        | unknown order and certificate fields, unknown enum values (caaStatus=7, |
 * |          |                      | qualysAccountType=X, swpActive=2), an empty FQDN list item             |
 *
 * Orders 20000000..29999999 are synthetic (see synthetic.ts); every other number is unknown (-4).
 */
import type { SimOrder } from './types.js';

export const DEMO_ORDERS = Object.freeze({
  dvIssued: '1000001',
  ovPendingFound: '1000002',
  ovPendingSiblings: '1000003',
  evClickThrough: '1000004',
  multiDomain: '1000005',
  vmcPending: '1000006',
  codeSigningShipped: '1000007',
  hackerGuardian: '1000008',
  rejected: '1000009',
  withReplacements: '1000010',
  replacementIssued: '1000011',
  replacementPending: '1000012',
  trickyValues: '1000020',
  unknownFields: '1000021',
} as const);

export const DEMO_CERTIFICATE_IDS = Object.freeze({
  /** 2^53 + 1: a JS number would round it to ...992, which is not a certificate. */
  dvIssued: '9007199254740993',
  evClickThrough: '4242',
  multiDomainCurrent: '9007199254740995',
  multiDomainRevoked: '1000000000000005',
  codeSigningShipped: '9999999999999999',
  replacementIssued: '9007199254741011',
} as const);

/** Credentials of the embedded demo upstream (also the CLI's defaults). */
export const DEMO_CREDENTIALS = Object.freeze({ loginName: 'demo', loginPassword: 'demo-password' });

/** The nested value of order 1000002's suggestedOrgDetails, before the outer url-encoding. */
export const NESTED_SUGGESTED_ORG_DETAILS = new URLSearchParams([
  ['status', 'Found'],
  ['1_organizationName', 'Example Widgets Ltd'],
  ['1_streetAddress', '1 Piccadilly Gardens'],
  ['1_localityName', 'Manchester'],
  ['1_stateOrProvinceName', 'Greater Manchester'],
  ['1_postalCode', 'M1 1RG'],
  ['1_countryName', 'GB'],
  ['1_dunsNumber', '123456789'],
  ['1_telephoneNumber', '+44 161 496 0000'],
  ['2_organizationName', 'Example Widgets (Holdings) Ltd'],
  ['2_streetAddress', '2 Deansgate'],
  ['2_localityName', 'Manchester'],
  ['2_stateOrProvinceName', 'Greater Manchester'],
  ['2_postalCode', 'M3 2BW'],
  ['2_countryName', 'GB'],
  ['2_dunsNumber', '987654321'],
  ['2_telephoneNumber', '+44 161 496 0001'],
]).toString();

/** Values that break naive encoders and decoders; exported so tests can compare round trips. */
export const TRICKY_VALUES = Object.freeze({
  orderStatusReason: `Tom & Jerry's "50% off" = a+b; literal %20 and %2B stay as typed`,
  objectType: 'Sectigo SSL – Zürich Edition (東京) 🔐',
  certificateStatusReason: 'line one\nline two\ttabbed; key=value&other=1',
  FQDN: 'zürich.example,東京.example,xn--zrich-kva.example',
  shippingOrganizationName: `O'Brien & Søn "AG"`,
  suggestedOrgDetails: new URLSearchParams([
    ['status', 'Found'],
    ['1_organizationName', 'Müller & Söhne "AG" 100%'],
    ['1_localityName', 'Zürich'],
    ['1_countryName', 'CH'],
    ['1_telephoneNumber', '+41 44 000 00 00'],
  ]).toString(),
});

function unix(iso: string): string {
  return String(Date.parse(iso) / 1000);
}

/** Every field gated by queryType>=1 and by showValidityPeriod=Y, for an issued DV certificate. */
const ISSUED_DV_CERTIFICATE = {
  csrStatus: '1',
  dcvStatus: '1',
  ovCallBackStatus: '-1',
  organizationValidationStatus: '-1',
  freeDVUPStatus: '-1',
  evClickThroughStatus: '-1',
  caaStatus: '1',
} as const;

const dvIssued: SimOrder = {
  orderNumber: DEMO_ORDERS.dvIssued,
  certificateIds: [DEMO_CERTIFICATE_IDS.dvIssued],
  fields: { orderDateTime: '2025-06-11 11:57', orderStatus: 'Issued', orderStatusReason: '' },
  certificates: [
    {
      serialNumber: '00D1E5B0C4A8F2310A9B7C6D5E4F3A2B1C',
      objectType: 'PositiveSSL',
      FQDN: 'shop.example.com',
      certificateStatus: 'Valid',
      certificateStatusReason: '',
      ...ISSUED_DV_CERTIFICATE,
      // HackerGuardian bundled with the certificate: the two gated qualys dates.
      qualysCreationDate: unix('2025-06-11T12:04:31Z'),
      qualysExpirationDate: unix('2026-07-13T23:59:59Z'),
      notBefore: unix('2025-06-11T00:00:00Z'),
      notAfter: unix('2026-07-13T23:59:59Z'),
      certificateDuration: '398',
      productTermStartDate: unix('2025-06-11T00:00:00Z'),
      productTermEndDate: unix('2026-07-13T23:59:59Z'),
      productTermDuration: '398',
    },
  ],
};

const ovPendingFound: SimOrder = {
  orderNumber: DEMO_ORDERS.ovPendingFound,
  fields: {
    orderDateTime: '2025-05-20 08:03',
    orderStatus: 'Pending',
    orderStatusReason: '',
    suggestedOrgDetails: NESTED_SUGGESTED_ORG_DETAILS,
  },
  certificates: [
    {
      serialNumber: '',
      objectType: 'Sectigo OV SSL',
      FQDN: 'widgets.example.co.uk',
      certificateStatus: 'Awaiting Validation',
      csrStatus: '1',
      dcvStatus: '2',
      ovCallBackStatus: '0',
      organizationValidationStatus: '2',
      freeDVUPStatus: '0',
      evClickThroughStatus: '-1',
      caaStatus: '2',
      certificateDuration: '365',
      productTermDuration: '365',
    },
  ],
};

const ovPendingSiblings: SimOrder = {
  orderNumber: DEMO_ORDERS.ovPendingSiblings,
  fields: {
    orderDateTime: '2025-05-21 16:40',
    orderStatus: 'Pending',
    orderStatusReason: '',
    suggestedOrgDetails: 'status=Found',
    organizationName: 'Acme Anvils Inc.',
    streetAddress: '100 Main Street',
    localityName: 'Springfield',
    stateOrProvinceName: 'Illinois',
    postalCode: '62701',
    countryName: 'US',
    dunsNumber: '001234567',
    telephoneNumber: '+1 217 555 0100',
  },
  certificates: [
    {
      serialNumber: '',
      objectType: 'Sectigo OV SSL',
      FQDN: 'anvils.example',
      certificateStatus: 'Awaiting Validation',
      csrStatus: '1',
      dcvStatus: '1',
      ovCallBackStatus: '2',
      organizationValidationStatus: '0',
      freeDVUPStatus: '-1',
      evClickThroughStatus: '-1',
      caaStatus: '1',
      certificateDuration: '365',
      productTermDuration: '730',
    },
  ],
};

const evClickThrough: SimOrder = {
  orderNumber: DEMO_ORDERS.evClickThrough,
  certificateIds: [DEMO_CERTIFICATE_IDS.evClickThrough],
  fields: {
    orderDateTime: '2025-04-02 10:15',
    orderStatus: 'Pending',
    orderStatusReason: '',
    suggestedOrgDetails: 'status=NotYetCompleted',
  },
  certificates: [
    {
      serialNumber: '',
      objectType: 'Sectigo EV SSL',
      FQDN: 'bank.example',
      certificateStatus: 'Awaiting Validation',
      csrStatus: '1',
      dcvStatus: '1',
      ovCallBackStatus: '1',
      organizationValidationStatus: '1',
      freeDVUPStatus: '-1',
      evClickThroughStatus: '0',
      caaStatus: '1',
      certificateDuration: '365',
      productTermDuration: '365',
    },
  ],
};

const multiDomain: SimOrder = {
  orderNumber: DEMO_ORDERS.multiDomain,
  certificateIds: [DEMO_CERTIFICATE_IDS.multiDomainCurrent, DEMO_CERTIFICATE_IDS.multiDomainRevoked],
  fields: { orderDateTime: '2024-12-01 09:00', orderStatus: 'Issued', orderStatusReason: '' },
  certificates: [
    {
      serialNumber: '7A3F0C11E2D4B6A8C0E2F4A6B8D0E2F4',
      objectType: 'Sectigo Multi-Domain SSL (3 of 3 Domains)',
      FQDN: 'example.com,www.example.com,api.example.org',
      certificateStatus: 'Valid',
      certificateStatusReason: '',
      ...ISSUED_DV_CERTIFICATE,
      notBefore: unix('2024-12-01T00:00:00Z'),
      notAfter: unix('2025-12-31T23:59:59Z'),
      certificateDuration: '396',
      productTermStartDate: unix('2024-12-01T00:00:00Z'),
      productTermEndDate: unix('2026-11-30T23:59:59Z'),
      productTermDuration: '730',
    },
    {
      serialNumber: '1B2C3D4E5F60718293A4B5C6D7E8F901',
      objectType: 'Sectigo Multi-Domain SSL (2 of 3 Domains)',
      FQDN: 'example.com,www.example.com',
      certificateStatus: 'Revoked',
      certificateStatusReason: 'Superseded: a domain was added',
      ...ISSUED_DV_CERTIFICATE,
      notBefore: unix('2024-11-01T00:00:00Z'),
      notAfter: unix('2025-11-30T23:59:59Z'),
      certificateDuration: '395',
    },
  ],
};

/** Shaped like the success sample on Sectigo's page. */
const vmcPending: SimOrder = {
  orderNumber: DEMO_ORDERS.vmcPending,
  fields: { orderDateTime: '2025-01-01 13:52', orderStatus: 'Pending', orderStatusReason: '' },
  certificates: [
    {
      serialNumber: '',
      objectType: 'Verified Mark Certificate (VMC) (2 of 2 Domains)',
      certificateDuration: '365',
      productTermDuration: '365',
      FQDN: 'brand.example,brand-mail.example',
      certificateStatus: 'Awaiting Validation',
      evClickThroughStatus: '0',
      trademarkOffice: 'United States Patent and Trademark Office',
      trademarkIdentifier: '5123450',
      trademarkCountryName: 'United States',
      trademarkCountry2CharCode: 'US',
      logoHostedByCA: '-1',
    },
  ],
};

const codeSigningShipped: SimOrder = {
  orderNumber: DEMO_ORDERS.codeSigningShipped,
  certificateIds: [DEMO_CERTIFICATE_IDS.codeSigningShipped],
  fields: { orderDateTime: '2025-03-14 15:09', orderStatus: 'Issued', orderStatusReason: '' },
  certificates: [
    {
      serialNumber: '3C9D2E1F0A8B7C6D5E4F3A2B1C0D9E8F',
      objectType: 'Sectigo EV Code Signing (hardware token)',
      FQDN: '',
      certificateStatus: 'Valid',
      csrStatus: '1',
      dcvStatus: '-1',
      ovCallBackStatus: '1',
      organizationValidationStatus: '1',
      freeDVUPStatus: '-1',
      evClickThroughStatus: '1',
      caaStatus: '-1',
      notBefore: unix('2025-03-20T00:00:00Z'),
      notAfter: unix('2026-03-20T23:59:59Z'),
      certificateDuration: '366',
      productTermStartDate: unix('2025-03-20T00:00:00Z'),
      productTermEndDate: unix('2028-03-19T23:59:59Z'),
      productTermDuration: '1095',
      upsTrackingID: '1Z999AA10123456784',
      shippingOrganizationName: 'Example Software GmbH',
      shippingOrganizationalUnitName: 'Release Engineering',
      shippingStreetAddress1: 'Hauptstraße 5',
      shippingStreetAddress2: 'Gebäude B',
      shippingStreetAddress3: '',
      shippingLocalityName: 'Berlin',
      shippingStateOrProvinceName: 'Berlin',
      shippingPostalCode: '10115',
      shippingCountry: 'DE',
      shippingTitle: 'Dr',
      shippingForename: 'Erika',
      shippingSurname: 'Mustermann',
      shippingEmail: 'erika.mustermann@example.de',
      shippingPhone: '+49 30 1234567',
    },
  ],
};

const hackerGuardian: SimOrder = {
  orderNumber: DEMO_ORDERS.hackerGuardian,
  fields: { orderDateTime: '2025-02-28 07:45', orderStatus: 'Issued', orderStatusReason: '' },
  certificates: [
    {
      serialNumber: '',
      objectType: 'HackerGuardian PCI Scan Compliance Program',
      FQDN: 'store.example',
      certificateStatus: 'Valid',
      licenceStatus: 'processed',
      licenceSyncStatus: 'Processed',
      licenceRejectionSource: '',
      licenceStatusReason: '',
      qualysMerchantID: 'HG-778812',
      qualysLoginName: 'exmpl_hg7',
      qualysCompanyName: 'Example Store LLC',
      qualysAccountType: 'C',
      qualysIPsPurchased: '5',
      qualysIPsAdded: '2',
      qualysCreationDate: unix('2025-03-01T10:00:00Z'),
      qualysExpirationDate: unix('2026-03-01T10:00:00Z'),
      swpID: 'swp-50211',
      swpActive: '0',
      swpUserEmail: 'owner@store.example',
      swpPartnerID: 'partner-17',
      slId: 'sl-90817',
      slSiteIds: '4401,4402,4403',
      productTermStartDate: unix('2025-03-01T10:00:00Z'),
      productTermEndDate: unix('2026-03-01T10:00:00Z'),
      productTermDuration: '365',
    },
  ],
};

const rejected: SimOrder = {
  orderNumber: DEMO_ORDERS.rejected,
  fields: {
    orderDateTime: '2025-01-20 18:22',
    orderStatus: 'Rejected',
    orderStatusReason: 'Domain control validation was not completed within 30 days',
  },
  certificates: [
    {
      serialNumber: '',
      objectType: 'PositiveSSL',
      FQDN: 'abandoned.example',
      certificateStatus: 'Rejected',
      certificateStatusReason: 'DCV not completed',
      csrStatus: '1',
      dcvStatus: '0',
      ovCallBackStatus: '-1',
      organizationValidationStatus: '-1',
      freeDVUPStatus: '-1',
      evClickThroughStatus: '-1',
      caaStatus: '0',
      certificateDuration: '365',
      productTermDuration: '365',
    },
  ],
};

const replacementIssued: SimOrder = {
  orderNumber: DEMO_ORDERS.replacementIssued,
  certificateIds: [DEMO_CERTIFICATE_IDS.replacementIssued],
  fields: { orderDateTime: '2025-02-10 12:00', orderStatus: 'Issued', orderStatusReason: '' },
  certificates: [
    {
      serialNumber: '5E6F708192A3B4C5D6E7F8091A2B3C4D',
      objectType: 'PositiveSSL',
      FQDN: 'replaced.example',
      certificateStatus: 'Valid',
      ...ISSUED_DV_CERTIFICATE,
      notBefore: unix('2025-02-10T00:00:00Z'),
      notAfter: unix('2026-02-10T23:59:59Z'),
      certificateDuration: '366',
    },
  ],
};

const replacementPending: SimOrder = {
  orderNumber: DEMO_ORDERS.replacementPending,
  fields: { orderDateTime: '2025-06-01 09:41', orderStatus: 'Pending', orderStatusReason: '' },
  certificates: [
    {
      serialNumber: '',
      objectType: 'PositiveSSL',
      FQDN: 'replaced.example',
      certificateStatus: 'Awaiting Validation',
      csrStatus: '1',
      dcvStatus: '2',
      ovCallBackStatus: '-1',
      organizationValidationStatus: '-1',
      freeDVUPStatus: '-1',
      evClickThroughStatus: '-1',
      caaStatus: '2',
      certificateDuration: '365',
    },
  ],
};

const withReplacements: SimOrder = {
  orderNumber: DEMO_ORDERS.withReplacements,
  fields: { orderDateTime: '2024-08-05 14:30', orderStatus: 'Replaced', orderStatusReason: 'Replaced by a reissue' },
  certificates: [
    {
      serialNumber: '0F1E2D3C4B5A69788796A5B4C3D2E1F0',
      objectType: 'PositiveSSL',
      FQDN: 'replaced.example',
      certificateStatus: 'Revoked',
      certificateStatusReason: 'Replaced',
      ...ISSUED_DV_CERTIFICATE,
      notBefore: unix('2024-08-05T00:00:00Z'),
      notAfter: unix('2025-08-05T23:59:59Z'),
      certificateDuration: '366',
    },
  ],
  replacements: [replacementIssued, replacementPending],
};

const trickyValues: SimOrder = {
  orderNumber: DEMO_ORDERS.trickyValues,
  fields: {
    orderDateTime: '2025-06-11 11:57',
    orderStatus: 'Pending',
    orderStatusReason: TRICKY_VALUES.orderStatusReason,
    suggestedOrgDetails: TRICKY_VALUES.suggestedOrgDetails,
  },
  certificates: [
    {
      serialNumber: '',
      objectType: TRICKY_VALUES.objectType,
      FQDN: TRICKY_VALUES.FQDN,
      certificateStatus: 'Awaiting Validation',
      certificateStatusReason: TRICKY_VALUES.certificateStatusReason,
      shippingOrganizationName: TRICKY_VALUES.shippingOrganizationName,
      csrStatus: '1',
      dcvStatus: '0',
    },
  ],
};

const unknownFields: SimOrder = {
  orderNumber: DEMO_ORDERS.unknownFields,
  fields: {
    orderDateTime: '2025-06-01 00:01',
    orderStatus: 'On Hold',
    orderStatusReason: '',
    futureOrderField: 'kept at order level',
  },
  certificates: [
    {
      serialNumber: 'ABCDEF0123456789',
      objectType: 'PositiveSSL Wildcard',
      FQDN: '*.wild.example,,wild.example',
      certificateStatus: 'Valid',
      futureCertificateField: 'kept at certificate level',
      csrStatus: '1',
      dcvStatus: '1',
      caaStatus: '7',
      qualysAccountType: 'X',
      swpActive: '2',
      notBefore: unix('2025-06-01T00:00:00Z'),
      notAfter: 'not-a-timestamp',
      certificateDuration: '365',
    },
  ],
};

export const seedOrders: readonly SimOrder[] = Object.freeze([
  dvIssued,
  ovPendingFound,
  ovPendingSiblings,
  evClickThrough,
  multiDomain,
  vmcPending,
  codeSigningShipped,
  hackerGuardian,
  rejected,
  withReplacements,
  trickyValues,
  unknownFields,
]);

/** The day the seed describes: its newest order was placed the day before. */
export const SEED_DAY = '2025-06-12';

/** Upstream fields that hold UNIX seconds. */
const UNIX_FIELDS = new Set([
  'notBefore',
  'notAfter',
  'productTermStartDate',
  'productTermEndDate',
  'qualysCreationDate',
  'qualysExpirationDate',
]);

const DAY_MS = 86_400_000;

/**
 * The seed moved forward in whole days so that `today` is to it what
 * SEED_DAY was: the demo (`npm start`) shows certificates valid for as
 * long as they were meant to be, not expired a year ago. Tests keep the
 * fixed `seedOrders`.
 */
export function seedOrdersAsOf(today: Date): readonly SimOrder[] {
  const shiftMs =
    Math.round((Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - Date.parse(`${SEED_DAY}T00:00:00Z`)) / DAY_MS) *
    DAY_MS;
  return Object.freeze(seedOrders.map((order) => shiftOrder(order, shiftMs)));
}

function shiftOrder(order: SimOrder, shiftMs: number): SimOrder {
  return {
    ...order,
    fields: shiftFields(order.fields, shiftMs),
    certificates: order.certificates.map((certificate) => shiftFields(certificate, shiftMs)),
    ...(order.replacements === undefined
      ? {}
      : { replacements: order.replacements.map((replacement) => shiftOrder(replacement, shiftMs)) }),
  };
}

function shiftFields(fields: Readonly<Record<string, string>>, shiftMs: number): Record<string, string> {
  const shifted: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (UNIX_FIELDS.has(name) && /^\d+$/.test(value)) {
      shifted[name] = String(Number(value) + shiftMs / 1000);
    } else if (name === 'orderDateTime' && /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(value)) {
      // Sectigo's 'YYYY-MM-DD HH:mm' (UTC).
      shifted[name] = new Date(Date.parse(`${value.replace(' ', 'T')}:00Z`) + shiftMs).toISOString().slice(0, 16).replace('T', ' ');
    } else {
      shifted[name] = value;
    }
  }
  return shifted;
}
