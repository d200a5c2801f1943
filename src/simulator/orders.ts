/**
 * The simulator's order book: finds an order by number or certificate id and
 * turns it into the wire answer a request is entitled to.
 */
import type { WireCertificate, WireOrder, WireResponse } from '../sectigo/wire.js';
import type { DetailLevel } from '../sectigo/detail.js';
import { isCertificateFieldDisclosed } from './fields.js';
import { isSyntheticOrderNumber, syntheticOrder, syntheticOrderNumberOf } from './synthetic.js';
import type { SimOrder } from './types.js';

export interface OrderBook {
  byOrderNumber(orderNumber: string): SimOrder | undefined;
  byCertificateId(certificateId: string): SimOrder | undefined;
}

/**
 * Both arguments are integers upstream, so leading zeros do not change which
 * order they name. Replacement orders can be looked up on their own.
 */
export function createOrderBook(orders: readonly SimOrder[]): OrderBook {
  const byNumber = new Map<string, SimOrder>();
  const byCertificate = new Map<string, SimOrder>();
  const add = (order: SimOrder): void => {
    byNumber.set(canonicalInteger(order.orderNumber), order);
    for (const id of order.certificateIds ?? []) byCertificate.set(canonicalInteger(id), order);
    for (const replacement of order.replacements ?? []) add(replacement);
  };
  for (const order of orders) add(order);

  return {
    byOrderNumber(orderNumber) {
      const key = canonicalInteger(orderNumber);
      return byNumber.get(key) ?? (isSyntheticOrderNumber(key) ? syntheticOrder(key) : undefined);
    },
    byCertificateId(certificateId) {
      const key = canonicalInteger(certificateId);
      const seeded = byCertificate.get(key);
      if (seeded !== undefined) return seeded;
      const synthetic = syntheticOrderNumberOf(key);
      return synthetic === undefined || byNumber.has(synthetic) ? undefined : syntheticOrder(synthetic);
    },
  };
}

function canonicalInteger(digits: string): string {
  return digits.replace(/^0+(?=[0-9])/, '');
}

/** Index 1 is the order; under queryType=2 its replacements follow as 2, 3, ... */
export function successResponse(order: SimOrder, disclosure: DetailLevel): WireResponse {
  const replacements = disclosure.queryType === 2 ? (order.replacements ?? []) : [];
  return {
    errorCode: 0,
    errorMessage: undefined,
    extra: new Map(),
    orders: [order, ...replacements].map((o, i) => wireOrder(o, i + 1, disclosure)),
  };
}

function wireOrder(order: SimOrder, index: number, disclosure: DetailLevel): WireOrder {
  const fields = new Map<string, string>([['orderNumber', order.orderNumber]]);
  for (const [name, value] of Object.entries(order.fields)) if (name !== 'orderNumber') fields.set(name, value);
  return {
    index,
    fields,
    certificates: order.certificates.map((certificate, i): WireCertificate => {
      const certificateFields = new Map<string, string>();
      for (const [name, value] of Object.entries(certificate)) {
        if (isCertificateFieldDisclosed(name, disclosure)) certificateFields.set(name, value);
      }
      return { index: i + 1, fields: certificateFields };
    }),
  };
}
