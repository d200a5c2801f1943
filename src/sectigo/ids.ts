/**
 * Order numbers and certificate ids are digit strings end to end: a 16-digit
 * certificate id is beyond Number.MAX_SAFE_INTEGER, and the two are easy to
 * confuse, so each has its own brand.
 */
declare const orderNumberBrand: unique symbol;
declare const certificateIdBrand: unique symbol;

export type OrderNumber = string & { readonly [orderNumberBrand]: true };
export type CertificateId = string & { readonly [certificateIdBrand]: true };

/**
 * Both are integers upstream: `01000001` and `1000001` are one order. The
 * canonical form (no leading zeros) is what every key and every call uses,
 * so one order is one cache entry, one single-flight lock and one call
 * however a client spells it.
 */
const DIGITS = /^[0-9]+$/;
/** Upstream accepts any integer; 32 significant digits bounds what we forward. */
const ORDER_NUMBER_MAX_DIGITS = 32;
/** "16 digits" per both doc pages; shorter ids exist on older accounts. */
const CERTIFICATE_ID_MAX_DIGITS = 16;
/** Longer input is refused before it is even scanned for zeros. */
const MAX_INPUT_LENGTH = 64;

function canonicalDigits(value: string, maxDigits: number): string | undefined {
  if (value.length === 0 || value.length > MAX_INPUT_LENGTH || !DIGITS.test(value)) return undefined;
  const canonical = value.replace(/^0+(?=[0-9])/, '');
  return canonical.length <= maxDigits ? canonical : undefined;
}

/** The order number `value` spells, in canonical form, or undefined when it is not one. */
export function parseOrderNumber(value: string): OrderNumber | undefined {
  return canonicalDigits(value, ORDER_NUMBER_MAX_DIGITS) as OrderNumber | undefined;
}

/** The certificate id `value` spells, in canonical form, or undefined when it is not one. */
export function parseCertificateId(value: string): CertificateId | undefined {
  return canonicalDigits(value, CERTIFICATE_ID_MAX_DIGITS) as CertificateId | undefined;
}

/** Whether `value` is an order number in canonical form. */
export function isOrderNumber(value: string): value is OrderNumber {
  return parseOrderNumber(value) === value;
}

/** Whether `value` is a certificate id in canonical form. */
export function isCertificateId(value: string): value is CertificateId {
  return parseCertificateId(value) === value;
}

/** Which order to ask for: the upstream takes exactly one of the two arguments. */
export type OrderRef =
  | { readonly kind: 'orderNumber'; readonly orderNumber: OrderNumber }
  | { readonly kind: 'certificateId'; readonly certificateId: CertificateId };

export function orderRefKey(ref: OrderRef): string {
  switch (ref.kind) {
    case 'orderNumber':
      return `o:${ref.orderNumber}`;
    case 'certificateId':
      return `c:${ref.certificateId}`;
  }
}

export function byOrderNumber(orderNumber: OrderNumber): OrderRef {
  return { kind: 'orderNumber', orderNumber };
}

export function byCertificateId(certificateId: CertificateId): OrderRef {
  return { kind: 'certificateId', certificateId };
}
