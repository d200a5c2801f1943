/**
 * Synthetic orders, so benchmarks can ask for many distinct orders without a
 * seed: every order number 20000000..29999999 exists and is derived from the
 * number alone (same number, same answer). Its one certificate has the id
 * `30000000` + the order number (16 digits) and carries every gated field.
 */
import type { SimOrder } from './types.js';

export const SYNTHETIC_ORDER_RANGE = Object.freeze({ first: 20_000_000, last: 29_999_999 });

const SYNTHETIC_ORDER_NUMBER = /^2[0-9]{7}$/;
const SYNTHETIC_CERTIFICATE_ID = /^30000000(2[0-9]{7})$/;

/** 2025-01-01T00:00:00Z: synthetic orders are spread over the minutes of the following year. */
const EPOCH_SECONDS = 1_735_689_600;
const DAY_SECONDS = 86_400;
const MINUTES_PER_YEAR = 365 * 24 * 60;

export function syntheticCertificateId(orderNumber: string): string {
  return `30000000${orderNumber}`;
}

export function isSyntheticOrderNumber(orderNumber: string): boolean {
  return SYNTHETIC_ORDER_NUMBER.test(orderNumber);
}

/** The synthetic order a certificate id names, if it names one. */
export function syntheticOrderNumberOf(certificateId: string): string | undefined {
  return SYNTHETIC_CERTIFICATE_ID.exec(certificateId)?.[1];
}

export function syntheticOrder(orderNumber: string): SimOrder {
  const n = Number(orderNumber) - SYNTHETIC_ORDER_RANGE.first;
  const ordered = EPOCH_SECONDS + (n % MINUTES_PER_YEAR) * 60;
  const notBefore = ordered - (ordered % DAY_SECONDS) + DAY_SECONDS;
  const days = 365;
  const notAfter = notBefore + days * DAY_SECONDS - 1;
  const pending = n % 10 === 9;
  return {
    orderNumber,
    certificateIds: [syntheticCertificateId(orderNumber)],
    fields: {
      orderDateTime: new Date(ordered * 1000).toISOString().slice(0, 16).replace('T', ' '),
      orderStatus: pending ? 'Pending' : 'Issued',
      orderStatusReason: '',
    },
    certificates: [
      {
        serialNumber: pending ? '' : n.toString(16).toUpperCase().padStart(32, '0'),
        objectType: 'PositiveSSL',
        FQDN: `order-${orderNumber}.example.com,www.order-${orderNumber}.example.com`,
        certificateStatus: pending ? 'Awaiting Validation' : 'Valid',
        csrStatus: '1',
        dcvStatus: pending ? '2' : '1',
        ovCallBackStatus: '-1',
        organizationValidationStatus: '-1',
        freeDVUPStatus: '-1',
        evClickThroughStatus: '-1',
        caaStatus: pending ? '2' : '1',
        qualysCreationDate: String(ordered),
        qualysExpirationDate: String(notAfter),
        notBefore: String(notBefore),
        notAfter: String(notAfter),
        certificateDuration: String(days),
        productTermStartDate: String(notBefore),
        productTermEndDate: String(notAfter),
        productTermDuration: String(days),
      },
    ],
  };
}
