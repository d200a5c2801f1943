import { createOrderLoader, type OrderLoader } from '../loading/order-loader.js';
import type { OrderStore } from '../loading/order-store.js';
import { createOperationTrace, type OperationTrace } from './operation-trace.js';

/** Per-request state handed to every resolver. */
export interface RequestContext {
  readonly orders: OrderLoader;
  /** Where this request's spans go (see operation-trace.ts). */
  readonly trace: OperationTrace;
  /**
   * The operation's name once its response is sent (the response cache
   * keeps it for its log lines). An object: Apollo hands plugins a shallow
   * copy of the context, so only what is shared by reference comes back.
   */
  readonly operation: { name: string | null };
}

/** A new context per GraphQL request: its own loader (turns, counts, budget) over the shared store. */
export function createRequestContext(store: OrderStore, maxOrders: number): RequestContext {
  const trace = createOperationTrace();
  return { trace, operation: { name: null }, orders: createOrderLoader(store, { maxOrders, traceContext: () => trace.context }) };
}
