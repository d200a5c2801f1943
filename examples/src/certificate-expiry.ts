/**
 * An expiry list for a dashboard: every domain of every live certificate of
 * several orders, soonest expiry first.
 *
 * Upstream cost: one `!GetDetailedOrderStatus` call per distinct order,
 * queryType=0, showValidityPeriod=Y (`validity` needs the validity period).
 * `orders` fetches a duplicated order number once.
 */
import { graphql } from './gql/index.js';
import type { CertificateExpiryQuery } from './gql/graphql.js';
import { request, type ErrorCode, type RequestOptions } from './client.js';

export const CertificateExpiryDocument = graphql(`
  query CertificateExpiry($orderNumbers: [ID!]!) {
    orders(orderNumbers: $orderNumbers) {
      orderNumber
      certificates {
        serialNumber
        status
        domains
        validity {
          notAfter
        }
      }
    }
  }
`);

export interface ExpiryRow {
  readonly orderNumber: string;
  readonly serialNumber: string | null;
  /** Null for a certificate without domains (code signing, say). */
  readonly domain: string | null;
  /** ISO-8601 UTC. */
  readonly notAfter: string;
  /** Whole days from `now` to `notAfter`; negative once expired. */
  readonly daysLeft: number;
}

export interface ExpiryFailure {
  readonly orderNumber: string;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface ExpiryReport {
  /** Sorted by `notAfter`, then order number and domain. */
  readonly rows: readonly ExpiryRow[];
  /** Orders that could not be fetched; the others are still in `rows`. */
  readonly failed: readonly ExpiryFailure[];
}

const DAY_MS = 86_400_000;
/** Certificates that will never be renewed as they are: not worth a reminder. */
const DEAD_STATUSES: ReadonlySet<string> = new Set(['Revoked', 'Rejected', 'Expired']);

type ExpiryOrder = NonNullable<CertificateExpiryQuery['orders'][number]>;

/** Pure: the rows for the orders as the query returns them. */
export function expiryRows(orders: readonly ExpiryOrder[], now: number): ExpiryRow[] {
  const rows: ExpiryRow[] = [];
  for (const order of orders) {
    for (const certificate of order.certificates) {
      const notAfter = certificate.validity?.notAfter;
      if (notAfter == null || DEAD_STATUSES.has(certificate.status ?? '')) continue;
      const daysLeft = Math.floor((Date.parse(notAfter) - now) / DAY_MS);
      const domains: ReadonlyArray<string | null> = certificate.domains.length > 0 ? certificate.domains : [null];
      for (const domain of domains)
        rows.push({ orderNumber: order.orderNumber, serialNumber: certificate.serialNumber, domain, notAfter, daysLeft });
    }
  }
  return rows.sort(
    (a, b) =>
      Date.parse(a.notAfter) - Date.parse(b.notAfter) ||
      a.orderNumber.localeCompare(b.orderNumber) ||
      (a.domain ?? '').localeCompare(b.domain ?? ''),
  );
}

export async function certificateExpiry(
  orderNumbers: readonly string[],
  options: RequestOptions & { readonly now?: number } = {},
): Promise<ExpiryReport> {
  const { data, errors } = await request(CertificateExpiryDocument, { orderNumbers: [...orderNumbers] }, options);
  if (!data)
    throw new Error(`CertificateExpiry: ${errors.map((error) => `${error.extensions.code} ${error.message}`).join('; ') || 'no data'}`);
  // One failing order nulls its own entry; its error's path is ['orders', index].
  const failed: ExpiryFailure[] = [];
  data.orders.forEach((order, index) => {
    if (order !== null) return;
    const error = errors.find((candidate) => candidate.path?.[0] === 'orders' && candidate.path[1] === index);
    failed.push({
      orderNumber: orderNumbers[index] ?? '?',
      code: error?.extensions.code ?? 'INTERNAL_SERVER_ERROR',
      message: error?.message ?? 'no data',
    });
  });
  const orders = data.orders.filter((order): order is ExpiryOrder => order !== null);
  return { rows: expiryRows(orders, options.now ?? Date.now()), failed };
}
