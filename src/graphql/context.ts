import { createOrderLoader, type OrderLoader } from '../loading/order-loader.js';
import type { OrderStore } from '../loading/order-store.js';
import { createOperationTrace, type OperationTrace } from './operation-trace.js';

/** Per-request state handed to every resolver. */
export interface RequestContext {
  readonly orders: OrderLoader;
  /** Where this request's spans go (see operation-trace.ts). */
  readonly trace: OperationTrace;
}

/** A new context per GraphQL request: its own loader (turns, counts, budget) over the shared store. */
export function createRequestContext(store: OrderStore, maxOrders: number): RequestContext {
  const trace = createOperationTrace();
  return { trace, orders: createOrderLoader(store, { maxOrders, traceContext: () => trace.context }) };
}
