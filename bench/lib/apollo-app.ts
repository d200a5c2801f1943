/**
 * The stack the bench's comparison servers share with the subgraph:
 * node:http + the subgraph's own Apollo integration (src/http/apollo-handler.ts:
 * body guard, JSON parse, executeHTTPGraphQLRequest) + @apollo/server +
 * buildSubgraphSchema over schema/order-status.graphql. Only the resolvers
 * differ, so the comparisons measure loading strategy, not framework.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { executeWithApollo, parseRequest } from '../../src/http/apollo-handler.js';
import { listenOn } from '../../src/http/http-server.js';

export const SCHEMA_FILE = new URL('../../schema/order-status.graphql', import.meta.url);

/** Apollo's own log lines: warnings and errors to stderr, never stdout (the bench's table goes there). */
export const quietLogger = {
  debug: (): void => {},
  info: (): void => {},
  warn: (message: unknown): void => void process.stderr.write(`apollo: ${String(message)}\n`),
  error: (message: unknown): void => void process.stderr.write(`apollo: ${String(message)}\n`),
};

export interface ApolloApp {
  readonly httpServer: Server;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export async function startApolloApp(resolvers: GraphQLResolverMap<unknown>): Promise<ApolloApp> {
  const started: { apollo?: ApolloServer } = {};
  const httpServer = createServer((req, res) => {
    void (async () => {
      const parsed = await parseRequest(req, res, 100 * 1024);
      if (parsed !== undefined && started.apollo !== undefined)
        await executeWithApollo(started.apollo, req, res, parsed, () => Promise.resolve({}));
    })().catch(() => res.destroy());
  });
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(readFileSync(SCHEMA_FILE, 'utf8')), resolvers }),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    logger: quietLogger,
  });
  await apollo.start();
  started.apollo = apollo;
  return {
    httpServer,
    listen: (port, host) => listenOn(httpServer, port, host),
    async close() {
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
