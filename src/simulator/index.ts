/**
 * The built-in Sectigo simulator: a real HTTP server that answers like
 * !GetDetailedOrderStatus, for the embedded demo upstream, tests and benchmarks.
 */
export { startSimulator, ENDPOINT_PATH } from './server.js';
export type { Fault, RecordedCall, SimOrder, Simulator, SimulatorOptions } from './types.js';
export { DETAILED_STATUS_FIELDS, VALIDITY_PERIOD_FIELDS } from './fields.js';
export { ARGUMENTS, errorMessageFor } from './endpoint.js';
export {
  DEMO_CERTIFICATE_IDS,
  DEMO_CREDENTIALS,
  DEMO_ORDERS,
  NESTED_SUGGESTED_ORG_DETAILS,
  TRICKY_VALUES,
  SEED_DAY,
  seedOrders,
  seedOrdersAsOf,
} from './seed.js';
export { SYNTHETIC_ORDER_RANGE, isSyntheticOrderNumber, syntheticCertificateId, syntheticOrder } from './synthetic.js';
