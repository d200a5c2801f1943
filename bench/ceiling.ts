/**
 * The throughput ceiling: a bare Apollo Server on the same HTTP stack as the
 * subgraph (node:http + the subgraph's Apollo integration, src/http/apollo-handler.ts), the same
 * schema file, answering `order` from one in-memory object. No loader, no
 * cache, no upstream, no plugins beyond Apollo's defaults (and the drain
 * plugin for a clean close): what the framework alone can serve on this
 * machine for the same query shape.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Order, Period } from '../src/sectigo/domain.js';
import { startApolloApp, type ApolloApp } from './lib/apollo-app.js';

export type CeilingServer = ApolloApp;

/** `order` (any number) answers `order`; `orders` answers it once per id. The limit (bench/limit.ts) uses the same. */
export function inMemoryResolvers(order: Order): GraphQLResolverMap<unknown> {
  return {
    Query: {
      order: () => order,
      orders: (_parent: unknown, args: { orderNumbers: string[] }) => args.orderNumbers.map(() => order),
    },
    Order: {
      __resolveReference: () => order,
      replacementOrders: () => [],
    },
    Validity: {
      notBefore: (p: Period) => p.start,
      notAfter: (p: Period) => p.end,
    },
  };
}

export async function createCeilingServer(order: Order): Promise<CeilingServer> {
  return startApolloApp(inMemoryResolvers(order));
}
