/**
 * Runs every example against a running subgraph and prints what a UI would
 * show. Start the server first (`npm start` in another terminal: it serves the
 * simulator's demo orders without credentials), then from the repository root:
 *
 *   npx tsx examples/src/demo.ts                 # http://localhost:4001/graphql
 *   GRAPHQL_URL=http://host:port/graphql npx tsx examples/src/demo.ts
 *
 * Five operations, five upstream calls (more with the cache off): see the
 * cost comment at the top of each example.
 */
import { RequestError } from './client.js';
import { certificateExpiry } from './certificate-expiry.js';
import { orderStatusBadge } from './order-status-badge.js';
import { replacementChain } from './replacement-chain.js';
import { shippingTracker } from './shipping-tracker.js';
import { validationProgress } from './validation-progress.js';

function section(title: string, value: unknown): void {
  console.log(`\n== ${title}`);
  console.log(JSON.stringify(value, null, 2));
}

async function main(): Promise<void> {
  section('OrderStatusBadge 1000001, 1000005, 1000009, 999', {
    '1000001': await orderStatusBadge('1000001'),
    '1000005': await orderStatusBadge('1000005'),
    '1000009': await orderStatusBadge('1000009'),
    '999': await orderStatusBadge('999'),
  });
  section('CertificateExpiry 1000001, 1000005, 1000007, 999', await certificateExpiry(['1000001', '1000005', '1000007', '999']));
  section('ValidationProgress 1000002', await validationProgress('1000002'));
  section('ShippingTracker 1000007', await shippingTracker('1000007'));
  section('ReplacementChain 1000010', await replacementChain('1000010'));
}

main().catch((error: unknown) => {
  if (error instanceof RequestError && error.status === undefined) {
    console.error(`${error.message}: is the server running? (npm start)`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
