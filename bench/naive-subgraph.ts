/**
 * The naive baseline: the subgraph most teams would write first, over the
 * SAME schema file, with the same decoder and domain mapping
 * (`decodeText`, `mapOrderStatus`), so that only the loading strategy differs.
 *
 * Loading strategy: every resolver that needs upstream data fetches it
 * itself. `Query.order` fetches the order; `Order.certificates` fetches it
 * again; `Order.replacementOrders` fetches it again; `orders` fetches each id
 * separately, duplicates included; `__resolveReference` fetches once per
 * representation. Every call asks for everything (`queryType=2`,
 * `showValidityPeriod=Y`). No batching, no cache, no coalescing, no cap:
 * one undici `request` (form POST) per call over a keep-alive agent.
 *
 * The `@sectigoDetail` directive is declared in the SDL and simply ignored.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { Agent, request } from 'undici';
import { FULL_DETAIL } from '../src/sectigo/detail.js';
import type { Order, OrderStatus, Period } from '../src/sectigo/domain.js';
import { mapOrderStatus } from '../src/sectigo/mapping.js';
import { decodeText } from '../src/sectigo/wire.js';
import { startApolloApp } from './lib/apollo-app.js';

export interface NaiveOptions {
  /** The !GetDetailedOrderStatus endpoint (the simulator). */
  readonly upstreamUrl: string;
  readonly loginName: string;
  readonly loginPassword: string;
}

export interface NaiveStats {
  /** Upstream calls made (each one a full POST). */
  calls: number;
  /** Response body bytes received, as counted in the fetch wrapper. */
  bytes: number;
}

export interface NaiveSubgraph {
  readonly httpServer: Server;
  readonly stats: NaiveStats;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

type Lookup = { readonly orderNumber: string } | { readonly certificateID: string };

const DateTime = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  serialize: (value) => {
    if (typeof value === 'string') return value;
    throw new TypeError('DateTime cannot represent a non-string value');
  },
  parseValue: (value) => String(value),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : ''),
});

export async function createNaiveSubgraph(options: NaiveOptions): Promise<NaiveSubgraph> {
  const stats: NaiveStats = { calls: 0, bytes: 0 };
  const agent = new Agent({ keepAliveTimeout: 30_000 });

  /** One upstream call: POST the form, read the whole body, decode and map it. */
  async function fetchStatus(lookup: Lookup): Promise<OrderStatus> {
    const form = new URLSearchParams({
      loginName: options.loginName,
      loginPassword: options.loginPassword,
      ...lookup,
      queryType: '2',
      showValidityPeriod: 'Y',
      responseFormat: '1',
    });
    stats.calls += 1;
    const response = await request(options.upstreamUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      dispatcher: agent,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    stats.bytes += body.byteLength;
    if (response.statusCode !== 200) {
      throw new GraphQLError(`Sectigo answered HTTP ${response.statusCode}`, { extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    }
    const contentType = response.headers['content-type'];
    const wire = decodeText(body.toString('utf8'), Array.isArray(contentType) ? contentType[0] : contentType);
    if (wire.errorCode === -4) throw new GraphQLError('Order not found', { extensions: { code: 'NOT_FOUND' } });
    if (wire.errorCode !== 0) throw new GraphQLError(`Sectigo error ${wire.errorCode}`, { extensions: { code: 'UPSTREAM_ERROR' } });
    return mapOrderStatus(wire, FULL_DETAIL);
  }

  const orderNumberOf = (order: Order): string => {
    if (order.orderNumber === null) throw new GraphQLError('Order without a number', { extensions: { code: 'UPSTREAM_ERROR' } });
    return order.orderNumber;
  };

  const resolvers: GraphQLResolverMap<unknown> = {
    DateTime,
    Query: {
      order: async (_parent: unknown, args: { orderNumber: string }) => (await fetchStatus({ orderNumber: args.orderNumber })).order,
      orderByCertificateId: async (_parent: unknown, args: { certificateId: string }) =>
        (await fetchStatus({ certificateID: args.certificateId })).order,
      orders: (_parent: unknown, args: { orderNumbers: string[] }) =>
        args.orderNumbers.map(async (orderNumber) => (await fetchStatus({ orderNumber })).order),
    },
    Order: {
      __resolveReference: async (reference: { orderNumber: string }) => (await fetchStatus({ orderNumber: reference.orderNumber })).order,
      certificates: async (order: Order) => (await fetchStatus({ orderNumber: orderNumberOf(order) })).order.certificates,
      replacementOrders: async (order: Order) => (await fetchStatus({ orderNumber: orderNumberOf(order) })).replacementOrders,
    },
    Validity: {
      notBefore: (p: Period) => p.start,
      notAfter: (p: Period) => p.end,
    },
  };

  const app = await startApolloApp(resolvers);

  return {
    httpServer: app.httpServer,
    stats,
    listen: (port, host) => app.listen(port, host),
    async close() {
      await app.close();
      await agent.close();
    },
  };
}
