import type { OrderLoader } from '../loading/order-loader.js';

/** Per-request state handed to every resolver. */
export interface RequestContext {
  readonly orders: OrderLoader;
}
