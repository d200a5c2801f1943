/**
 * Order numbers and certificate ids are digit strings end to end: a 16-digit
 * certificate id is beyond Number.MAX_SAFE_INTEGER, and the two are easy to
 * confuse, so each has its own brand.
 */
declare const orderNumberBrand: unique symbol;
declare const certificateIdBrand: unique symbol;

export type OrderNumber = string & { readonly [orderNumberBrand]: true };
export type CertificateId = string & { readonly [certificateIdBrand]: true };

/** Upstream accepts any integer; 32 digits bounds what we forward. */
const ORDER_NUMBER = /^[0-9]{1,32}$/;
/** "16 digits" per both doc pages; shorter ids exist on older accounts. */
const CERTIFICATE_ID = /^[0-9]{1,16}$/;

export function isOrderNumber(value: string): value is OrderNumber {
  return ORDER_NUMBER.test(value);
}

export function isCertificateId(value: string): value is CertificateId {
  return CERTIFICATE_ID.test(value);
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
