/**
 * The throughput ceiling: a bare Apollo Server on the same HTTP stack as the
 * subgraph (express 5 + @as-integrations/express5 + express.json), the same
 * schema file, answering `order` from one in-memory object. No loader, no
 * cache, no upstream, no plugins beyond Apollo's defaults (and the drain
 * plugin for a clean close): what the framework alone can serve on this
 * machine for the same query shape.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { parse } from 'graphql';
import type { Order, Period } from '../src/sectigo/domain.js';
import { SCHEMA_FILE, quietLogger } from './naive-subgraph.js';

export interface CeilingServer {
  readonly httpServer: Server;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

/** `order` (any number) answers `order`; `orders` answers it once per id. */
export async function createCeilingServer(order: Order): Promise<CeilingServer> {
  const resolvers: GraphQLResolverMap<unknown> = {
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
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(readFileSync(SCHEMA_FILE, 'utf8')), resolvers }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    logger: quietLogger,
  });
  await apollo.start();
  app.use('/graphql', express.json({ limit: 100 * 1024 }), expressMiddleware(apollo));
  return {
    httpServer,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve(httpServer.address() as AddressInfo);
        });
      });
    },
    async close() {
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
