/**
 * The wire shape (wire.ts) mapped once into domain types (domain.ts).
 *
 * Rules: empty values are null, empty list items are dropped, UNIX seconds
 * become ISO-8601 UTC. A key is "modelled" only when its value could be
 * represented faithfully; every other key lands in `otherFields` under its
 * upstream name, so nothing the upstream sends is lost.
 */
import type { DetailLevel } from './detail.js';
import type { Certificate, License, Order, OrderStatus, Period, ShippingDetails, Trademark, ValidationStatus } from './domain.js';
import { SectigoError } from './errors.js';
import {
  FieldReader,
  parseAccountType,
  parseCount,
  parseDateOrTime,
  parseInteger,
  parseSwpActive,
  parseUnixSeconds,
  parseValidationState,
} from './field-reader.js';
import { mapSuggestedOrganization } from './suggested-organization.js';
import type { WireCertificate, WireOrder, WireResponse } from './wire.js';

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
