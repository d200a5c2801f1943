import type { OrderLoader } from '../loading/order-loader.js';
import type { OperationTrace } from './operation-trace.js';

/** Per-request state handed to every resolver. */
export interface RequestContext {
  readonly orders: OrderLoader;
  /** Where this request's spans go (see operation-trace.ts). */
  readonly trace: OperationTrace;
}
