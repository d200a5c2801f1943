/**
 * Which orders replaced an order (reissues), and which of them is current.
 *
 * Upstream cost: one `!GetDetailedOrderStatus` call, queryType=2,
 * showValidityPeriod=N. The replacement orders come back in that same answer:
 * selecting their fields costs no further call (unless a field under them
 * needs more, e.g. `validity` would make it queryType=2 with
 * showValidityPeriod=Y, still one call).
 */
import { graphql } from './gql/index.js';
import type { ReplacementChainQuery } from './gql/graphql.js';
import { request, type RequestOptions } from './client.js';

export const ReplacementChainDocument = graphql(`
  query ReplacementChain($orderNumber: ID!) {
    order(orderNumber: $orderNumber) {
      orderNumber
      status
      orderedAt
      replacementOrders {
        orderNumber
        status
        orderedAt
        certificates {
          status
          domains
        }
      }
    }
  }
`);

export interface ChainLink {
  readonly orderNumber: string;
  readonly status: string | null;
  /** As Sectigo sends it: `2025-06-11 11:57`, minutes, no time zone. */
  readonly orderedAt: string | null;
  readonly domains: readonly string[];
}

export interface ReplacementChain {
  readonly original: Omit<ChainLink, 'domains'>;
  /** Oldest first. */
  readonly replacements: readonly ChainLink[];
  /** The newest replacement, or the order itself when nothing replaced it. */
  readonly current: string;
}

type ChainOrder = NonNullable<ReplacementChainQuery['order']>;

/** Pure: the chain for an order as the query returns it. */
export function chainOf(order: ChainOrder): ReplacementChain {
  const replacements = order.replacementOrders
    .map((replacement) => ({
      orderNumber: replacement.orderNumber,
      status: replacement.status,
      orderedAt: replacement.orderedAt,
      domains: [...new Set(replacement.certificates.flatMap((certificate) => certificate.domains))],
    }))
    // `orderedAt` is `YYYY-MM-DD hh:mm`, so text order is time order.
    .sort((a, b) => (a.orderedAt ?? '').localeCompare(b.orderedAt ?? '') || a.orderNumber.localeCompare(b.orderNumber));
  return {
    original: { orderNumber: order.orderNumber, status: order.status, orderedAt: order.orderedAt },
    replacements,
    current: replacements.at(-1)?.orderNumber ?? order.orderNumber,
  };
}

/** Null when the order does not exist on this account. */
export async function replacementChain(orderNumber: string, options?: RequestOptions): Promise<ReplacementChain | null> {
  const { data, errors } = await request(ReplacementChainDocument, { orderNumber }, options);
  const order = data?.order;
  if (!order) {
    if (errors.every((error) => error.extensions.code === 'NOT_FOUND')) return null;
    throw new Error(`ReplacementChain ${orderNumber}: ${errors.map((error) => `${error.extensions.code} ${error.message}`).join('; ')}`);
  }
  return chainOf(order);
}
