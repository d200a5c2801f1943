/**
 * A second, small subgraph for supergraph tests: customer accounts whose
 * `orders` are references to this subgraph's `Order` entities.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export const ACCOUNTS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    "One account by id."
    account(id: ID!): Account
  }

  "A customer account."
  type Account @key(fields: "id") {
    id: ID!
    name: String!
    "The account's Sectigo orders, resolved by the order-status subgraph."
    orders: [Order]!
  }

  type Order @key(fields: "orderNumber", resolvable: false) {
    orderNumber: ID!
  }
`;

const ACCOUNTS: Record<string, { name: string; orders: string[] }> = {
  acme: { name: 'ACME Corp', orders: ['1000001', '1000005', '1000001', '1000002'] },
  broken: { name: 'Broken Ltd', orders: ['1000009', '4040404'] },
};

export async function startAccountsSubgraph(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(ACCOUNTS_SDL),
      resolvers: {
        Query: {
          account: (_: unknown, { id }: { id: string }) => {
            const account = ACCOUNTS[id];
            return account === undefined ? null : { id, ...account };
          },
        },
        Account: {
          orders: (account: { orders: string[] }) => account.orders.map((orderNumber) => ({ __typename: 'Order', orderNumber })),
        },
      },
    }),
    plugins: [ApolloServerPluginCacheControl({ defaultMaxAge: 300 })],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}
