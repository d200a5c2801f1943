/**
 * A status badge for an order list or header.
 *
 * Upstream cost: one `!GetDetailedOrderStatus` call, queryType=0,
 * showValidityPeriod=N (status fields only: the cheapest call there is).
 */
import { graphql } from './gql/index.js';
import type { OrderStatusBadgeQuery } from './gql/graphql.js';
import { findError, request, type RequestOptions } from './client.js';

export const OrderStatusBadgeDocument = graphql(`
  query OrderStatusBadge($orderNumber: ID!) {
    order(orderNumber: $orderNumber) {
      status
      statusReason
      certificates {
        status
        type
      }
    }
  }
`);

export type Tone = 'success' | 'pending' | 'warning' | 'danger' | 'neutral';

export interface Badge {
  readonly label: string;
  readonly tone: Tone;
  /** For a tooltip: each certificate's product and status. */
  readonly detail: string;
}

type BadgeOrder = NonNullable<OrderStatusBadgeQuery['order']>;

/** Pure: the badge for an order as the query returns it. */
export function badgeFor(order: BadgeOrder): Badge {
  const detail = order.certificates
    .map((certificate) => `${certificate.type ?? 'Certificate'}: ${certificate.status ?? 'unknown'}`)
    .join('\n');
  const statuses = order.certificates.map((certificate) => certificate.status);
  switch (order.status) {
    case 'Issued': {
      const revoked = statuses.filter((status) => status === 'Revoked').length;
      if (revoked === 0) return { label: 'Issued', tone: 'success', detail };
      if (revoked === statuses.length) return { label: 'Revoked', tone: 'danger', detail };
      return { label: `Issued, ${revoked} of ${statuses.length} revoked`, tone: 'warning', detail };
    }
    case 'Pending':
      return statuses.includes('Awaiting Validation')
        ? { label: 'Awaiting validation', tone: 'pending', detail }
        : { label: 'Pending', tone: 'pending', detail };
    case 'Rejected':
      return { label: order.statusReason ? `Rejected: ${order.statusReason}` : 'Rejected', tone: 'danger', detail };
    case 'Replaced':
      return { label: 'Replaced', tone: 'neutral', detail };
    default:
      // Sectigo has more statuses than a badge needs: show them as sent.
      return { label: order.status ?? 'Unknown', tone: 'neutral', detail };
  }
}

/** Fetches an order and returns its badge; errors the user can act on become badges too. */
export async function orderStatusBadge(orderNumber: string, options?: RequestOptions): Promise<Badge> {
  const { data, errors } = await request(OrderStatusBadgeDocument, { orderNumber }, options);
  if (data?.order) return badgeFor(data.order);
  if (findError(errors, ['NOT_FOUND'], ['order']))
    return { label: 'Order not found', tone: 'neutral', detail: `No order ${orderNumber} on this account` };
  if (findError(errors, ['BAD_USER_INPUT']))
    return { label: 'Invalid order number', tone: 'neutral', detail: 'Order numbers are digits only' };
  if (findError(errors, ['UPSTREAM_UNAVAILABLE']))
    return { label: 'Status unavailable', tone: 'neutral', detail: 'Sectigo did not answer; try again' };
  throw new Error(
    `OrderStatusBadge ${orderNumber}: ${errors.map((error) => `${error.extensions.code} ${error.message}`).join('; ') || 'no data'}`,
  );
}
