/**
 * Every field group of the schema, read through GraphQL over HTTP for the
 * seeded demo orders (src/simulator/seed.ts), with exact expected values.
 * The cache is off so that each query shows its own upstream call.
 *
 * Timestamps: the seed stores UNIX seconds made from ISO instants; the
 * expected values below are those instants (`unix('2025-06-11T00:00:00Z')`
 * comes back as `2025-06-11T00:00:00.000Z`), and one test recomputes them
 * from the seed's seconds to show they agree.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CERTIFICATE_IDS, DEMO_ORDERS, NESTED_SUGGESTED_ORG_DETAILS, TRICKY_VALUES, seedOrders } from '../../src/simulator/index.js';
import { callSummary, startHarness, type Harness } from '../support/harness.js';

type Json = Record<string, unknown>;

interface OrderData {
  readonly [field: string]: unknown;
  readonly certificates: Json[];
  readonly replacementOrders: OrderData[];
  readonly otherFields: Array<{ name: string; value: string }>;
}

const CERTIFICATE_FRAGMENT = `
fragment EveryCertificateField on Certificate {
  serialNumber type domains status statusReason
  validity { notBefore notAfter durationDays }
  productTerm { start end durationDays }
  validation { csr dcv ovCallBack organization freeDvUpgrade evClickThrough caa }
  shipping {
    upsTrackingId organizationName organizationalUnitName streetAddress
    locality stateOrProvince postalCode country
    contact { title forename surname email phone }
  }
  license {
    status syncStatus rejectionSource statusReason
    hackerGuardian { merchantId loginName companyName accountType ipsPurchased ipsAdded createdAt expiresAt }
    webPlatform { userId active userEmail partnerId }
    siteLock { userId siteIds }
  }
  trademark { office identifier countryName countryCode logoHostedByCA }
  otherFields { name value }
}`;

/** Every field, including replacement orders (and theirs, which must be empty). */
const FULL_ORDER_FRAGMENTS = `
fragment OwnOrderFields on Order {
  orderNumber orderedAt status statusReason
  suggestedOrganization {
    status rawStatus raw
    matches { organizationName streetAddress locality stateOrProvince postalCode country dunsNumber telephone }
  }
  certificates { ...EveryCertificateField }
  otherFields { name value }
}
fragment FullOrder on Order {
  ...OwnOrderFields
  replacementOrders { ...OwnOrderFields replacementOrders { orderNumber } }
}
${CERTIFICATE_FRAGMENT}`;

const FULL_ORDER_QUERY = `query FullOrder($n: ID!) { order(orderNumber: $n) { ...FullOrder } } ${FULL_ORDER_FRAGMENTS}`;

/** What a certificate with no value in any group looks like; tests override the groups the seed fills. */
const EMPTY_CERTIFICATE = Object.freeze({
  serialNumber: null,
  type: null,
  domains: [],
  status: null,
  statusReason: null,
  validity: null,
  productTerm: null,
  validation: null,
  shipping: null,
  license: null,
  trademark: null,
  otherFields: [],
});

const ALL_NOT_REQUIRED = Object.freeze({
  csr: 'NOT_REQUIRED',
  dcv: 'NOT_REQUIRED',
  ovCallBack: 'NOT_REQUIRED',
  organization: 'NOT_REQUIRED',
  freeDvUpgrade: 'NOT_REQUIRED',
  evClickThrough: 'NOT_REQUIRED',
  caa: 'NOT_REQUIRED',
});

/** ISSUED_DV_CERTIFICATE in the seed: csr, dcv and caa done, the rest not required. */
const ISSUED_DV_VALIDATION = Object.freeze({ ...ALL_NOT_REQUIRED, csr: 'COMPLETED', dcv: 'COMPLETED', caa: 'COMPLETED' });

const NO_VALIDATION_STEPS = Object.freeze({
  csr: null,
  dcv: null,
  ovCallBack: null,
  organization: null,
  freeDvUpgrade: null,
  evClickThrough: null,
  caa: null,
});

const NO_MATCH_FIELDS = Object.freeze({
  organizationName: null,
  streetAddress: null,
  locality: null,
  stateOrProvince: null,
  postalCode: null,
  country: null,
  dunsNumber: null,
  telephone: null,
});

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function firstCertificate(order: OrderData): Json {
  const certificate = order.certificates[0];
  if (certificate === undefined) throw new Error(`order ${String(order['orderNumber'])} has no certificate`);
  return certificate;
}

/** UNIX seconds as the seed stores them -> ISO-8601 UTC. */
function isoFromUnixSeconds(seconds: string | undefined): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

function seedCertificate(orderNumber: string, index = 0): Readonly<Record<string, string>> {
  const all = seedOrders.flatMap((order) => [order, ...(order.replacements ?? [])]);
  const certificate = all.find((order) => order.orderNumber === orderNumber)?.certificates[index];
  if (certificate === undefined) throw new Error(`no seeded certificate ${index} on ${orderNumber}`);
  return certificate;
}

async function fetchFullOrder(harness: Harness, orderNumber: string): Promise<OrderData> {
  const result = await harness.query<{ order: OrderData | null }>(FULL_ORDER_QUERY, { n: orderNumber });
  expect(result.status).toBe(200);
  expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
  const order = result.body.data?.order;
  if (order === null || order === undefined) throw new Error(`order ${orderNumber} came back null`);
  return order;
}

async function fetchOrder(harness: Harness, orderNumber: string, selection: string): Promise<OrderData> {
  const result = await harness.query<{ order: OrderData | null }>(`query($n: ID!) { order(orderNumber: $n) { ${selection} } }`, {
    n: orderNumber,
  });
  expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
  const order = result.body.data?.order;
  if (order === null || order === undefined) throw new Error(`order ${orderNumber} came back null`);
  return order;
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { CACHE_TTL_MS: '0' } });
});
afterAll(() => h.close());
beforeEach(() => h.simulator.resetCalls());

const full = (orderNumber: string): Promise<OrderData> => fetchFullOrder(h, orderNumber);

describe('the full-detail query', () => {
  it('makes exactly one upstream call, with queryType=2 and showValidityPeriod=Y, in responseFormat 1', async () => {
    await full(DEMO_ORDERS.dvIssued);
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.dvIssued} q2 Y`]);
    expect(h.simulator.calls).toHaveLength(1);
    expect(h.simulator.calls[0]).toMatchObject({ method: 'POST', errorCode: 0, responseFormat: '1', certificateId: undefined });
  });

  it('returns the whole issued DV order exactly, every group that the seed leaves empty as null or []', async () => {
    expect(await full(DEMO_ORDERS.dvIssued)).toEqual({
      orderNumber: '1000001',
      orderedAt: '2025-06-11 11:57',
      status: 'Issued',
      statusReason: null,
      suggestedOrganization: null,
      otherFields: [],
      replacementOrders: [],
      certificates: [
        {
          ...EMPTY_CERTIFICATE,
          serialNumber: '00D1E5B0C4A8F2310A9B7C6D5E4F3A2B1C',
          type: 'PositiveSSL',
          domains: ['shop.example.com'],
          status: 'Valid',
          validity: { notBefore: '2025-06-11T00:00:00.000Z', notAfter: '2026-07-13T23:59:59.000Z', durationDays: 398 },
          productTerm: { start: '2025-06-11T00:00:00.000Z', end: '2026-07-13T23:59:59.000Z', durationDays: 398 },
          validation: ISSUED_DV_VALIDATION,
          // Only the two gated qualys dates are seeded: a licence with just those.
          license: {
            status: null,
            syncStatus: null,
            rejectionSource: null,
            statusReason: null,
            hackerGuardian: {
              merchantId: null,
              loginName: null,
              companyName: null,
              accountType: null,
              ipsPurchased: null,
              ipsAdded: null,
              createdAt: '2025-06-11T12:04:31.000Z',
              expiresAt: '2026-07-13T23:59:59.000Z',
            },
            webPlatform: null,
            siteLock: null,
          },
        },
      ],
    });
  });

  it('uses expected instants that are exactly the seed UNIX seconds converted to ISO-8601 UTC', () => {
    const dv = seedCertificate(DEMO_ORDERS.dvIssued);
    expect(isoFromUnixSeconds(dv['notBefore'])).toBe('2025-06-11T00:00:00.000Z');
    expect(isoFromUnixSeconds(dv['notAfter'])).toBe('2026-07-13T23:59:59.000Z');
    expect(isoFromUnixSeconds(dv['qualysCreationDate'])).toBe('2025-06-11T12:04:31.000Z');
    const md = seedCertificate(DEMO_ORDERS.multiDomain, 1);
    expect(isoFromUnixSeconds(md['notBefore'])).toBe('2024-11-01T00:00:00.000Z');
    const cs = seedCertificate(DEMO_ORDERS.codeSigningShipped);
    expect(isoFromUnixSeconds(cs['productTermEndDate'])).toBe('2028-03-19T23:59:59.000Z');
    const hg = seedCertificate(DEMO_ORDERS.hackerGuardian);
    expect(isoFromUnixSeconds(hg['qualysExpirationDate'])).toBe('2026-03-01T10:00:00.000Z');
  });
});

describe('Order fields', () => {
  it('gives the order number, the order time exactly as sent (minutes, no zone) and the status', async () => {
    const order = await full(DEMO_ORDERS.dvIssued);
    expect(order).toMatchObject({ orderNumber: '1000001', orderedAt: '2025-06-11 11:57', status: 'Issued' });
  });

  it('turns an empty orderStatusReason into null', async () => {
    for (const orderNumber of [DEMO_ORDERS.dvIssued, DEMO_ORDERS.ovPendingFound, DEMO_ORDERS.hackerGuardian]) {
      expect((await full(orderNumber))['statusReason']).toBeNull();
    }
  });

  it('gives the status and the reason of a rejected order', async () => {
    expect(await full(DEMO_ORDERS.rejected)).toMatchObject({
      orderNumber: '1000009',
      orderedAt: '2025-01-20 18:22',
      status: 'Rejected',
      statusReason: 'Domain control validation was not completed within 30 days',
    });
  });

  it('gives the replaced status and its reason on the order with replacements', async () => {
    expect(await full(DEMO_ORDERS.withReplacements)).toMatchObject({
      orderedAt: '2024-08-05 14:30',
      status: 'Replaced',
      statusReason: 'Replaced by a reissue',
    });
  });

  it('needs no more than queryType=0 without showValidityPeriod for the order fields', async () => {
    const order = await fetchOrder(h, DEMO_ORDERS.rejected, 'orderNumber orderedAt status statusReason');
    expect(order).toEqual({
      orderNumber: '1000009',
      orderedAt: '2025-01-20 18:22',
      status: 'Rejected',
      statusReason: 'Domain control validation was not completed within 30 days',
    });
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.rejected} q0 N`]);
  });
});

describe('Certificate fields', () => {
  it('gives serial number, type, the single domain and status of an issued DV certificate', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.dvIssued))).toMatchObject({
      serialNumber: '00D1E5B0C4A8F2310A9B7C6D5E4F3A2B1C',
      type: 'PositiveSSL',
      domains: ['shop.example.com'],
      status: 'Valid',
      statusReason: null,
    });
  });

  it('splits a comma-separated FQDN list and keeps the certificates in index order, the revoked one with its reason', async () => {
    const order = await full(DEMO_ORDERS.multiDomain);
    expect(order.certificates).toEqual([
      {
        ...EMPTY_CERTIFICATE,
        serialNumber: '7A3F0C11E2D4B6A8C0E2F4A6B8D0E2F4',
        type: 'Sectigo Multi-Domain SSL (3 of 3 Domains)',
        domains: ['example.com', 'www.example.com', 'api.example.org'],
        status: 'Valid',
        validity: { notBefore: '2024-12-01T00:00:00.000Z', notAfter: '2025-12-31T23:59:59.000Z', durationDays: 396 },
        productTerm: { start: '2024-12-01T00:00:00.000Z', end: '2026-11-30T23:59:59.000Z', durationDays: 730 },
        validation: ISSUED_DV_VALIDATION,
      },
      {
        ...EMPTY_CERTIFICATE,
        serialNumber: '1B2C3D4E5F60718293A4B5C6D7E8F901',
        type: 'Sectigo Multi-Domain SSL (2 of 3 Domains)',
        domains: ['example.com', 'www.example.com'],
        status: 'Revoked',
        statusReason: 'Superseded: a domain was added',
        validity: { notBefore: '2024-11-01T00:00:00.000Z', notAfter: '2025-11-30T23:59:59.000Z', durationDays: 395 },
        // No productTerm* key for this certificate: the group is null.
        productTerm: null,
        validation: ISSUED_DV_VALIDATION,
      },
    ]);
  });

  it('gives the rejected certificate its status and reason', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.rejected))).toMatchObject({
      serialNumber: null,
      type: 'PositiveSSL',
      domains: ['abandoned.example'],
      status: 'Rejected',
      statusReason: 'DCV not completed',
    });
  });

  it('gives null for an empty serial number and [] for an empty FQDN', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.ovPendingFound))).toMatchObject({
      serialNumber: null,
      type: 'Sectigo OV SSL',
      domains: ['widgets.example.co.uk'],
      status: 'Awaiting Validation',
      statusReason: null,
    });
    expect(firstCertificate(await full(DEMO_ORDERS.codeSigningShipped))).toMatchObject({
      serialNumber: '3C9D2E1F0A8B7C6D5E4F3A2B1C0D9E8F',
      domains: [],
    });
  });

  it('drops an empty item from the FQDN list', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.unknownFields))['domains']).toEqual(['*.wild.example', 'wild.example']);
  });
});

describe('validity and productTerm', () => {
  it('gives ISO-8601 UTC instants and day counts for the issued code-signing certificate', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.codeSigningShipped))).toMatchObject({
      validity: { notBefore: '2025-03-20T00:00:00.000Z', notAfter: '2026-03-20T23:59:59.000Z', durationDays: 366 },
      productTerm: { start: '2025-03-20T00:00:00.000Z', end: '2028-03-19T23:59:59.000Z', durationDays: 1095 },
    });
  });

  it('gives only the durations, dates null, for a certificate not issued yet', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.ovPendingSiblings))).toMatchObject({
      validity: { notBefore: null, notAfter: null, durationDays: 365 },
      productTerm: { start: null, end: null, durationDays: 730 },
    });
  });

  it('gives a product term without a validity for the HackerGuardian licence', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.hackerGuardian))).toMatchObject({
      validity: null,
      productTerm: { start: '2025-03-01T10:00:00.000Z', end: '2026-03-01T10:00:00.000Z', durationDays: 365 },
    });
  });

  it('asks for showValidityPeriod=Y only, at queryType=0, when just the periods are selected', async () => {
    const order = await fetchOrder(
      h,
      DEMO_ORDERS.multiDomain,
      'certificates { validity { notBefore notAfter durationDays } productTerm { start end durationDays } }',
    );
    expect(order.certificates.map((c) => c['validity'])).toEqual([
      { notBefore: '2024-12-01T00:00:00.000Z', notAfter: '2025-12-31T23:59:59.000Z', durationDays: 396 },
      { notBefore: '2024-11-01T00:00:00.000Z', notAfter: '2025-11-30T23:59:59.000Z', durationDays: 395 },
    ]);
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.multiDomain} q0 Y`]);
  });
});

describe('validation', () => {
  it.each([
    {
      name: 'OV pending, nested suggestedOrgDetails',
      orderNumber: DEMO_ORDERS.ovPendingFound,
      expected: {
        csr: 'COMPLETED',
        dcv: 'IN_PROGRESS',
        ovCallBack: 'NOT_COMPLETED',
        organization: 'IN_PROGRESS',
        freeDvUpgrade: 'NOT_COMPLETED',
        evClickThrough: 'NOT_REQUIRED',
        caa: 'IN_PROGRESS',
      },
    },
    {
      name: 'OV pending, sibling keys',
      orderNumber: DEMO_ORDERS.ovPendingSiblings,
      expected: {
        csr: 'COMPLETED',
        dcv: 'COMPLETED',
        ovCallBack: 'IN_PROGRESS',
        organization: 'NOT_COMPLETED',
        freeDvUpgrade: 'NOT_REQUIRED',
        evClickThrough: 'NOT_REQUIRED',
        caa: 'COMPLETED',
      },
    },
    {
      name: 'EV awaiting click-through',
      orderNumber: DEMO_ORDERS.evClickThrough,
      expected: {
        csr: 'COMPLETED',
        dcv: 'COMPLETED',
        ovCallBack: 'COMPLETED',
        organization: 'COMPLETED',
        freeDvUpgrade: 'NOT_REQUIRED',
        evClickThrough: 'NOT_COMPLETED',
        caa: 'COMPLETED',
      },
    },
    {
      name: 'EV code signing',
      orderNumber: DEMO_ORDERS.codeSigningShipped,
      expected: {
        csr: 'COMPLETED',
        dcv: 'NOT_REQUIRED',
        ovCallBack: 'COMPLETED',
        organization: 'COMPLETED',
        freeDvUpgrade: 'NOT_REQUIRED',
        evClickThrough: 'COMPLETED',
        caa: 'NOT_REQUIRED',
      },
    },
    {
      name: 'rejected DV',
      orderNumber: DEMO_ORDERS.rejected,
      expected: { ...ALL_NOT_REQUIRED, csr: 'COMPLETED', dcv: 'NOT_COMPLETED', caa: 'NOT_COMPLETED' },
    },
  ])('maps all seven steps of the $name order (-1/0/1/2 to the four states)', async ({ orderNumber, expected }) => {
    expect(firstCertificate(await full(orderNumber))['validation']).toEqual(expected);
  });

  it('covers each of the four states across the OV and EV orders', async () => {
    const seen = new Set<unknown>();
    for (const orderNumber of [DEMO_ORDERS.ovPendingFound, DEMO_ORDERS.ovPendingSiblings, DEMO_ORDERS.evClickThrough]) {
      const validation = firstCertificate(await full(orderNumber))['validation'];
      for (const state of Object.values(validation as Json)) seen.add(state);
    }
    expect([...seen].sort()).toEqual(['COMPLETED', 'IN_PROGRESS', 'NOT_COMPLETED', 'NOT_REQUIRED']);
  });

  it('is null when the certificate has none of the validation fields (HackerGuardian licence)', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.hackerGuardian))['validation']).toBeNull();
  });

  it('has null steps for the fields a certificate does not send (VMC sends only evClickThroughStatus)', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.vmcPending))['validation']).toEqual({
      ...NO_VALIDATION_STEPS,
      evClickThrough: 'NOT_COMPLETED',
    });
  });

  it('asks for queryType=1 without showValidityPeriod when only validation is selected', async () => {
    const order = await fetchOrder(
      h,
      DEMO_ORDERS.evClickThrough,
      'certificates { validation { csr dcv ovCallBack organization freeDvUpgrade evClickThrough caa } }',
    );
    expect(firstCertificate(order)['validation']).toMatchObject({ evClickThrough: 'NOT_COMPLETED', organization: 'COMPLETED' });
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.evClickThrough} q1 N`]);
  });
});

describe('shipping', () => {
  const EXPECTED_SHIPPING = {
    upsTrackingId: '1Z999AA10123456784',
    organizationName: 'Example Software GmbH',
    organizationalUnitName: 'Release Engineering',
    // shippingStreetAddress3 is empty upstream: dropped.
    streetAddress: ['Hauptstraße 5', 'Gebäude B'],
    locality: 'Berlin',
    stateOrProvince: 'Berlin',
    postalCode: '10115',
    country: 'DE',
    contact: {
      title: 'Dr',
      forename: 'Erika',
      surname: 'Mustermann',
      email: 'erika.mustermann@example.de',
      phone: '+49 30 1234567',
    },
  };

  it('gives every shipping field of the code-signing token order, empty street lines dropped', async () => {
    const certificate = firstCertificate(await full(DEMO_ORDERS.codeSigningShipped));
    expect(certificate['shipping']).toEqual(EXPECTED_SHIPPING);
    expect(certificate).toMatchObject({
      type: 'Sectigo EV Code Signing (hardware token)',
      status: 'Valid',
      license: null,
      trademark: null,
      otherFields: [],
    });
  });

  it('is null on an SSL order', async () => {
    for (const orderNumber of [DEMO_ORDERS.dvIssued, DEMO_ORDERS.multiDomain, DEMO_ORDERS.ovPendingFound]) {
      for (const certificate of (await full(orderNumber)).certificates) expect(certificate['shipping']).toBeNull();
    }
  });

  it('needs no detail level: queryType=0 without showValidityPeriod gives the same shipping', async () => {
    const order = await fetchOrder(
      h,
      DEMO_ORDERS.codeSigningShipped,
      `certificates { shipping {
        upsTrackingId organizationName organizationalUnitName streetAddress locality stateOrProvince postalCode country
        contact { title forename surname email phone } } }`,
    );
    expect(firstCertificate(order)['shipping']).toEqual(EXPECTED_SHIPPING);
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.codeSigningShipped} q0 N`]);
  });
});

describe('license', () => {
  it('gives licence status, HackerGuardian, Web Platform (swpActive 0 = active) and SiteLock of the HackerGuardian order', async () => {
    const certificate = firstCertificate(await full(DEMO_ORDERS.hackerGuardian));
    expect(certificate).toEqual({
      ...EMPTY_CERTIFICATE,
      type: 'HackerGuardian PCI Scan Compliance Program',
      domains: ['store.example'],
      status: 'Valid',
      productTerm: { start: '2025-03-01T10:00:00.000Z', end: '2026-03-01T10:00:00.000Z', durationDays: 365 },
      license: {
        status: 'processed',
        syncStatus: 'Processed',
        rejectionSource: null,
        statusReason: null,
        hackerGuardian: {
          merchantId: 'HG-778812',
          loginName: 'exmpl_hg7',
          companyName: 'Example Store LLC',
          accountType: 'CUSTOMER',
          ipsPurchased: 5,
          ipsAdded: 2,
          createdAt: '2025-03-01T10:00:00.000Z',
          expiresAt: '2026-03-01T10:00:00.000Z',
        },
        webPlatform: { userId: 'swp-50211', active: true, userEmail: 'owner@store.example', partnerId: 'partner-17' },
        siteLock: { userId: 'sl-90817', siteIds: ['4401', '4402', '4403'] },
      },
    });
  });

  it('is null on an order with no licence fields', async () => {
    for (const orderNumber of [DEMO_ORDERS.codeSigningShipped, DEMO_ORDERS.vmcPending, DEMO_ORDERS.rejected]) {
      expect(firstCertificate(await full(orderNumber))['license']).toBeNull();
    }
  });
});

describe('trademark', () => {
  it('gives office, identifier, country and logoHostedByCA (-1) of the VMC order', async () => {
    expect(firstCertificate(await full(DEMO_ORDERS.vmcPending))).toEqual({
      ...EMPTY_CERTIFICATE,
      type: 'Verified Mark Certificate (VMC) (2 of 2 Domains)',
      domains: ['brand.example', 'brand-mail.example'],
      status: 'Awaiting Validation',
      validity: { notBefore: null, notAfter: null, durationDays: 365 },
      productTerm: { start: null, end: null, durationDays: 365 },
      validation: { ...NO_VALIDATION_STEPS, evClickThrough: 'NOT_COMPLETED' },
      trademark: {
        office: 'United States Patent and Trademark Office',
        identifier: '5123450',
        countryName: 'United States',
        countryCode: 'US',
        logoHostedByCA: -1,
      },
    });
  });

  it('is null for other products', async () => {
    for (const orderNumber of [DEMO_ORDERS.dvIssued, DEMO_ORDERS.codeSigningShipped, DEMO_ORDERS.hackerGuardian]) {
      expect(firstCertificate(await full(orderNumber))['trademark']).toBeNull();
    }
  });
});

describe('suggestedOrganization', () => {
  it('gives FOUND with both matches, in index order, from the nested url-encoded value', async () => {
    const order = await full(DEMO_ORDERS.ovPendingFound);
    expect(order['suggestedOrganization']).toEqual({
      status: 'FOUND',
      rawStatus: 'Found',
      raw: NESTED_SUGGESTED_ORG_DETAILS,
      matches: [
        {
          organizationName: 'Example Widgets Ltd',
          streetAddress: '1 Piccadilly Gardens',
          locality: 'Manchester',
          stateOrProvince: 'Greater Manchester',
          postalCode: 'M1 1RG',
          country: 'GB',
          dunsNumber: '123456789',
          telephone: '+44 161 496 0000',
        },
        {
          organizationName: 'Example Widgets (Holdings) Ltd',
          streetAddress: '2 Deansgate',
          locality: 'Manchester',
          stateOrProvince: 'Greater Manchester',
          postalCode: 'M3 2BW',
          country: 'GB',
          dunsNumber: '987654321',
          telephone: '+44 161 496 0001',
        },
      ],
    });
    expect(order.otherFields).toEqual([]);
  });

  it('gives FOUND with the match read from order-level sibling keys, which then are not other fields', async () => {
    const order = await full(DEMO_ORDERS.ovPendingSiblings);
    expect(order['suggestedOrganization']).toEqual({
      status: 'FOUND',
      rawStatus: 'Found',
      raw: 'status=Found',
      matches: [
        {
          organizationName: 'Acme Anvils Inc.',
          streetAddress: '100 Main Street',
          locality: 'Springfield',
          stateOrProvince: 'Illinois',
          postalCode: '62701',
          country: 'US',
          dunsNumber: '001234567',
          telephone: '+1 217 555 0100',
        },
      ],
    });
    expect(order.otherFields).toEqual([]);
  });

  it('gives NOT_YET_COMPLETED and no matches for the EV order', async () => {
    expect((await full(DEMO_ORDERS.evClickThrough))['suggestedOrganization']).toEqual({
      status: 'NOT_YET_COMPLETED',
      rawStatus: 'NotYetCompleted',
      raw: 'status=NotYetCompleted',
      matches: [],
    });
  });

  it('is null when the order has no suggestedOrgDetails', async () => {
    for (const orderNumber of [DEMO_ORDERS.dvIssued, DEMO_ORDERS.vmcPending, DEMO_ORDERS.unknownFields]) {
      expect((await full(orderNumber))['suggestedOrganization']).toBeNull();
    }
  });

  it('needs no detail level', async () => {
    const order = await fetchOrder(
      h,
      DEMO_ORDERS.evClickThrough,
      'suggestedOrganization { status rawStatus raw matches { organizationName } }',
    );
    expect(order['suggestedOrganization']).toEqual({
      status: 'NOT_YET_COMPLETED',
      rawStatus: 'NotYetCompleted',
      raw: 'status=NotYetCompleted',
      matches: [],
    });
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.evClickThrough} q0 N`]);
  });
});

describe('replacementOrders', () => {
  it('gives the replacement orders of the replaced order, in index order, each with its own data', async () => {
    const order = await full(DEMO_ORDERS.withReplacements);
    expect(order.replacementOrders.map((r) => [r['orderNumber'], r['status']])).toEqual([
      ['1000011', 'Issued'],
      ['1000012', 'Pending'],
    ]);
    expect(order.replacementOrders).toEqual([
      {
        orderNumber: '1000011',
        orderedAt: '2025-02-10 12:00',
        status: 'Issued',
        statusReason: null,
        suggestedOrganization: null,
        otherFields: [],
        replacementOrders: [],
        certificates: [
          {
            ...EMPTY_CERTIFICATE,
            serialNumber: '5E6F708192A3B4C5D6E7F8091A2B3C4D',
            type: 'PositiveSSL',
            domains: ['replaced.example'],
            status: 'Valid',
            validity: { notBefore: '2025-02-10T00:00:00.000Z', notAfter: '2026-02-10T23:59:59.000Z', durationDays: 366 },
            validation: ISSUED_DV_VALIDATION,
          },
        ],
      },
      {
        orderNumber: '1000012',
        orderedAt: '2025-06-01 09:41',
        status: 'Pending',
        statusReason: null,
        suggestedOrganization: null,
        otherFields: [],
        replacementOrders: [],
        certificates: [
          {
            ...EMPTY_CERTIFICATE,
            type: 'PositiveSSL',
            domains: ['replaced.example'],
            status: 'Awaiting Validation',
            validity: { notBefore: null, notAfter: null, durationDays: 365 },
            validation: { ...ALL_NOT_REQUIRED, csr: 'COMPLETED', dcv: 'IN_PROGRESS', caa: 'IN_PROGRESS' },
          },
        ],
      },
    ]);
    // The replaced order's own certificate stays its own.
    expect(firstCertificate(order)).toMatchObject({
      serialNumber: '0F1E2D3C4B5A69788796A5B4C3D2E1F0',
      status: 'Revoked',
      statusReason: 'Replaced',
    });
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.withReplacements} q2 Y`]);
  });

  it('is [] for an order without replacements', async () => {
    for (const orderNumber of [DEMO_ORDERS.dvIssued, DEMO_ORDERS.multiDomain]) {
      expect((await full(orderNumber)).replacementOrders).toEqual([]);
    }
  });

  it('is [] on a replacement order itself, asked for directly', async () => {
    const order = await fetchOrder(h, DEMO_ORDERS.replacementIssued, 'orderNumber status replacementOrders { orderNumber }');
    expect(order).toEqual({ orderNumber: '1000011', status: 'Issued', replacementOrders: [] });
    expect(callSummary(h.simulator)).toEqual([`${DEMO_ORDERS.replacementIssued} q2 N`]);
  });
});

describe('tricky values', () => {
  it('uses seed values that really contain the characters under test', () => {
    const all = Object.values(TRICKY_VALUES).join('');
    for (const needle of ['&', '=', '+', '%', "'", '"', '\n', '\t', '%20', 'Zürich', '東京', '🔐']) expect(all).toContain(needle);
  });

  it('delivers every special value byte-for-byte as seeded', async () => {
    const order = await full(DEMO_ORDERS.trickyValues);
    expect(order['statusReason']).toBe(TRICKY_VALUES.orderStatusReason);
    expect(order['statusReason']).toBe(`Tom & Jerry's "50% off" = a+b; literal %20 and %2B stay as typed`);
    const certificate = firstCertificate(order);
    expect(certificate['type']).toBe(TRICKY_VALUES.objectType);
    expect(certificate['type']).toBe('Sectigo SSL – Zürich Edition (東京) 🔐');
    expect(certificate['statusReason']).toBe(TRICKY_VALUES.certificateStatusReason);
    expect(certificate['statusReason']).toBe('line one\nline two\ttabbed; key=value&other=1');
    expect(certificate['domains']).toEqual(TRICKY_VALUES.FQDN.split(','));
    expect(certificate['domains']).toEqual(['zürich.example', '東京.example', 'xn--zrich-kva.example']);
    expect(certificate['shipping']).toEqual({
      upsTrackingId: null,
      organizationName: TRICKY_VALUES.shippingOrganizationName,
      organizationalUnitName: null,
      streetAddress: [],
      locality: null,
      stateOrProvince: null,
      postalCode: null,
      country: null,
      contact: null,
    });
    expect(Buffer.from(String(certificate['type']), 'utf8').equals(Buffer.from(TRICKY_VALUES.objectType, 'utf8'))).toBe(true);
    expect(certificate['validation']).toEqual({ ...NO_VALIDATION_STEPS, csr: 'COMPLETED', dcv: 'NOT_COMPLETED' });
    expect(certificate['otherFields']).toEqual([]);
    expect(order.otherFields).toEqual([]);
  });

  it('decodes the nested suggestedOrgDetails with its special characters, raw kept as sent', async () => {
    const order = await full(DEMO_ORDERS.trickyValues);
    expect(order['suggestedOrganization']).toEqual({
      status: 'FOUND',
      rawStatus: 'Found',
      raw: TRICKY_VALUES.suggestedOrgDetails,
      matches: [
        {
          ...NO_MATCH_FIELDS,
          organizationName: 'Müller & Söhne "AG" 100%',
          locality: 'Zürich',
          country: 'CH',
          telephone: '+41 44 000 00 00',
        },
      ],
    });
  });
});

describe('unknown fields', () => {
  it('keeps an unknown order-level key in the order otherFields', async () => {
    const order = await full(DEMO_ORDERS.unknownFields);
    expect(order).toMatchObject({ orderNumber: '1000021', orderedAt: '2025-06-01 00:01', status: 'On Hold', statusReason: null });
    expect(order.otherFields).toEqual([{ name: 'futureOrderField', value: 'kept at order level' }]);
  });

  it('keeps unknown keys and unrepresentable values of the certificate in its otherFields, the modelled field null', async () => {
    const certificate = firstCertificate(await full(DEMO_ORDERS.unknownFields));
    expect(certificate).toMatchObject({
      serialNumber: 'ABCDEF0123456789',
      type: 'PositiveSSL Wildcard',
      domains: ['*.wild.example', 'wild.example'],
      status: 'Valid',
      // notAfter is not a timestamp: null here, raw in otherFields.
      validity: { notBefore: '2025-06-01T00:00:00.000Z', notAfter: null, durationDays: 365 },
      productTerm: null,
      // caaStatus=7 is no known state.
      validation: { ...NO_VALIDATION_STEPS, csr: 'COMPLETED', dcv: 'COMPLETED', caa: null },
      license: {
        status: null,
        syncStatus: null,
        rejectionSource: null,
        statusReason: null,
        // qualysAccountType=X is no known type.
        hackerGuardian: {
          merchantId: null,
          loginName: null,
          companyName: null,
          accountType: null,
          ipsPurchased: null,
          ipsAdded: null,
          createdAt: null,
          expiresAt: null,
        },
        // swpActive=2 is neither 0 (active) nor 1 (disabled).
        webPlatform: { userId: null, active: null, userEmail: null, partnerId: null },
        siteLock: null,
      },
      shipping: null,
      trademark: null,
    });
    const otherFields = [...(certificate['otherFields'] as Array<{ name: string; value: string }>)].sort(byName);
    expect(otherFields).toEqual(
      [
        { name: 'futureCertificateField', value: 'kept at certificate level' },
        { name: 'caaStatus', value: '7' },
        { name: 'qualysAccountType', value: 'X' },
        { name: 'swpActive', value: '2' },
        { name: 'notAfter', value: 'not-a-timestamp' },
      ].sort(byName),
    );
  });
});

describe('orderByCertificateId', () => {
  it.each([
    { id: DEMO_CERTIFICATE_IDS.dvIssued, orderNumber: DEMO_ORDERS.dvIssued, serial: '00D1E5B0C4A8F2310A9B7C6D5E4F3A2B1C' },
    { id: DEMO_CERTIFICATE_IDS.evClickThrough, orderNumber: DEMO_ORDERS.evClickThrough, serial: null },
    { id: DEMO_CERTIFICATE_IDS.multiDomainRevoked, orderNumber: DEMO_ORDERS.multiDomain, serial: '7A3F0C11E2D4B6A8C0E2F4A6B8D0E2F4' },
    {
      id: DEMO_CERTIFICATE_IDS.codeSigningShipped,
      orderNumber: DEMO_ORDERS.codeSigningShipped,
      serial: '3C9D2E1F0A8B7C6D5E4F3A2B1C0D9E8F',
    },
  ])('finds order $orderNumber by certificate id $id, the id sent with every digit', async ({ id, orderNumber, serial }) => {
    const result = await h.query<{ orderByCertificateId: OrderData | null }>(
      `query($id: ID!) { orderByCertificateId(certificateId: $id) { orderNumber certificates { serialNumber } } }`,
      { id },
    );
    expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
    expect(result.body.data?.orderByCertificateId?.orderNumber).toBe(orderNumber);
    expect(result.body.data?.orderByCertificateId?.certificates[0]).toEqual({ serialNumber: serial });
    expect(callSummary(h.simulator)).toEqual([`cert:${id} q0 N`]);
  });

  it('gives the same full data for the >2^53 certificate id as for the order number', async () => {
    const id = DEMO_CERTIFICATE_IDS.dvIssued;
    expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const result = await h.query<{ orderByCertificateId: OrderData | null }>(
      `query($id: ID!) { orderByCertificateId(certificateId: $id) { ...FullOrder } } ${FULL_ORDER_FRAGMENTS}`,
      { id },
    );
    expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
    expect(h.simulator.calls).toHaveLength(1);
    expect(h.simulator.calls[0]).toMatchObject({ certificateId: id, orderNumber: undefined, queryType: '2', showValidityPeriod: 'Y' });
    expect(result.body.data?.orderByCertificateId).toEqual(await full(DEMO_ORDERS.dvIssued));
  });
});

describe('with SECTIGO_RESPONSE_FORMAT=2 (JSON upstream answers)', () => {
  let json: Harness;

  beforeAll(async () => {
    json = await startHarness({ env: { CACHE_TTL_MS: '0', SECTIGO_RESPONSE_FORMAT: '2' } });
  });
  afterAll(() => json.close());
  beforeEach(() => json.simulator.resetCalls());

  const ORDERS_TO_COMPARE = [
    DEMO_ORDERS.dvIssued,
    DEMO_ORDERS.ovPendingFound,
    DEMO_ORDERS.ovPendingSiblings,
    DEMO_ORDERS.evClickThrough,
    DEMO_ORDERS.multiDomain,
    DEMO_ORDERS.vmcPending,
    DEMO_ORDERS.codeSigningShipped,
    DEMO_ORDERS.hackerGuardian,
    DEMO_ORDERS.rejected,
    DEMO_ORDERS.withReplacements,
    DEMO_ORDERS.trickyValues,
    DEMO_ORDERS.unknownFields,
  ];

  it.each(ORDERS_TO_COMPARE)('gives the same full data for order %s as responseFormat 1', async (orderNumber) => {
    const fromJson = await fetchFullOrder(json, orderNumber);
    expect(json.simulator.calls).toHaveLength(1);
    expect(json.simulator.calls[0]).toMatchObject({
      orderNumber,
      queryType: '2',
      showValidityPeriod: 'Y',
      responseFormat: '2',
      errorCode: 0,
    });
    const fromForm = await full(orderNumber);
    expect(h.simulator.calls[0]?.responseFormat).toBe('1');
    expect(fromJson).toEqual(fromForm);
  });

  it('finds the order of the >2^53 certificate id through a JSON answer too', async () => {
    const id = DEMO_CERTIFICATE_IDS.dvIssued;
    const result = await json.query<{ orderByCertificateId: OrderData | null }>(
      `query($id: ID!) { orderByCertificateId(certificateId: $id) { orderNumber certificates { serialNumber } } }`,
      { id },
    );
    expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
    expect(result.body.data?.orderByCertificateId).toEqual({
      orderNumber: DEMO_ORDERS.dvIssued,
      certificates: [{ serialNumber: '00D1E5B0C4A8F2310A9B7C6D5E4F3A2B1C' }],
    });
    expect(json.simulator.calls.map((call) => [call.certificateId, call.responseFormat])).toEqual([[id, '2']]);
  });
});
