import type { Order } from '../sectigo/domain.js';

/**
 * What an `Order` resolver receives: the mapped order plus the replacement
 * orders that came in the same answer (only the order asked for has them).
 */
export interface OrderModel extends Order {
  readonly replacementOrders: readonly OrderModel[];
  /** The order number asked for, when the answer omits it. */
  readonly requestedOrderNumber: string | null;
}
