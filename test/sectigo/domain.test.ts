import { describe, expect, it } from 'vitest';
import { FULL_DETAIL, STATUS_ONLY } from '../../src/sectigo/detail.js';
import type { Certificate, OrganizationMatch, ValidationStatus } from '../../src/sectigo/domain.js';
import { parseUnixSeconds } from '../../src/sectigo/field-reader.js';
import { mapCertificate, mapOrder, mapOrderStatus } from '../../src/sectigo/mapping.js';
import { SectigoError } from '../../src/sectigo/errors.js';
import { decodeText, type WireCertificate, type WireOrder } from '../../src/sectigo/wire.js';
import { fixtureText } from './fixture.js';

const FORM = 'application/x-www-form-urlencoded';

function wireCertificate(fields: Record<string, string>, index = 1): WireCertificate {
  return { index, fields: new Map(Object.entries(fields)) };
}

function wireOrder(fields: Record<string, string>, certificates: WireCertificate[] = [], index = 1): WireOrder {
  return { index, fields: new Map(Object.entries(fields)), certificates };
}

function certificate(fields: Record<string, string>): Certificate {
  return mapCertificate(wireCertificate(fields));
}

function decodeOrder(body: string, contentType = FORM) {
  return mapOrderStatus(decodeText(body, contentType), FULL_DETAIL).order;
}

const NO_MATCH: OrganizationMatch = {
  organizationName: null,
  streetAddress: null,
  locality: null,
  stateOrProvince: null,
  postalCode: null,
  country: null,
  dunsNumber: null,
  telephone: null,
};

const NO_VALIDATION: ValidationStatus = {
  csr: null,
  dcv: null,
  ovCallBack: null,
  organization: null,
  freeDvUpgrade: null,
  evClickThrough: null,
  caa: null,
};

describe("mapping Sectigo's published VMC sample", () => {
  const status = mapOrderStatus(decodeText(fixtureText('sectigo-sample-success.form'), FORM), FULL_DETAIL);

  it('maps the order fields, the empty status reason as null', () => {
    expect(status.order).toMatchObject({
      index: 1,
      orderNumber: '*******',
      orderedAt: '2025-01-01 13:52',
      status: 'Pending',
      statusReason: null,
      suggestedOrganization: null,
      otherFields: [],
    });
    expect(status.replacementOrders).toEqual([]);
    expect(status.level).toBe(FULL_DETAIL);
  });

  it('maps every certificate field of the sample, leaving nothing in otherFields', () => {
    expect(status.order.certificates).toEqual([
      {
        index: 1,
        serialNumber: null,
        type: 'Verified Mark Certificate (VMC) (2 of 2 Domains)',
        // The published sample's malformed `%2*` stays literal: one domain, not a guessed split.
        domains: ['**********.com%2********.com'],
        status: 'Awaiting Validation',
        statusReason: null,
        validity: { start: null, end: null, durationDays: 365 },
        productTerm: { start: null, end: null, durationDays: 365 },
        validation: { ...NO_VALIDATION, evClickThrough: 'NOT_COMPLETED' },
        shipping: null,
        license: null,
        trademark: {
          office: 'United States Copyright Office',
          identifier: '*********0',
          countryName: 'United States',
          countryCode: 'US',
          logoHostedByCA: -1,
        },
        otherFields: [],
      },
    ]);
  });
});

describe('mapping an OV order that carries every certificate field', () => {
  const order = decodeOrder(fixtureText('ov-order-every-field.form'));

  it('maps the order fields and a bare suggestedOrgDetails status word', () => {
    expect(order).toMatchObject({
      orderNumber: '1234567',
      orderedAt: '2025-06-11 11:57',
      status: 'Issued',
      statusReason: null,
      suggestedOrganization: { status: 'NOT_APPLICABLE', rawStatus: 'NotApplicable', raw: 'NotApplicable', matches: [] },
      otherFields: [],
    });
  });

  it('maps every field into the domain types, leaving nothing in otherFields', () => {
    expect(order.certificates).toEqual([
      {
        index: 1,
        serialNumber: '00C1A2B3D4E5F60718293A4B5C6D7E8F90',
        type: 'OV SSL Certificate',
        domains: ['example.com', 'www.example.com', 'shop.example.com'],
        status: 'Issued',
        statusReason: 'Reissued at customer request',
        validity: { start: '2025-01-01T00:00:00.000Z', end: '2025-12-31T23:59:59.000Z', durationDays: 365 },
        productTerm: { start: '2024-12-31T00:00:00.000Z', end: '2026-12-31T23:59:59.000Z', durationDays: 730 },
        validation: {
          csr: 'COMPLETED',
          dcv: 'COMPLETED',
          ovCallBack: 'IN_PROGRESS',
          organization: 'COMPLETED',
          freeDvUpgrade: 'NOT_REQUIRED',
          evClickThrough: 'NOT_REQUIRED',
          caa: 'NOT_COMPLETED',
        },
        shipping: {
          upsTrackingId: '1Z999AA10123456784',
          organizationName: 'Example & Sons Ltd',
          organizationalUnitName: 'IT Security',
          streetAddress: ['1 High Street', 'Floor 3 + Annex'],
          locality: 'Manchester',
          stateOrProvince: 'Greater Manchester',
          postalCode: 'M1 1AA',
          country: 'GB',
          contact: { title: 'Dr', forename: 'Zoë', surname: "O'Brien", email: 'zoe+certs@example.com', phone: '+44 161 496 0000' },
        },
        license: {
          status: 'processed',
          syncStatus: 'Awaiting Sync',
          rejectionSource: 'API',
          statusReason: '100% synced',
          hackerGuardian: {
            merchantId: 'QM-778899',
            loginName: 'exmpl_qa',
            companyName: 'Example & Sons Ltd',
            accountType: 'CUSTOMER',
            ipsPurchased: 16,
            ipsAdded: 4,
            createdAt: '2024-01-01T00:00:00.000Z',
            expiresAt: '2026-01-01',
          },
          webPlatform: { userId: 'swp-4411', active: true, userEmail: 'web@example.com', partnerId: 'P-0042' },
          siteLock: { userId: 'sl-9001', siteIds: ['site-1', 'site-2', 'site-3'] },
        },
        trademark: {
          office: 'UK Intellectual Property Office',
          identifier: 'UK00003456789',
          countryName: 'United Kingdom',
          countryCode: 'GB',
          logoHostedByCA: 1,
        },
        otherFields: [],
      },
    ]);
  });
});

describe('mapping a flat JSON success answer', () => {
  it('maps it like the url-encoded form', () => {
    const order = decodeOrder(fixtureText('json-flat-success.json'), 'application/json');
    expect(order.orderNumber).toBe('1234567');
    expect(order.certificates[0]).toMatchObject({
      serialNumber: '4F2A9C',
      domains: ['example.com', 'www.example.com'],
      validity: { start: '2025-01-01T00:00:00.000Z', end: '2025-12-31T23:59:59.000Z', durationDays: 365 },
      validation: { ...NO_VALIDATION, dcv: 'COMPLETED', caa: 'COMPLETED' },
      otherFields: [],
    });
  });
});

describe('validity and product term', () => {
  it('turns UNIX seconds into ISO-8601 UTC and durations into numbers', () => {
    const c = certificate({
      notBefore: '1735689600',
      notAfter: '1767225599',
      certificateDuration: '365',
      productTermStartDate: '0',
      productTermEndDate: '4102444800',
      productTermDuration: '1',
    });
    expect(c.validity).toEqual({ start: '2025-01-01T00:00:00.000Z', end: '2025-12-31T23:59:59.000Z', durationDays: 365 });
    expect(c.productTerm).toEqual({ start: '1970-01-01T00:00:00.000Z', end: '2100-01-01T00:00:00.000Z', durationDays: 1 });
    expect(c.otherFields).toEqual([]);
  });

  it('is null when none of its fields was sent (showValidityPeriod=N)', () => {
    const c = certificate({ serialNumber: 'AA' });
    expect(c.validity).toBeNull();
    expect(c.productTerm).toBeNull();
  });

  it('maps a present period with only some of its fields, the others null', () => {
    expect(certificate({ notAfter: '1767225599' }).validity).toEqual({ start: null, end: '2025-12-31T23:59:59.000Z', durationDays: null });
  });

  it('maps empty values to null without listing them in otherFields', () => {
    const c = certificate({ notBefore: '', notAfter: ' ', certificateDuration: '' });
    expect(c.validity).toEqual({ start: null, end: null, durationDays: null });
    expect(c.otherFields).toEqual([]);
  });

  it.each([
    ['notBefore', '2025-01-01 00:00'],
    ['notAfter', '-1'],
    ['notAfter', '1.5'],
    ['productTermStartDate', '1e9'],
    ['productTermEndDate', '1234567890123'],
    ['certificateDuration', '-365'],
    ['productTermDuration', '365 days'],
  ])('keeps an unparseable %s (%j) in otherFields and maps it to null', (name, value) => {
    const c = certificate({ [name]: value });
    expect(c.otherFields).toEqual([{ name, value }]);
    const period = name.startsWith('productTerm') ? c.productTerm : c.validity;
    expect(period).toEqual({ start: null, end: null, durationDays: null });
  });

  it('tolerates whitespace around a timestamp', () => {
    expect(certificate({ notBefore: ' 1735689600 ' }).validity?.start).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('parseUnixSeconds', () => {
  it.each([
    ['0', '1970-01-01T00:00:00.000Z'],
    ['1735689600', '2025-01-01T00:00:00.000Z'],
    ['001735689600', '2025-01-01T00:00:00.000Z'],
    ['999999999999', '+033658-09-27T01:46:39.000Z'],
  ])('reads %j as %s', (value, iso) => {
    expect(parseUnixSeconds(value)).toBe(iso);
  });

  it.each(['', ' 1', '-1', '1.0', '1e9', '0x10', 'NaN', '1735689600000', 'now'])('does not read %j', (value) => {
    expect(parseUnixSeconds(value)).toBeUndefined();
  });
});

describe('validation status', () => {
  const fields: Array<[keyof ValidationStatus, string]> = [
    ['csr', 'csrStatus'],
    ['dcv', 'dcvStatus'],
    ['ovCallBack', 'ovCallBackStatus'],
    ['organization', 'organizationValidationStatus'],
    ['freeDvUpgrade', 'freeDVUPStatus'],
    ['evClickThrough', 'evClickThroughStatus'],
    ['caa', 'caaStatus'],
  ];
  const states = [
    ['-1', 'NOT_REQUIRED'],
    ['0', 'NOT_COMPLETED'],
    ['1', 'COMPLETED'],
    ['2', 'IN_PROGRESS'],
  ] as const;
  const cases = fields.flatMap(([field, upstream]) => states.map(([value, state]) => ({ field, upstream, value, state })));

  it.each(cases)('maps $upstream=$value to $field $state', ({ field, upstream, value, state }) => {
    const c = certificate({ [upstream]: value });
    expect(c.validation).toEqual({ ...NO_VALIDATION, [field]: state });
    expect(c.otherFields).toEqual([]);
  });

  it.each(fields)('maps an unknown %s value to null and keeps it in otherFields under %s', (field, upstream) => {
    for (const value of ['3', '-2', 'completed', '1.0']) {
      const c = certificate({ [upstream]: value });
      expect(c.validation?.[field]).toBeNull();
      expect(c.otherFields).toEqual([{ name: upstream, value }]);
    }
  });

  it('maps an empty value to null without listing it in otherFields', () => {
    const c = certificate({ caaStatus: '' });
    expect(c.validation).toEqual(NO_VALIDATION);
    expect(c.otherFields).toEqual([]);
  });

  it('is null when no validation field was sent (queryType=0)', () => {
    expect(certificate({ certificateStatus: 'Issued' }).validation).toBeNull();
  });
});

describe('shipping details', () => {
  it('keeps street address lines in order and drops the empty ones', () => {
    const c = certificate({ shippingStreetAddress1: '', shippingStreetAddress2: 'Unit 2', shippingStreetAddress3: '  ' });
    expect(c.shipping?.streetAddress).toEqual(['Unit 2']);
    expect(c.otherFields).toEqual([]);
  });

  it('maps every address field and the contact person', () => {
    const c = certificate({
      upsTrackingID: '1Z',
      shippingOrganizationName: 'Org',
      shippingOrganizationalUnitName: 'Unit',
      shippingStreetAddress1: 'Line 1',
      shippingStreetAddress2: 'Line 2',
      shippingStreetAddress3: 'Line 3',
      shippingLocalityName: 'City',
      shippingStateOrProvinceName: 'State',
      shippingPostalCode: '12345',
      shippingCountry: 'US',
      shippingTitle: 'Ms',
      shippingForename: 'Ada',
      shippingSurname: 'Lovelace',
      shippingEmail: 'ada@example.com',
      shippingPhone: '+1 555 0100',
    });
    expect(c.shipping).toEqual({
      upsTrackingId: '1Z',
      organizationName: 'Org',
      organizationalUnitName: 'Unit',
      streetAddress: ['Line 1', 'Line 2', 'Line 3'],
      locality: 'City',
      stateOrProvince: 'State',
      postalCode: '12345',
      country: 'US',
      contact: { title: 'Ms', forename: 'Ada', surname: 'Lovelace', email: 'ada@example.com', phone: '+1 555 0100' },
    });
  });

  it('has no contact when no contact field was sent, and null for contact fields sent empty', () => {
    expect(certificate({ shippingCountry: 'US' }).shipping?.contact).toBeNull();
    expect(certificate({ shippingEmail: 'a@b.c', shippingPhone: '' }).shipping?.contact).toEqual({
      title: null,
      forename: null,
      surname: null,
      email: 'a@b.c',
      phone: null,
    });
  });

  it('exists for a UPS tracking id alone and is null when nothing about shipping was sent', () => {
    expect(certificate({ upsTrackingID: '1Z' }).shipping).toMatchObject({ upsTrackingId: '1Z', streetAddress: [], contact: null });
    expect(certificate({ serialNumber: 'AA' }).shipping).toBeNull();
  });
});

describe('licence details', () => {
  it('maps the licence status fields', () => {
    const c = certificate({
      licenceStatus: 'rejected',
      licenceSyncStatus: 'Sync Failed',
      licenceRejectionSource: 'Manual',
      licenceStatusReason: 'Account suspended',
    });
    expect(c.license).toEqual({
      status: 'rejected',
      syncStatus: 'Sync Failed',
      rejectionSource: 'Manual',
      statusReason: 'Account suspended',
      hackerGuardian: null,
      webPlatform: null,
      siteLock: null,
    });
  });

  it('is null when no licence field was sent', () => {
    expect(certificate({ serialNumber: 'AA' }).license).toBeNull();
  });

  it.each([
    ['C', 'CUSTOMER'],
    ['P', 'PROSPECT'],
    ['c', 'CUSTOMER'],
    [' P ', 'PROSPECT'],
  ])('maps HackerGuardian account type %j to %s', (value, accountType) => {
    const c = certificate({ qualysAccountType: value });
    expect(c.license?.hackerGuardian?.accountType).toBe(accountType);
    expect(c.otherFields).toEqual([]);
  });

  it.each(['X', 'Customer', 'CP'])('keeps an unknown account type %j in otherFields and maps it to null', (value) => {
    const c = certificate({ qualysAccountType: value });
    expect(c.license?.hackerGuardian?.accountType).toBeNull();
    expect(c.otherFields).toEqual([{ name: 'qualysAccountType', value }]);
  });

  it('maps the purchased and added IP counts to numbers', () => {
    const c = certificate({ qualysIPsPurchased: '256', qualysIPsAdded: '0' });
    expect(c.license?.hackerGuardian).toMatchObject({ ipsPurchased: 256, ipsAdded: 0 });
  });

  it.each(['-3', '2.5', 'ten'])('keeps an IP count of %j in otherFields and maps it to null', (value) => {
    const c = certificate({ qualysIPsPurchased: value });
    expect(c.license?.hackerGuardian?.ipsPurchased).toBeNull();
    expect(c.otherFields).toEqual([{ name: 'qualysIPsPurchased', value }]);
  });

  it('maps HackerGuardian creation and expiry dates sent as UNIX seconds to ISO-8601 UTC', () => {
    const c = certificate({ qualysCreationDate: '1704067200', qualysExpirationDate: '1735689600' });
    expect(c.license?.hackerGuardian).toMatchObject({ createdAt: '2024-01-01T00:00:00.000Z', expiresAt: '2025-01-01T00:00:00.000Z' });
  });

  it('keeps HackerGuardian dates sent as date strings as sent', () => {
    const c = certificate({ qualysCreationDate: '2024-01-01 09:30:00', qualysExpirationDate: '2025-01-01' });
    expect(c.license?.hackerGuardian).toMatchObject({ createdAt: '2024-01-01 09:30:00', expiresAt: '2025-01-01' });
    expect(c.otherFields).toEqual([]);
  });

  it('keeps a HackerGuardian date in another format in otherFields', () => {
    const c = certificate({ qualysExpirationDate: '01/02/2025' });
    expect(c.license?.hackerGuardian?.expiresAt).toBeNull();
    expect(c.otherFields).toEqual([{ name: 'qualysExpirationDate', value: '01/02/2025' }]);
  });

  it('maps the HackerGuardian account fields', () => {
    const c = certificate({ qualysMerchantID: 'M1', qualysLoginName: 'login', qualysCompanyName: 'Co' });
    expect(c.license?.hackerGuardian).toEqual({
      merchantId: 'M1',
      loginName: 'login',
      companyName: 'Co',
      accountType: null,
      ipsPurchased: null,
      ipsAdded: null,
      createdAt: null,
      expiresAt: null,
    });
  });

  it.each([
    ['0', true],
    ['1', false],
  ])('maps swpActive=%s to webPlatform.active %s', (value, active) => {
    const c = certificate({ swpActive: value });
    expect(c.license?.webPlatform?.active).toBe(active);
    expect(c.otherFields).toEqual([]);
  });

  it.each(['2', '-1', 'true', 'Active'])('keeps swpActive=%j in otherFields and maps active to null', (value) => {
    const c = certificate({ swpActive: value });
    expect(c.license?.webPlatform?.active).toBeNull();
    expect(c.otherFields).toEqual([{ name: 'swpActive', value }]);
  });

  it('maps the web platform account fields', () => {
    const c = certificate({ swpID: 'U1', swpUserEmail: 'u@example.com', swpPartnerID: 'P1' });
    expect(c.license?.webPlatform).toEqual({ userId: 'U1', active: null, userEmail: 'u@example.com', partnerId: 'P1' });
  });

  it('splits SiteLock site ids on commas, trimming them and dropping empty ones', () => {
    const c = certificate({ slId: 'S1', slSiteIds: ' a1, ,b2,,c3 ,' });
    expect(c.license?.siteLock).toEqual({ userId: 'S1', siteIds: ['a1', 'b2', 'c3'] });
  });

  it('has SiteLock with no site ids when they were sent empty', () => {
    expect(certificate({ slId: 'S1', slSiteIds: '' }).license?.siteLock).toEqual({ userId: 'S1', siteIds: [] });
    expect(certificate({ slSiteIds: '4' }).license?.siteLock).toEqual({ userId: null, siteIds: ['4'] });
  });
});

describe('trademark details', () => {
  it.each([
    ['-1', -1],
    ['0', 0],
    ['1', 1],
  ])('maps logoHostedByCA=%s as the number %i', (value, number) => {
    const c = certificate({ logoHostedByCA: value });
    expect(c.trademark).toEqual({ office: null, identifier: null, countryName: null, countryCode: null, logoHostedByCA: number });
  });

  it('keeps a non-numeric logoHostedByCA in otherFields', () => {
    const c = certificate({ trademarkOffice: 'USPTO', logoHostedByCA: 'yes' });
    expect(c.trademark).toMatchObject({ office: 'USPTO', logoHostedByCA: null });
    expect(c.otherFields).toEqual([{ name: 'logoHostedByCA', value: 'yes' }]);
  });

  it('is null when no trademark field was sent', () => {
    expect(certificate({ serialNumber: 'AA' }).trademark).toBeNull();
  });
});

describe('empty values and domains', () => {
  it.each([
    ['serialNumber', (c: Certificate) => c.serialNumber],
    ['objectType', (c: Certificate) => c.type],
    ['certificateStatus', (c: Certificate) => c.status],
    ['certificateStatusReason', (c: Certificate) => c.statusReason],
    ['shippingCountry', (c: Certificate) => c.shipping?.country],
    ['licenceStatus', (c: Certificate) => c.license?.status],
    ['qualysMerchantID', (c: Certificate) => c.license?.hackerGuardian?.merchantId],
    ['swpUserEmail', (c: Certificate) => c.license?.webPlatform?.userEmail],
    ['slId', (c: Certificate) => c.license?.siteLock?.userId],
    ['trademarkIdentifier', (c: Certificate) => c.trademark?.identifier],
  ])('maps an empty %s to null', (name, read) => {
    for (const value of ['', '   ']) {
      const c = certificate({ [name]: value });
      expect(read(c)).toBeNull();
      expect(c.otherFields).toEqual([]);
    }
  });

  it('keeps a non-empty value exactly as sent, surrounding spaces included', () => {
    expect(certificate({ certificateStatus: ' Issued ' }).status).toBe(' Issued ');
  });

  it.each([
    ['example.com', ['example.com']],
    ['a.example, b.example', ['a.example', 'b.example']],
    [' a.example ,, ,b.example,', ['a.example', 'b.example']],
    ['*.example.com,example.com', ['*.example.com', 'example.com']],
    ['', []],
    [',', []],
  ])('maps FQDN %j to the domains %j', (value, domains) => {
    const c = certificate({ FQDN: value });
    expect(c.domains).toEqual(domains);
    expect(c.otherFields).toEqual([]);
  });

  it('has no domains when FQDN was not sent', () => {
    expect(certificate({}).domains).toEqual([]);
  });
});

describe('fields the schema does not model', () => {
  it('lists unknown certificate keys in otherFields by name without the index prefix, in wire order', () => {
    const order = decodeOrder('errorCode=0&1_orderNumber=1&1_1_serialNumber=AA&1_1_futureField=x&1_1_another_one=&1_1_FQDNs=y');
    expect(order.certificates[0]?.otherFields).toEqual([
      { name: 'futureField', value: 'x' },
      { name: 'another_one', value: '' },
      { name: 'FQDNs', value: 'y' },
    ]);
  });

  it('lists unknown order keys in the order otherFields', () => {
    const order = decodeOrder('errorCode=0&1_orderNumber=1&1_orderChannel=API&1_orderFlags=');
    expect(order.otherFields).toEqual([
      { name: 'orderChannel', value: 'API' },
      { name: 'orderFlags', value: '' },
    ]);
  });

  it('puts top-level extra keys on the main order only, after its own', () => {
    const status = mapOrderStatus(
      decodeText('errorCode=0&errorDetail=see+docs&1_orderNumber=1&1_orderChannel=API&2_orderNumber=2&serverTime=now', FORM),
      FULL_DETAIL,
    );
    expect(status.order.otherFields).toEqual([
      { name: 'orderChannel', value: 'API' },
      { name: 'errorDetail', value: 'see docs' },
      { name: 'serverTime', value: 'now' },
    ]);
    expect(status.replacementOrders[0]?.otherFields).toEqual([]);
  });

  it('keeps keys with an unexpected case in otherFields rather than guessing', () => {
    const c = certificate({ fqdn: 'example.com', SerialNumber: 'AA' });
    expect(c.domains).toEqual([]);
    expect(c.serialNumber).toBeNull();
    expect(c.otherFields).toEqual([
      { name: 'fqdn', value: 'example.com' },
      { name: 'SerialNumber', value: 'AA' },
    ]);
  });
});

describe('suggested organisation details', () => {
  it.each([
    ['Found', 'FOUND'],
    ['NotFound', 'NOT_FOUND'],
    ['NotYetCompleted', 'NOT_YET_COMPLETED'],
    ['NotApplicable', 'NOT_APPLICABLE'],
    ['found', 'FOUND'],
    ['Not Found', 'NOT_FOUND'],
    ['not-yet-completed', 'NOT_YET_COMPLETED'],
  ])('reads the bare status word %j as %s', (word, status) => {
    const order = mapOrder(wireOrder({ suggestedOrgDetails: word }));
    expect(order.suggestedOrganization).toEqual({ status, rawStatus: word, raw: word, matches: [] });
    expect(order.otherFields).toEqual([]);
  });

  it('reads a nested url-encoded value with status and indexed matches', () => {
    const nested = new URLSearchParams([
      ['status', 'Found'],
      ['1_organizationName', 'Acme & Co'],
      ['1_streetAddress', '1 Main St'],
      ['1_localityName', 'Springfield'],
      ['1_stateOrProvinceName', 'IL'],
      ['1_postalCode', '62701'],
      ['1_countryName', 'US'],
      ['1_dunsNumber', '123456789'],
      ['1_telephoneNumber', '+1 217 555 0100'],
      ['2_organizationName', 'Acme+Partners'],
    ]).toString();
    const body = new URLSearchParams([
      ['errorCode', '0'],
      ['1_orderNumber', '1'],
      ['1_suggestedOrgDetails', nested],
    ]).toString();
    const order = decodeOrder(body);
    expect(order.suggestedOrganization).toEqual({
      status: 'FOUND',
      rawStatus: 'Found',
      raw: nested,
      matches: [
        {
          organizationName: 'Acme & Co',
          streetAddress: '1 Main St',
          locality: 'Springfield',
          stateOrProvince: 'IL',
          postalCode: '62701',
          country: 'US',
          dunsNumber: '123456789',
          telephone: '+1 217 555 0100',
        },
        { ...NO_MATCH, organizationName: 'Acme+Partners' },
      ],
    });
    expect(order.otherFields).toEqual([]);
  });

  it('reads the nested value as the brief sketches it: status=Found&1_organizationName=...&2_organizationName=...', () => {
    const raw = 'status=Found&1_organizationName=Acme&2_organizationName=Beta';
    const order = mapOrder(wireOrder({ suggestedOrgDetails: raw }));
    expect(order.suggestedOrganization).toEqual({
      status: 'FOUND',
      rawStatus: 'Found',
      raw,
      matches: [
        { ...NO_MATCH, organizationName: 'Acme' },
        { ...NO_MATCH, organizationName: 'Beta' },
      ],
    });
  });

  it('orders nested matches by numeric index, so 2 comes before 10', () => {
    const raw = [10, 2, 1, 11].map((i) => `${i}_organizationName=Org${i}`).join('&');
    const order = mapOrder(wireOrder({ suggestedOrgDetails: `status=Found&${raw}` }));
    expect(order.suggestedOrganization?.matches.map((m) => m.organizationName)).toEqual(['Org1', 'Org2', 'Org10', 'Org11']);
  });

  it('reads a JSON string value', () => {
    const value = JSON.stringify({ status: 'Found', 1: { organizationName: 'Acme', countryName: 'GB' } });
    const body = JSON.stringify({ errorCode: '0', '1_orderNumber': '1', '1_suggestedOrgDetails': value });
    const order = decodeOrder(body, 'application/json');
    expect(order.suggestedOrganization).toEqual({
      status: 'FOUND',
      rawStatus: 'Found',
      raw: value,
      matches: [{ ...NO_MATCH, organizationName: 'Acme', country: 'GB' }],
    });
  });

  it('reads a JSON string value with unindexed match fields', () => {
    const value = '{"status":"NotFound"}';
    const order = mapOrder(wireOrder({ suggestedOrgDetails: value }));
    expect(order.suggestedOrganization).toEqual({ status: 'NOT_FOUND', rawStatus: 'NotFound', raw: value, matches: [] });
  });

  it('reads match fields sent as sibling order-level keys', () => {
    const order = decodeOrder(
      'errorCode=0&1_orderNumber=1&1_suggestedOrgDetails=Found&1_organizationName=Acme+Ltd&1_countryName=GB&1_dunsNumber=987654321&1_telephoneNumber=%2B44+20+7946+0000',
    );
    expect(order.suggestedOrganization).toEqual({
      status: 'FOUND',
      rawStatus: 'Found',
      raw: 'Found',
      matches: [{ ...NO_MATCH, organizationName: 'Acme Ltd', country: 'GB', dunsNumber: '987654321', telephone: '+44 20 7946 0000' }],
    });
    expect(order.otherFields).toEqual([]);
  });

  it('reads sibling match fields even without suggestedOrgDetails itself', () => {
    const order = mapOrder(wireOrder({ organizationName: 'Acme', localityName: 'Leeds' }));
    expect(order.suggestedOrganization).toEqual({
      status: null,
      rawStatus: null,
      raw: null,
      matches: [{ ...NO_MATCH, organizationName: 'Acme', locality: 'Leeds' }],
    });
  });

  it('keeps an unknown status word as rawStatus and raw, with a null status', () => {
    const order = mapOrder(wireOrder({ suggestedOrgDetails: 'PartiallyFound' }));
    expect(order.suggestedOrganization).toEqual({ status: null, rawStatus: 'PartiallyFound', raw: 'PartiallyFound', matches: [] });
  });

  it('keeps an unknown nested status word as rawStatus and the whole value as raw', () => {
    const order = mapOrder(wireOrder({ suggestedOrgDetails: 'status=Escalated&note=x' }));
    expect(order.suggestedOrganization).toEqual({ status: null, rawStatus: 'Escalated', raw: 'status=Escalated&note=x', matches: [] });
  });

  it('has all-null details for an empty suggestedOrgDetails and none when it was not sent', () => {
    expect(mapOrder(wireOrder({ suggestedOrgDetails: '' })).suggestedOrganization).toEqual({
      status: null,
      rawStatus: null,
      raw: null,
      matches: [],
    });
    expect(mapOrder(wireOrder({ orderNumber: '1' })).suggestedOrganization).toBeNull();
  });
});

describe('mapOrderStatus', () => {
  it('takes index 1 as the order and further indexes, in numeric order, as its replacement orders', () => {
    const status = mapOrderStatus(decodeText(fixtureText('replacement-orders.form'), FORM), FULL_DETAIL);
    expect(status.order).toMatchObject({ index: 1, orderNumber: '1234567', status: 'Replaced' });
    expect(status.order.certificates.map((c) => [c.serialNumber, c.status])).toEqual([['AA01', 'Revoked']]);
    expect(status.replacementOrders.map((o) => [o.index, o.orderNumber, o.status])).toEqual([
      [2, '1234999', 'Issued'],
      [10, '1240000', 'Pending'],
    ]);
    expect(status.replacementOrders[1]?.certificates[0]?.status).toBe('Awaiting Validation');
  });

  it('keeps the detail level it was given', () => {
    const wire = decodeText('errorCode=0&1_orderNumber=1', FORM);
    expect(mapOrderStatus(wire, STATUS_ONLY).level).toEqual({ queryType: 0, showValidityPeriod: false });
  });

  it.each(['errorCode=0', 'errorCode=0&errorDetail=nothing', '{"errorCode": "0", "orders": []}'])(
    'refuses a success answer with no order (%s) as undecodable',
    (body) => {
      const wire = decodeText(body, undefined);
      let caught: unknown;
      try {
        mapOrderStatus(wire, FULL_DETAIL);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SectigoError);
      expect(caught).toMatchObject({ code: 'SECTIGO_UNDECODABLE_RESPONSE' });
    },
  );

  it('maps an order known only by its certificates', () => {
    const status = mapOrderStatus(decodeText('errorCode=0&1_1_serialNumber=AA', FORM), FULL_DETAIL);
    expect(status.order).toMatchObject({ index: 1, orderNumber: null, status: null, otherFields: [] });
    expect(status.order.certificates[0]?.serialNumber).toBe('AA');
  });
});

describe('numbers beyond GraphQL Int', () => {
  it('keeps a count over 2^31-1 raw in otherFields instead of failing the field', () => {
    const mapped = mapCertificate({
      index: 1,
      fields: new Map([
        ['qualysIPsPurchased', '3000000000'],
        ['certificateDuration', '4294967296'],
      ]),
    });
    expect(mapped.license?.hackerGuardian?.ipsPurchased).toBeNull();
    expect(mapped.validity?.durationDays).toBeNull();
    expect(mapped.otherFields).toEqual([
      { name: 'qualysIPsPurchased', value: '3000000000' },
      { name: 'certificateDuration', value: '4294967296' },
    ]);
  });
});
