/**
 * This subgraph in a real supergraph: its SDL taken from the running
 * server's `_service`, composed with a small accounts subgraph by
 * @apollo/composition, served by @apollo/gateway, queried over HTTP.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Kind, buildASTSchema, parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCosts, selectionCost } from '../../src/graphql/cost.js';
import { callSummary, startHarness, type Harness } from '../support/harness.js';
import { ACCOUNTS_SDL, startAccountsSubgraph } from './accounts-subgraph.js';

let orders: Harness;
let accounts: Awaited<ReturnType<typeof startAccountsSubgraph>>;
let gateway: ApolloServer;
let gatewayUrl: string;
let supergraphSdl: string;
let hints: string[];

async function post(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return {
    cacheControl: response.headers.get('cache-control'),
    body: (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
    },
  };
}

beforeAll(async () => {
  orders = await startHarness({ env: { CACHE_TTL_MS: '30000' } });
  accounts = await startAccountsSubgraph();
  const sdl = await orders.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
  const composed = composeServices([
    { name: 'orders', typeDefs: parse(sdl.body.data?._service.sdl ?? ''), url: `${orders.url}/graphql` },
    { name: 'accounts', typeDefs: parse(ACCOUNTS_SDL), url: accounts.url },
  ]);
  if (composed.errors !== undefined) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  supergraphSdl = composed.supergraphSdl;
  hints = composed.hints.map((hint) => hint.toString());
  gateway = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  ({ url: gatewayUrl } = await startStandaloneServer(gateway, { listen: { port: 0, host: '127.0.0.1' } }));
});

afterAll(async () => {
  await gateway?.stop();
  await accounts?.stop();
  await orders?.close();
});

beforeEach(() => orders.simulator.resetCalls());

describe('composition', () => {
  it('composes without a hint about the order-status subgraph', () => {
    expect(hints.filter((hint) => /orders|Order|Certificate|sectigo/i.test(hint))).toEqual([]);
  });

  it('keeps the demand-control directives in the supergraph', () => {
    expect(supergraphSdl).toMatch(/type Order[^{]*@cost\(weight: 10\)/);
    expect(supergraphSdl).toMatch(/orders\([\s\S]*?\): \[Order\]![^\n]*@listSize\(assumedSize: 100/);
  });
});

describe('queries through the gateway', () => {
  it('joins accounts with their orders, one upstream call per distinct order at the planned level', async () => {
    const result = await post(`{
      account(id: "acme") { name orders { orderNumber status certificates { validation { dcv } } } }
    }`);
    expect(result.body.errors).toBeUndefined();
    const account = result.body.data?.['account'] as { name: string; orders: Array<{ orderNumber: string; status: string }> };
    expect(account.name).toBe('ACME Corp');
    expect(account.orders.map((o) => `${o.orderNumber}:${o.status}`)).toEqual([
      '1000001:Issued',
      '1000005:Issued',
      '1000001:Issued',
      '1000002:Pending',
    ]);
    expect(callSummary(orders.simulator)).toEqual(['1000001 q1 N', '1000002 q1 N', '1000005 q1 N']);
  });

  it('asks for showValidityPeriod only when the supergraph query selects validity', async () => {
    await post(`{ account(id: "acme") { orders { orderNumber } } }`);
    // orderNumber is the key: the gateway needs nothing from this subgraph, so no upstream call.
    expect(orders.simulator.calls).toHaveLength(0);
    await post(`{ account(id: "acme") { orders { certificates { validity { notAfter } } } } }`);
    expect(orders.simulator.calls.map((c) => c.showValidityPeriod)).toEqual(['Y', 'Y', 'Y']);
  });

  it("passes this subgraph's error codes through, failing only the entry whose order is unknown", async () => {
    const result = await post(`{ account(id: "broken") { orders { orderNumber status } } }`);
    const account = result.body.data?.['account'] as { orders: Array<{ orderNumber: string; status: string | null }> };
    // The key comes from the accounts subgraph; what only this subgraph knows is null for the failed entity.
    expect(account.orders).toEqual([
      { orderNumber: '1000009', status: 'Rejected' },
      { orderNumber: '4040404', status: null },
    ]);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        path: ['account', 'orders', 1],
        extensions: expect.objectContaining({ code: 'NOT_FOUND', sectigoErrorCode: -4 }),
      }),
    ]);
  });

  it('keeps the cache hint: the supergraph response is cacheable no longer than this subgraph allows', async () => {
    const result = await post(`{ account(id: "acme") { orders { status } } }`);
    expect(result.body.errors).toBeUndefined();
    expect(result.cacheControl).toMatch(/^max-age=(30|29), public$/);
  });
});

describe('demand control', () => {
  it('prices operations by the upstream calls they may cause', () => {
    // The same estimate the subgraph's cost limit uses, here over the composed supergraph.
    const document = parse(supergraphSdl);
    const schema = buildASTSchema(document, { assumeValidSDL: true });
    const table = readCosts(document);
    const queryType = schema.getQueryType();
    if (queryType === null || queryType === undefined) throw new Error('supergraph without Query');
    const cost = (query: string) => {
      const operation = parse(query).definitions[0];
      if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('expected an operation');
      return selectionCost(schema, operation.selectionSet, queryType, () => undefined, { table, defaultListSize: 10 });
    };
    // One order: one upstream call.
    expect(cost('{ order(orderNumber: "1") { status } }')).toBe(10);
    // Certificates and replacement orders come in the same answer: cheap.
    expect(cost('{ order(orderNumber: "1") { status certificates { status validation { dcv } } } }')).toBe(10 + 5 * (1 + 1));
    expect(cost('{ order(orderNumber: "1") { replacementOrders { status } } }')).toBe(10 + 3 * 1);
    // orders is priced at its worst case, 100 upstream calls.
    expect(cost('{ orders(orderNumbers: ["1", "2"]) { status } }')).toBe(100 * 10);
    // Orders reached from another subgraph weigh the same per order.
    expect(cost('{ account(id: "acme") { orders { status } } }')).toBe(1 + 10 * 10);
  });
});
